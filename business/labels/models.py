"""Tokens of the instruments' QR labels, which open the public status page."""

import secrets

from django.db import models

# 16 random bytes: 128 bits, written as 22 URL-safe characters.
TOKEN_BYTES = 16


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class InstrumentLabel(models.Model):
    """The public token printed in an instrument's QR label.

    The token is random and stored, not derived from the instrument id, so no one
    can compute another instrument's address. It is created when a label is first
    printed and stays the same for every reprint.
    """

    instrument = models.OneToOneField(
        "instruments.Instrument",
        verbose_name="计量器具",
        on_delete=models.CASCADE,
        related_name="label",
    )
    token = models.CharField("公开查询令牌", max_length=32, unique=True, default=new_token)
    created_at = models.DateTimeField("首次打印时间", auto_now_add=True)

    class Meta:
        verbose_name = "器具二维码标签"
        verbose_name_plural = "器具二维码标签"

    def __str__(self) -> str:
        return f"{self.instrument_id}"
