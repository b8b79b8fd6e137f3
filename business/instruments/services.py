"""Filing instruments in the ledger and moving them through their lifecycle.

These functions are the only way an instrument's status changes: in use (在用),
disabled (停用) and scrapped (报废). Each change is written with its reason and actor
to InstrumentStatusChange in the same transaction. The Excel import in
``business.instruments.excel`` uses the same field rules.
"""

import logging

from django.db import transaction
from django_fsm import can_proceed

from business.audit import services as audit
from business.organisations.models import Organisation
from business.reference.models import DivisionLevel

from .models import Instrument, InstrumentStatusChange
from .validation import (
    FILING_FIELDS,
    TEXT_FIELDS,
    FieldError,
    check_instrument_fields,
    duplicate_message,
    find_ledger_duplicates,
)

logger = logging.getLogger(__name__)

FILING_REASON = "备案"
ACTOR_SYSTEM = "系统"
MAX_REASON_LENGTH = InstrumentStatusChange._meta.get_field("reason").max_length
MAX_ACTOR_LENGTH = InstrumentStatusChange._meta.get_field("actor").max_length


class InstrumentError(Exception):
    """A ledger rule was broken. The message is shown to the user."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class InstrumentValidationError(InstrumentError):
    """Invalid fields of an instrument, listed in ``errors``."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("".join(error.message for error in errors), code="invalid")
        self.errors = errors


def describe_actor(actor) -> str:
    """Return the text stored as the actor of a change: the user and its id, or 系统."""
    if actor is None:
        return ACTOR_SYSTEM
    meta = getattr(actor, "_meta", None)
    label = meta.label if meta is not None else type(actor).__name__
    text = f"{actor}（{label} {getattr(actor, 'pk', '-')}）"
    return text[:MAX_ACTOR_LENGTH]


def _is_business_user(actor) -> bool:
    from business.accounts.models import BusinessUser

    return isinstance(actor, BusinessUser)


def check_actor_scope(actor, enterprise_id: int) -> None:
    """Raise InstrumentError when ``actor`` may not change the ledger of ``enterprise_id``.

    Business users need ``instruments.manage`` with the enterprise in its data scope.
    The system (None) and Wagtail administrators act on every ledger.
    """
    if not _is_business_user(actor):
        return
    from business.access import scoped

    in_scope = scoped(
        Organisation.objects.filter(pk=enterprise_id),
        actor,
        "instruments.manage",
        paths=Organisation.scope_paths,
    ).exists()
    if not in_scope:
        raise InstrumentError("该单位不在您的数据范围内，不能修改其器具台账。", code="out_of_scope")


def audit_actor(actor) -> audit.Actor:
    """Describe ``actor`` (a business user, None for the system, or another user) for the audit log."""
    if actor is None:
        return audit.SYSTEM_ACTOR
    if _is_business_user(actor):
        return audit.business_actor(actor)
    return audit.Actor(
        table=audit.AuditEvent.ActorTable.ADMIN, id=str(actor.pk), name=str(actor)
    )


def check_enterprise(enterprise: Organisation) -> None:
    if enterprise.kind != Organisation.Kind.ENTERPRISE:
        raise InstrumentError(
            f"“{enterprise.name}”不是企业（使用单位），只能为企业备案计量器具。",
            code="not_enterprise",
        )
    if not enterprise.is_active:
        raise InstrumentError(
            f"“{enterprise.name}”已停用，不能备案计量器具。", code="enterprise_inactive"
        )


def default_division(enterprise: Organisation):
    """Return the enterprise's division when it is county level, otherwise None."""
    division = enterprise.division
    return division if division.level == DivisionLevel.COUNTY else None


def lock_enterprise(enterprise: Organisation) -> None:
    """Lock the enterprise row so that filings and imports of one ledger run one at a time.

    The duplicate check and the insert then see the same ledger. Call inside a
    transaction.
    """
    Organisation.objects.select_for_update().filter(pk=enterprise.pk).first()


def _clean_reason(reason: str, *, required_message: str | None) -> str:
    reason = (reason or "").strip()
    if not reason and required_message:
        raise InstrumentError(required_message, code="missing_reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise InstrumentError(
            f"原因最多 {MAX_REASON_LENGTH} 个字符，现有 {len(reason)} 个，请缩短。",
            code="reason_too_long",
        )
    return reason


@transaction.atomic
def file_instrument(
    enterprise: Organisation, *, actor, request_info: audit.RequestInfo | None = None, **fields
) -> Instrument:
    """File (备案) a new instrument in the ledger of ``enterprise`` and return it.

    ``fields`` are model values for FILING_FIELDS. Without ``division`` the
    enterprise's own division is used when it is county level. Raises
    InstrumentValidationError listing every invalid field, or InstrumentError when
    the enterprise cannot file.
    """
    unknown = set(fields) - set(FILING_FIELDS)
    if unknown:
        raise TypeError(f"file_instrument() got unexpected fields: {', '.join(sorted(unknown))}")

    check_enterprise(enterprise)
    check_actor_scope(actor, enterprise.pk)

    values = {
        "usage": "",
        "kind": "",
        "catalogue_item": None,
        "delivery_mode": Instrument.DeliveryMode.SEND,
        "service_life_end": None,
        **fields,
    }
    for field_name in TEXT_FIELDS:
        values[field_name] = (values.get(field_name) or "").strip()
    if values.get("division") is None:
        values["division"] = default_division(enterprise)

    errors = check_instrument_fields(values)
    if errors:
        raise InstrumentValidationError(errors)

    lock_enterprise(enterprise)
    key = (values["manufacturer"], values["serial_number"])
    if find_ledger_duplicates(enterprise, {key}):
        raise InstrumentValidationError(
            [
                FieldError(
                    "serial_number",
                    f"本单位台账中已有{duplicate_message(key[1], key[0])}，不能重复备案。",
                    "duplicate_serial",
                )
            ]
        )

    instrument = Instrument.objects.create(enterprise=enterprise, **values)
    InstrumentStatusChange.objects.create(
        instrument=instrument,
        from_status="",
        to_status=instrument.status,
        reason=FILING_REASON,
        actor=describe_actor(actor),
    )
    audit.record_event(
        "instrument.file",
        actor=audit_actor(actor),
        request_info=request_info or audit.SYSTEM_REQUEST,
        object_type="instrument",
        object_id=instrument.pk,
        changes={"enterprise": (None, enterprise.pk), "serial_number": (None, instrument.serial_number)},
    )
    logger.info("Filed instrument %s for enterprise %s", instrument.pk, enterprise.pk)
    return instrument


def _audit_value(value):
    """Return a JSON-friendly value of a model field for the audit log."""
    if value is None or isinstance(value, (str, int)):
        return value
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


@transaction.atomic
def update_instrument(
    instrument: Instrument, *, actor, request_info: audit.RequestInfo | None = None, **fields
) -> Instrument:
    """Change the filed fields of an instrument and return the updated row.

    Any FILING_FIELDS may be given; the others keep their values. Status changes go
    through disable/enable/scrap instead. A scrapped instrument cannot be edited,
    because its entry is kept as the record of what was scrapped.
    """
    unknown = set(fields) - set(FILING_FIELDS)
    if unknown:
        raise TypeError(f"update_instrument() got unexpected fields: {', '.join(sorted(unknown))}")

    locked = Instrument.objects.select_for_update().select_related("enterprise").get(pk=instrument.pk)
    check_actor_scope(actor, locked.enterprise_id)
    if locked.status == Instrument.Status.SCRAPPED:
        raise InstrumentError("报废的计量器具不能修改。", code="scrapped")

    values = {name: getattr(locked, name) for name in FILING_FIELDS}
    values.update(fields)
    for field_name in TEXT_FIELDS:
        values[field_name] = (values.get(field_name) or "").strip()

    errors = check_instrument_fields(values)
    if errors:
        raise InstrumentValidationError(errors)

    key = (values["manufacturer"], values["serial_number"])
    if key != (locked.manufacturer, locked.serial_number):
        lock_enterprise(locked.enterprise)
        if find_ledger_duplicates(locked.enterprise, {key}):
            raise InstrumentValidationError(
                [
                    FieldError(
                        "serial_number",
                        f"本单位台账中已有{duplicate_message(key[1], key[0])}，请核对出厂编号。",
                        "duplicate_serial",
                    )
                ]
            )

    changes = {}
    for name in FILING_FIELDS:
        before, after = getattr(locked, name), values[name]
        if before != after:
            changes[name] = (_audit_value(before), _audit_value(after))
            setattr(locked, name, after)
    if not changes:
        return locked

    locked.save(update_fields=[*changes, "updated_at"])
    audit.record_event(
        "instrument.update",
        actor=audit_actor(actor),
        request_info=request_info or audit.SYSTEM_REQUEST,
        object_type="instrument",
        object_id=locked.pk,
        changes=changes,
    )
    logger.info("Updated instrument %s: %s", locked.pk, ", ".join(sorted(changes)))
    return locked


# Messages for a transition requested from a status that does not allow it.
_REJECTED_TRANSITIONS = {
    ("disable", Instrument.Status.DISABLED): ("该计量器具已停用，不能重复停用。", "already_disabled"),
    ("disable", Instrument.Status.SCRAPPED): ("报废的计量器具不能停用。", "scrapped"),
    ("enable", Instrument.Status.IN_USE): ("该计量器具正在使用，无需恢复使用。", "already_in_use"),
    ("enable", Instrument.Status.SCRAPPED): ("报废的计量器具不能恢复使用。", "scrapped"),
    ("scrap", Instrument.Status.SCRAPPED): ("该计量器具已报废，不能重复报废。", "already_scrapped"),
}


def _change_status(
    instrument: Instrument, transition_name: str, reason: str, actor, request_info=None
) -> Instrument:
    """Apply ``transition_name`` to the locked row, record the history and return the row."""
    with transaction.atomic():
        locked = Instrument.objects.select_for_update().get(pk=instrument.pk)
        check_actor_scope(actor, locked.enterprise_id)

        apply_transition = getattr(locked, transition_name)
        from_status = locked.status
        if not can_proceed(apply_transition):
            message, code = _REJECTED_TRANSITIONS[(transition_name, from_status)]
            raise InstrumentError(message, code=code)

        apply_transition()
        locked.save(update_fields=["status", "updated_at"])
        InstrumentStatusChange.objects.create(
            instrument=locked,
            from_status=from_status,
            to_status=locked.status,
            reason=reason,
            actor=describe_actor(actor),
        )
        audit.record_event(
            f"instrument.{transition_name}",
            actor=audit_actor(actor),
            request_info=request_info or audit.SYSTEM_REQUEST,
            object_type="instrument",
            object_id=locked.pk,
            reason=reason,
            changes={"status": (from_status, locked.status)},
        )

    logger.info("Instrument %s changed from %s to %s", locked.pk, from_status, locked.status)
    return locked


def disable_instrument(
    instrument: Instrument, reason: str, *, actor, request_info=None
) -> Instrument:
    """Take an instrument in use out of use (停用) and return the updated row."""
    reason = _clean_reason(reason, required_message="请填写停用原因。")
    return _change_status(instrument, "disable", reason, actor, request_info)


def enable_instrument(
    instrument: Instrument, reason: str = "", *, actor, request_info=None
) -> Instrument:
    """Put a disabled instrument back into use and return the updated row."""
    reason = _clean_reason(reason, required_message=None)
    return _change_status(instrument, "enable", reason, actor, request_info)


def scrap_instrument(
    instrument: Instrument, reason: str, *, actor, request_info=None
) -> Instrument:
    """Scrap (报废) an instrument in use or disabled and return the updated row.

    A scrapped instrument stays in the ledger for its history and certificates but
    can never be put back into use.
    """
    reason = _clean_reason(reason, required_message="请填写报废原因。")
    return _change_status(instrument, "scrap", reason, actor, request_info)
