"""Deliver messages to business users' message centres."""

import logging
from collections.abc import Iterable

from .models import Message

logger = logging.getLogger(__name__)


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
