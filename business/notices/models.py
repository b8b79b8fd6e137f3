"""Notices (通知公告) from regulators to enterprises and technical institutions.

A notice's readership is a set of organisation kinds and one division: users of an
organisation of a chosen kind in that division or below may read it. Every query for
readers filters on that rule on the server. Reading a notice leaves a receipt.
"""

from django.db import models

from business.access.scope_paths import ScopePaths
from business.organisations.models import private_storage

TITLE_MAX_LENGTH = 150


class Notice(models.Model):
    scope_paths = ScopePaths(organisation=("publisher",))

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤回"

    title = models.CharField("标题", max_length=TITLE_MAX_LENGTH)
    body = models.TextField("正文")
    publisher = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="发布单位",
        on_delete=models.PROTECT,
        related_name="published_notices",
    )
    created_by = models.ForeignKey(
        "accounts.BusinessUser", verbose_name="起草人", on_delete=models.PROTECT, related_name="+"
    )
    for_enterprises = models.BooleanField("发企业", default=False)
    for_institutions = models.BooleanField("发技术机构", default=False)
    target_division = models.ForeignKey(
        "reference.Division",
        verbose_name="发放范围（区划及下级）",
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "target_division", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def reader_kinds(self) -> list[str]:
        kinds = []
        if self.for_enterprises:
            kinds.append("enterprise")
        if self.for_institutions:
            kinds.append("institution")
        return kinds


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    # Stored under PRIVATE_MEDIA_ROOT with a random name; served only through the API
    # after the readership check.
    file = models.FileField("文件", upload_to="notice_attachments/", storage=private_storage)
    file_name = models.CharField("原文件名", max_length=150)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "通知附件"
        verbose_name_plural = "通知附件"
        ordering = ["notice", "pk"]

    def __str__(self) -> str:
        return self.file_name


class NoticeReceipt(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts")
    reader = models.ForeignKey(
        "accounts.BusinessUser", verbose_name="阅读人", on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField("阅读时间", auto_now_add=True)

    class Meta:
        verbose_name = "阅读回执"
        verbose_name_plural = "阅读回执"
        constraints = [
            models.UniqueConstraint(fields=["notice", "reader"], name="unique_notice_receipt")
        ]
