"""Writing audit events. ``record_event`` is the only way rows enter the audit log.

Business actions call it inside their own transaction, as the last step before the
transaction commits:

    @transaction.atomic
    def void_certificate(certificate, reason, *, actor, request_info):
        ...
        record_event("certificate.void", actor=actor, request_info=request_info,
                     object_type="certificate", object_id=certificate.number,
                     changes={"status": ("valid", "void")})

The audit write fails closed: when it raises, the caller's transaction rolls back
with it, so no business change is committed without its audit row. Appending
locks the chain head until the caller's transaction ends, so audited transactions
commit one at a time. Call ``record_event`` last to keep that lock short.
"""

import ipaddress
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from business.core import masking

from . import chain
from .models import AuditChainHead, AuditEvent

logger = logging.getLogger(__name__)

# Dotted lower-case codes such as "certificate.issue" or "user.password.reset".
ACTION_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")

# Changed fields whose values are masked by default, by field name. Callers add
# their own with ``sensitive_fields``.
DEFAULT_SENSITIVE_FIELDS = {
    "phone": "phone",
    "mobile": "phone",
    "mobile_number": "phone",
    "contact_phone": "phone",
    "id_number": "id_number",
    "resident_id_number": "id_number",
    "email": "email",
    "password": "secret",
    "secret": "secret",
    "token": "secret",
}


class AuditChainError(Exception):
    """Raised when the chain head is missing although events exist, so no event can be appended."""


@dataclass(frozen=True)
class Actor:
    """Performer of an action. ``table`` is an AuditEvent.ActorTable value."""

    table: str
    id: str = ""
    name: str = ""
    role: str = ""
    organisation_id: int | None = None


SYSTEM_ACTOR = Actor(table=AuditEvent.ActorTable.SYSTEM, name="系统")


@dataclass(frozen=True)
class RequestInfo:
    """Origin of an action. ``channel`` is an AuditEvent.Channel value."""

    channel: str
    ip_address: str = ""
    user_agent: str = ""
    request_id: str = ""


SYSTEM_REQUEST = RequestInfo(channel=AuditEvent.Channel.SYSTEM)


def record_event(
    action: str,
    *,
    actor: Actor,
    request_info: RequestInfo,
    result: str = AuditEvent.Result.SUCCESS,
    reason: str = "",
    object_type: str = "",
    object_id: str | int = "",
    changes: Mapping[str, object] | None = None,
    sensitive_fields: Mapping[str, str] | None = None,
) -> AuditEvent:
    """Append one event to the audit log and return it.

    ``changes`` maps field names to ``(before, after)`` pairs or to
    ``{"before": …, "after": …}``. Values of sensitive fields (DEFAULT_SENSITIVE_FIELDS
    plus ``sensitive_fields``, which maps a field name to a kind of
    business.core.masking.MASKS_BY_KIND) are masked before they are stored. A
    failure needs a ``reason``.

    Raises ValueError for invalid arguments, AuditChainError for a broken chain
    head, and the database's error when the insert fails.
    """
    event = AuditEvent(
        actor_table=actor.table,
        actor_id=str(actor.id),
        actor_name=actor.name,
        actor_role=actor.role,
        organisation_id=actor.organisation_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        changes=audit_changes(changes or {}, sensitive_fields or {}),
        ip_address=_normalise_ip_address(request_info.ip_address),
        # Browsers send arbitrarily long user agents, so keep the start only.
        user_agent=request_info.user_agent[: AuditEvent._meta.get_field("user_agent").max_length],
        channel=request_info.channel,
        request_id=request_info.request_id,
        result=result,
        reason=reason,
    )
    _validate(event)

    try:
        _append(event)
    except Exception:
        logger.exception(
            "Failed to write audit event %s on %s %s, so the action fails too",
            action,
            object_type,
            event.object_id,
        )
        raise
    return event


def audit_changes(
    changes: Mapping[str, object], sensitive_fields: Mapping[str, str]
) -> dict[str, dict[str, object]]:
    """Return ``changes`` as ``{field: {"before": …, "after": …}}`` with sensitive values masked."""
    kinds = {**DEFAULT_SENSITIVE_FIELDS, **sensitive_fields}
    result = {}
    for field_name, change in changes.items():
        if isinstance(change, Mapping):
            before, after = change.get("before"), change.get("after")
        else:
            before, after = change
        mask = _mask_for(kinds.get(field_name))
        result[str(field_name)] = {
            "before": mask(_json_value(before)),
            "after": mask(_json_value(after)),
        }
    return result


def _mask_for(kind: str | None) -> Callable[[object], object]:
    if kind is None:
        return lambda value: value
    if kind not in masking.MASKS_BY_KIND:
        raise ValueError(
            f"unknown sensitive field kind {kind!r}. Use one of {sorted(masking.MASKS_BY_KIND)}"
        )
    mask = masking.MASKS_BY_KIND[kind]
    return lambda value: mask(value if value is None else str(value))


def _json_value(value: object) -> object:
    # Strings, integers, booleans and None survive a JSON round trip on every
    # database unchanged. Floats, decimals and dates are stored as their text, so
    # the MAC computed now matches the one recomputed from the stored row.
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _normalise_ip_address(value: str) -> str:
    if not value:
        return ""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise ValueError(f"invalid IP address for the audit log: {value!r}") from None


def _validate(event: AuditEvent) -> None:
    if not ACTION_PATTERN.fullmatch(event.action):
        raise ValueError(
            f"audit action must be a dotted lower-case code such as 'certificate.issue', "
            f"got {event.action!r}"
        )
    choices = {
        "actor_table": AuditEvent.ActorTable,
        "channel": AuditEvent.Channel,
        "result": AuditEvent.Result,
    }
    for field_name, choice_class in choices.items():
        value = getattr(event, field_name)
        if value not in choice_class.values:
            raise ValueError(
                f"audit {field_name} must be one of {choice_class.values}, got {value!r}"
            )
    if event.result == AuditEvent.Result.FAILURE and not event.reason:
        raise ValueError("a failed action needs a reason in the audit log")
    for field_name in ("actor_id", "actor_name", "actor_role", "action", "object_type",
                       "object_id", "request_id", "reason"):
        max_length = AuditEvent._meta.get_field(field_name).max_length
        if len(getattr(event, field_name)) > max_length:
            raise ValueError(f"audit {field_name} is longer than {max_length} characters")


def _append(event: AuditEvent) -> None:
    with transaction.atomic():
        head = _lock_head()
        # The time is taken under the lock, so time order follows sequence order.
        event.occurred_at = timezone.now()
        event.sequence = head.last_sequence + 1
        event.previous_mac = head.last_mac
        event.mac = chain.compute_mac(event)
        event.save(force_insert=True)
        AuditChainHead.objects.filter(pk=AuditChainHead.SINGLETON_PK).update(
            last_sequence=event.sequence, last_mac=event.mac
        )
    logger.debug("Recorded audit event %s (%s)", event.sequence, event.action)


def _lock_head() -> AuditChainHead:
    """Lock and return the chain head, creating it for an empty log.

    The no-op UPDATE takes the lock before anything is read: a row lock until
    commit on PostgreSQL, and the database write lock on SQLite, where
    SELECT ... FOR UPDATE does nothing.
    """
    head_rows = AuditChainHead.objects.filter(pk=AuditChainHead.SINGLETON_PK)
    if head_rows.update(last_sequence=F("last_sequence")) == 0:
        _create_head()
        head_rows.update(last_sequence=F("last_sequence"))
    return head_rows.get()


def _create_head() -> None:
    # Insert first. If another transaction is creating the head at the same time,
    # this insert waits for it and fails on the primary key, and the events that
    # the other transaction committed are then no sign of tampering.
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(
                pk=AuditChainHead.SINGLETON_PK, last_sequence=0, last_mac=chain.GENESIS_MAC
            )
            if AuditEvent.objects.exists():
                raise AuditChainError(
                    "The audit chain head row is missing although audit events exist, so "
                    "new events cannot be chained. Run 'manage.py verify_audit_chain' and "
                    "restore audit_chain_head from a backup."
                )
    except IntegrityError:
        return
    logger.info("Started a new audit chain")


def request_info_from(request, channel: str) -> RequestInfo:
    """Describe where a request came from, for an audit event."""
    from business.core.ratelimit import client_ip

    address = client_ip(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        # A proxy header can carry anything; an unusable address is left out rather
        # than failing the action being audited.
        address = ""
    return RequestInfo(
        channel=channel,
        ip_address=address,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


def business_actor(user) -> Actor:
    """Describe a business user as the actor of an audit event."""
    return Actor(
        table=AuditEvent.ActorTable.BUSINESS,
        id=user.pk,
        name=user.display_name or user.username,
        organisation_id=user.organisation_id,
    )
