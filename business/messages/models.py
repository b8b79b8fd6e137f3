"""In-app messages (站内消息) of the message centre."""

from django.db import models
from django.db.models import Q


class Message(models.Model):
    class Kind(models.TextChoices):
        EXPIRY = "expiry", "到期提醒"
        APPLICATION = "application", "检定申请"
        NOTICE = "notice", "通知公告"
        INTERACTION = "interaction", "咨询投诉"
        TASK = "task", "待办任务"
        SYSTEM = "system", "系统消息"

    recipient = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="messages",
    )
    kind = models.CharField("消息类型", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    # Path of the frontend screen that shows the object, such as /ledger/42.
    link = models.CharField("链接", max_length=300, blank=True)
    # Jobs that run repeatedly (the daily expiry job) set a key so that a message is
    # delivered once per recipient, however often the job runs.
    dedupe_key = models.CharField("去重键", max_length=120, blank=True)
    # Lists are per recipient, served by the index below. A separate index on the time
    # alone would only slow down the bulk inserts of the daily expiry job.
    created_at = models.DateTimeField("发送时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="unique_message_dedupe_key",
            )
        ]

    def __str__(self) -> str:
        return self.title
