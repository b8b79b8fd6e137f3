"""Deliver messages to business users' message centres, and mark them read."""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from business.audit import services as audit

from .models import Message

logger = logging.getLogger(__name__)


class MessageNotFoundError(Exception):
    """Raised when some of the given ids are not messages of the user."""

    def __init__(self, missing: list[int]):
        super().__init__(missing)
        self.missing = missing


def notify(
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    dedupe_key: str = "",
) -> int:
    """Send one message to each recipient and return how many were new.

    With a ``dedupe_key`` a recipient who already has a message with that key gets no
    second one, so a job may run again safely.
    """
    messages = [
        Message(
            recipient=recipient,
            kind=kind,
            title=title[:200],
            body=body,
            link=link,
            dedupe_key=dedupe_key,
        )
        for recipient in recipients
    ]
    if not messages:
        return 0
    if dedupe_key:
        already = set(
            Message.objects.filter(
                dedupe_key=dedupe_key, recipient__in=[m.recipient for m in messages]
            ).values_list("recipient_id", flat=True)
        )
        messages = [m for m in messages if m.recipient.pk not in already]
    Message.objects.bulk_create(messages, ignore_conflicts=bool(dedupe_key))
    logger.info("sent %d %s messages (key %s)", len(messages), kind, dedupe_key or "-")
    return len(messages)


def messages_of(user):
    """Return the user's own messages, newest first; no query reaches another user's messages."""
    return Message.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


@transaction.atomic
def mark_read(user, ids: list[int], *, request_info: audit.RequestInfo) -> int:
    """Mark the user's messages ``ids`` read and return how many changed.

    Raises MessageNotFoundError, changing nothing, when an id is not a message of
    the user: another user's message behaves exactly like one that does not exist.
    """
    wanted = set(ids)
    own = set(Message.objects.filter(recipient=user, pk__in=wanted).values_list("pk", flat=True))
    missing = sorted(wanted - own)
    if missing:
        raise MessageNotFoundError(missing)

    changed = Message.objects.filter(pk__in=own, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    object_id = ",".join(str(pk) for pk in sorted(own))
    _record_read(user, changed, object_id=object_id, request_info=request_info)
    return changed


@transaction.atomic
def mark_all_read(user, *, request_info: audit.RequestInfo) -> int:
    """Mark every unread message of the user read and return how many changed."""
    changed = Message.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    _record_read(user, changed, object_id="all", request_info=request_info)
    return changed


def _record_read(user, changed: int, *, object_id: str, request_info) -> None:
    # The audit log's object id has at most 64 characters, so a long id list is cut.
    # The number of changed messages is recorded in full.
    if len(object_id) > 64:
        object_id = object_id[:61] + "..."
    audit.record_event(
        "message.mark_read",
        actor=audit.business_actor(user),
        request_info=request_info,
        object_type="message",
        object_id=object_id,
        changes={"messages_marked_read": (None, changed)},
    )
    logger.info("business user %s marked %d messages read", user.pk, changed)
