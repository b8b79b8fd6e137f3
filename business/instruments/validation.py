"""Field rules of a ledger entry, shared by filing one instrument and the Excel import.

The checks work on model values that are already resolved (a CatalogueItem, a
Division, a Usage value), so callers look up related rows first and each rule is
written once.
"""

import re
from dataclasses import dataclass

from business.reference.models import DivisionLevel, Usage, VerificationForm

from .models import Instrument

# Fields that a caller may set when filing an instrument. Status and timestamps are
# managed by the services.
FILING_FIELDS = (
    "name",
    "catalogue_item",
    "kind",
    "usage",
    "model",
    "measuring_range",
    "accuracy_class",
    "serial_number",
    "manufacturer",
    "installation_place",
    "division",
    "delivery_mode",
    "service_life_end",
)

TEXT_FIELDS = (
    "name",
    "kind",
    "model",
    "measuring_range",
    "accuracy_class",
    "serial_number",
    "manufacturer",
    "installation_place",
)


@dataclass(frozen=True)
class FieldError:
    """A rule broken by one field, with the message shown to the user."""

    field: str
    message: str
    code: str


def max_length(field_name: str) -> int:
    return Instrument._meta.get_field(field_name).max_length


def verbose_name(field_name: str) -> str:
    return str(Instrument._meta.get_field(field_name).verbose_name)


def check_instrument_fields(values: dict) -> list[FieldError]:
    """Return every rule that ``values`` breaks, in field order.

    ``values`` maps the names in FILING_FIELDS to model values: stripped strings,
    a CatalogueItem or None, a Division or None.
    """
    errors = []

    if not values.get("name"):
        errors.append(FieldError("name", "请填写器具名称。", "required"))
    if not values.get("serial_number"):
        errors.append(FieldError("serial_number", "请填写出厂编号。", "required"))

    for field_name in TEXT_FIELDS:
        text = values.get(field_name) or ""
        limit = max_length(field_name)
        if len(text) > limit:
            errors.append(
                FieldError(
                    field_name,
                    f"{verbose_name(field_name)}最多 {limit} 个字符，现有 {len(text)} 个，请缩短。",
                    "too_long",
                )
            )

    errors.extend(_check_mandatory_pair(values))
    errors.extend(_check_kind(values))
    errors.extend(_check_service_life_end(values))

    delivery_mode = values.get("delivery_mode")
    if delivery_mode not in Instrument.DeliveryMode.values:
        errors.append(
            FieldError(
                "delivery_mode",
                f"检定方式“{delivery_mode}”无效，应为“送检”或“现场检定”。",
                "invalid_choice",
            )
        )

    division = values.get("division")
    if division is None:
        errors.append(FieldError("division", "请填写使用地行政区划。", "required"))
    elif division.level != DivisionLevel.COUNTY:
        errors.append(
            FieldError(
                "division",
                f"使用地行政区划应为县级（县、县级市、区）。“{division.code} {division.name}”"
                f"不是县级区划，请填写其下属县区的代码。",
                "division_not_county",
            )
        )
    return errors


def _check_mandatory_pair(values: dict) -> list[FieldError]:
    """Check that a mandatory instrument has both a catalogue item and a usage.

    Every usage value is a purpose for which the catalogue makes verification
    mandatory (强管类型), so a usage without a catalogue item is as incomplete as
    a catalogue item without a usage.
    """
    usage = values.get("usage") or ""
    catalogue_item = values.get("catalogue_item")

    if usage and usage not in Usage.values:
        return [FieldError("usage", f"用途“{usage}”无效，请从下拉列表中选择。", "invalid_choice")]
    if catalogue_item is not None and not usage:
        return [
            FieldError(
                "usage",
                "强制检定的计量器具必须填写用途（贸易结算、安全防护、医疗卫生、环境监测等）。",
                "missing_usage",
            )
        ]
    if catalogue_item is None and usage:
        return [
            FieldError(
                "catalogue_item",
                "填写了用途的计量器具属于强制检定，请同时填写强制检定目录序号。",
                "missing_catalogue_item",
            )
        ]
    return []


# Separators between the kinds that a catalogue row lists in one text.
KIND_SEPARATORS = re.compile(r"[、，,；;/\s]+")


def catalogue_kinds(catalogue_item) -> list[str]:
    """Return the kinds (种类) a catalogue row lists, in order; empty when it lists none."""
    if catalogue_item is None or not catalogue_item.kinds:
        return []
    return [kind for kind in KIND_SEPARATORS.split(catalogue_item.kinds) if kind]


def _check_kind(values: dict) -> list[FieldError]:
    """Check that a mandatory instrument names its kind, one of the catalogue row's kinds.

    Catalogue rows that list no kinds (水表 rows, for example) accept any kind text.
    """
    catalogue_item = values.get("catalogue_item")
    kind = values.get("kind") or ""
    if catalogue_item is None:
        return []
    allowed = catalogue_kinds(catalogue_item)
    if not kind:
        hint = f"，可选：{'、'.join(allowed)}" if allowed else f"，例如“{catalogue_item.item_name}”"
        return [
            FieldError("kind", f"强制检定的计量器具必须填写器具种类{hint}。", "missing_kind")
        ]
    if allowed and kind not in allowed:
        return [
            FieldError(
                "kind",
                f"器具种类“{kind}”不在强制检定目录第 {catalogue_item.number} 项"
                f"（{catalogue_item.item_name}）的种类中，应为以下之一：{'、'.join(allowed)}。",
                "unknown_kind",
            )
        ]
    return []


def _check_service_life_end(values: dict) -> list[FieldError]:
    """Allow a service-life end date only for catalogue rows replaced when it is reached."""
    if values.get("service_life_end") is None:
        return []
    catalogue_item = values.get("catalogue_item")
    if catalogue_item is None or catalogue_item.verification_form != VerificationForm.REPLACE:
        return [
            FieldError(
                "service_life_end",
                "只有强制检定形式为“首次检定、限期使用、到期轮换”的器具（如水表、燃气表）"
                "才填写到期更换日期，请清空该项。",
                "service_life_end_not_allowed",
            )
        ]
    return []


def duplicate_message(serial_number: str, manufacturer: str) -> str:
    """Describe an instrument by serial number and manufacturer for duplicate errors."""
    if manufacturer:
        return f"制造单位为“{manufacturer}”、出厂编号为“{serial_number}”的计量器具"
    return f"未填写制造单位、出厂编号为“{serial_number}”的计量器具"


def find_ledger_duplicates(enterprise, keys: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Return the status of each (manufacturer, serial number) key already in the ledger.

    Instruments in every status count, scrapped ones included, because the unique
    constraint covers them all.
    """
    serial_numbers = sorted({serial for _, serial in keys})
    found = {}
    # Chunks keep the IN list under the bound-parameter limits of SQLite and others.
    for start in range(0, len(serial_numbers), 500):
        rows = Instrument.objects.filter(
            enterprise=enterprise, serial_number__in=serial_numbers[start : start + 500]
        ).values_list("manufacturer", "serial_number", "status")
        for manufacturer, serial_number, status in rows:
            if (manufacturer, serial_number) in keys:
                found[(manufacturer, serial_number)] = status
    return found
