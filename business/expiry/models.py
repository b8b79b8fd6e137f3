"""Expiry warnings (检定到期预警): the administrator's lead times and the warnings already sent."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

DEFAULT_LEAD_DAYS = "30,15,7"
MAX_LEAD_DAYS = 365
MAX_THRESHOLDS = 6
# Stored in ExpiryWarning.lead_days for a warning sent after the due date passed.
OVERDUE = 0


def parse_lead_days(text: str) -> list[int]:
    """Return the lead times in ``text`` ("30,15,7") as distinct days, largest first.

    Raises ValidationError with a Chinese message naming the problem.
    """
    parts = [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
    if not parts:
        raise ValidationError("请至少填写一个提前天数，例如 30,15,7。")
    days = []
    for part in parts:
        if not (part.isascii() and part.isdigit()) or not 1 <= int(part) <= MAX_LEAD_DAYS:
            raise ValidationError(
                f"“{part}”不是 1 至 {MAX_LEAD_DAYS} 之间的整数天数，请用英文逗号分隔，例如 30,15,7。"
            )
        days.append(int(part))
    if len(set(days)) != len(days):
        raise ValidationError("提前天数有重复，请删去重复的天数。")
    if len(days) > MAX_THRESHOLDS:
        raise ValidationError(f"最多设置 {MAX_THRESHOLDS} 个提前天数。")
    return sorted(days, reverse=True)


def validate_lead_days(text: str) -> None:
    parse_lead_days(text)


@register_setting(icon="date")
class ExpiryWarningSettings(BaseGenericSetting):
    """到期提醒设置: when the daily job warns enterprises before a due date."""

    lead_days = models.CharField(
        "提前提醒天数",
        max_length=40,
        default=DEFAULT_LEAD_DAYS,
        validators=[validate_lead_days],
        help_text="在到期前多少天发出提醒，多个天数用英文逗号分隔，例如 30,15,7。"
        "每台器具在每个天数只提醒一次。",
    )
    warn_overdue = models.BooleanField(
        "到期后提醒", default=True, help_text="勾选后，证书过期或使用期限届满当天起再提醒一次。"
    )

    panels = [FieldPanel("lead_days"), FieldPanel("warn_overdue")]

    class Meta:
        verbose_name = "到期提醒设置"

    def thresholds(self) -> list[int]:
        """Return the lead times, largest first, then OVERDUE (0) when overdue warnings are on."""
        days = parse_lead_days(self.lead_days)
        return days + [OVERDUE] if self.warn_overdue else days


class ExpiryWarning(models.Model):
    """One warning delivered for an instrument, due date and lead time.

    The daily job skips every (instrument, due date, lead time) already stored here,
    with one anti-join instead of a look-up per instrument. A new certificate moves the
    due date, so the warnings start again for the next cycle.
    """

    instrument = models.ForeignKey(
        "instruments.Instrument",
        verbose_name="计量器具",
        on_delete=models.CASCADE,
        related_name="expiry_warnings",
        # The unique constraint below starts with the instrument and serves as its index.
        db_index=False,
    )
    due_date = models.DateField("到期日期")
    # Days before the due date; OVERDUE (0) for the warning after it.
    lead_days = models.PositiveSmallIntegerField("提前天数")
    recipient_count = models.PositiveIntegerField("接收人数")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "已发送的到期提醒"
        verbose_name_plural = "已发送的到期提醒"
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "due_date", "lead_days"], name="unique_expiry_warning"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.due_date} {self.lead_days}"
