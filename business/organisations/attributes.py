"""Values of the administrator-defined organisation attributes: checking and filtering.

Values are stored in ``Organisation.attributes`` as normalised text under the
attribute's key: numbers without trailing zeros ("12.5"), dates as YYYY-MM-DD,
choices as the option's text. Text keeps filters simple and equal on SQLite and
PostgreSQL: exact for numbers, dates and choices, contains for text.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Q

from .models import OrganisationAttribute

TEXT_MAX_LENGTH = 200
FIELD_PREFIX = "attributes."

DataType = OrganisationAttribute.DataType


def attributes_of(kind: str) -> list[OrganisationAttribute]:
    return list(OrganisationAttribute.objects.filter(organisation_kind=kind))


def field_name(attribute: OrganisationAttribute) -> str:
    """Return the ``errors`` field name of an attribute, such as "attributes.a3"."""
    return FIELD_PREFIX + attribute.key


def normalise_value(attribute: OrganisationAttribute, raw) -> str:
    """Return ``raw`` as the stored text, or raise ValueError with a Chinese message naming the attribute."""
    text = "" if raw is None else str(raw).strip()
    name = attribute.name
    if attribute.data_type == DataType.NUMBER:
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{name}”应为数字，如 12 或 12.5，请修改。") from None
        if not number.is_finite():
            raise ValueError(f"“{name}”应为数字，如 12 或 12.5，请修改。")
        normalised = format(number.normalize(), "f")
        return "0" if normalised in {"-0", ""} else normalised
    if attribute.data_type == DataType.DATE:
        try:
            return datetime.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(
                f"“{name}”应为日期，格式为 年-月-日，如 2026-03-01，请修改。"
            ) from None
    if attribute.data_type == DataType.CHOICE:
        if text not in attribute.options:
            choices = "、".join(attribute.options)
            raise ValueError(f"“{name}”只能选择以下之一：{choices}，请重新选择。")
        return text
    if len(text) > TEXT_MAX_LENGTH:
        raise ValueError(f"“{name}”不能超过 {TEXT_MAX_LENGTH} 个字符，请删减。")
    return text


def clean_values(kind: str, raw_values: dict, current: dict | None = None):
    """Check submitted attribute values of an organisation of ``kind``.

    ``raw_values`` maps attribute keys to submitted values; keys not submitted keep
    their ``current`` value. Returns ``(values, problems)`` where problems are
    ``(field, message, code)`` tuples naming the attribute.
    """
    current = current or {}
    definitions = attributes_of(kind)
    known = {attribute.key for attribute in definitions}
    problems = []
    for key in raw_values:
        if key not in known:
            problems.append(
                (
                    FIELD_PREFIX + str(key),
                    "该属性不存在或不适用于此类单位，请刷新后重试。",
                    "unknown_attribute",
                )
            )

    values = {}
    for attribute in definitions:
        raw = raw_values.get(attribute.key, current.get(attribute.key, ""))
        text = "" if raw is None else str(raw).strip()
        if not text:
            if attribute.required:
                problems.append(
                    (field_name(attribute), f"请填写“{attribute.name}”，该属性为必填。", "required")
                )
            continue
        try:
            values[attribute.key] = normalise_value(attribute, text)
        except ValueError as error:
            problems.append((field_name(attribute), str(error), "invalid"))
    return values, problems


def filter_condition(attribute: OrganisationAttribute, value) -> Q:
    """Return the filter for organisations whose ``attribute`` matches ``value``.

    Raises ValueError (with a Chinese message) for a value the attribute cannot hold.
    """
    lookup = f"attributes__{attribute.key}"
    if attribute.data_type == DataType.TEXT:
        return Q(**{f"{lookup}__icontains": str(value).strip()})
    return Q(**{lookup: normalise_value(attribute, value)})


def display_values(kind: str, values: dict) -> list[tuple[OrganisationAttribute, str]]:
    """Return ``(attribute, value)`` pairs in the attributes' order, empty text for unset ones."""
    return [(attribute, values.get(attribute.key, "")) for attribute in attributes_of(kind)]
