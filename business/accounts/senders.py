"""Delivery of one-time codes by SMS or e-mail, behind one pluggable interface.

``ONE_TIME_CODE_SENDER`` names the class (a dotted path). It gets one call per code:

    class GatewaySender(CodeSender):
        def send(self, message: CodeMessage) -> None:
            ...  # call the SMS gateway or the mail server; raise SendFailed on failure

The development sender below delivers nothing: it logs that a code went out, without
the code, and keeps the message in ``OUTBOX`` so that tests can read the code.
"""

import logging
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

PURPOSE_TEXT = {
    "sign_in": "登录",
    "recovery": "找回密码",
    "verify_contact": "验证联系方式",
    "step_up": "验证身份",
}


class SendFailed(Exception):
    """The gateway did not accept the message; the caller tells the user to try later."""


@dataclass(frozen=True)
class CodeMessage:
    """One code to deliver. ``channel`` is "sms" or "email"; ``user_id`` is for logs only."""

    channel: str
    destination: str
    purpose: str
    code: str
    user_id: int | None
    valid_minutes: int

    @property
    def text(self) -> str:
        """The message body, in Chinese, as the user receives it."""
        purpose = PURPOSE_TEXT.get(self.purpose, "验证身份")
        return (
            f"【{settings.WAGTAIL_SITE_NAME}】您正在{purpose}，验证码 {self.code}，"
            f"{self.valid_minutes} 分钟内有效。如非本人操作，请忽略本消息。"
        )


class CodeSender:
    """Base class of the senders named by ``ONE_TIME_CODE_SENDER``."""

    def send(self, message: CodeMessage) -> None:
        raise NotImplementedError


# Messages the development sender "sent", newest last. Tests read codes from here.
OUTBOX: list[CodeMessage] = []
OUTBOX_LIMIT = 100


class LoggingSender(CodeSender):
    """Development and test sender: logs the event and keeps the message in ``OUTBOX``.

    The code itself is logged at DEBUG only, so that a developer running with
    LOG_LEVEL=DEBUG can sign in with an SMS code; INFO never shows it.
    """

    def send(self, message: CodeMessage) -> None:
        OUTBOX.append(message)
        del OUTBOX[:-OUTBOX_LIMIT]
        logger.info(
            "Sent a %s code by %s to business user %s (development sender: not delivered)",
            message.purpose,
            message.channel,
            message.user_id,
        )
        logger.debug("Development one-time code for user %s: %s", message.user_id, message.code)


@lru_cache(maxsize=4)
def _sender_class(path: str) -> type[CodeSender]:
    return import_string(path)


def get_sender() -> CodeSender:
    """Return an instance of the configured sender."""
    return _sender_class(settings.ONE_TIME_CODE_SENDER)()


def last_code(destination: str | None = None) -> str | None:
    """Return the newest code in ``OUTBOX`` (for ``destination`` if given); for tests."""
    for message in reversed(OUTBOX):
        if destination is None or message.destination == destination:
            return message.code
    return None
