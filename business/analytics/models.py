"""Visitor analytics of the public portal, kept without raw IP addresses.

A visitor is identified only by an HMAC-SM3 of the client address under a salt
that changes every ``ANALYTICS_SALT_ROTATION_DAYS``. ``purge_analytics`` deletes
salts of past periods, after which their hashes can no longer be linked to an
address, and deletes events older than ``ANALYTICS_RETENTION_DAYS``.
"""

from django.db import models


class VisitorSalt(models.Model):
    """The random salt of one rotation period."""

    period = models.PositiveIntegerField("周期序号", unique=True)
    salt = models.CharField("盐值", max_length=64)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "访客标识盐值"
        verbose_name_plural = "访客标识盐值"


class Device(models.TextChoices):
    DESKTOP = "desktop", "电脑"
    MOBILE = "mobile", "手机或平板"


class VisitorKind(models.TextChoices):
    ANONYMOUS = "anonymous", "未登录访客"
    ENTERPRISE = "enterprise", "企业用户"
    INSTITUTION = "institution", "技术机构用户"
    REGULATOR = "regulator", "监管部门用户"


class VisitEvent(models.Model):
    """Fields shared by page views and searches: when, and which segment the visitor is in."""

    occurred_at = models.DateTimeField("时间", db_index=True)
    # HMAC-SM3 of the client address under the period's salt, hex.
    visitor_hash = models.CharField("访客标识", max_length=64, db_index=True)
    device = models.CharField("终端", max_length=10, choices=Device.choices)
    visitor_kind = models.CharField("访客类型", max_length=12, choices=VisitorKind.choices)
    # True when the same visitor hash was seen on an earlier day of the salt period.
    returning = models.BooleanField("回访")

    class Meta:
        abstract = True


class PageView(VisitEvent):
    path = models.CharField("页面路径", max_length=200)
    page_id = models.PositiveIntegerField("门户页面编号", null=True, blank=True, db_index=True)
    section = models.CharField("栏目", max_length=20, blank=True)

    class Meta:
        verbose_name = "页面浏览"
        verbose_name_plural = "页面浏览"
        indexes = [models.Index(fields=["-occurred_at", "path"])]


class SearchRecord(VisitEvent):
    # Digit runs that may be phone or ID-card numbers are masked before storing.
    query = models.CharField("检索词", max_length=100)
    section = models.CharField("栏目", max_length=20, blank=True)
    result_count = models.PositiveIntegerField("结果数")

    class Meta:
        verbose_name = "检索记录"
        verbose_name_plural = "检索记录"
