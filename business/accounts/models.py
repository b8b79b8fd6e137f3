"""Business user accounts, their sign-in history and mobile access tokens.

Business users (staff of enterprises, technical institutions and regulators) live in
their own table. Django's ``auth.User`` stays for the Wagtail admin and the platform
administrators, and a user name may exist in only one of the two tables.
"""

import datetime

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from business.access.scope_paths import ScopePaths

USERNAME_MAX_LENGTH = 150


def admin_username_exists(username: str) -> bool:
    """Return whether an admin account (``auth.User``) already uses ``username``.

    The comparison ignores case, so "Zhang" and "zhang" count as the same name.
    """
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username__iexact=username).exists()


class BusinessUser(models.Model):
    """A person who signs in to the business screens on behalf of an organisation."""

    scope_paths = ScopePaths(organisation=("organisation",), owner="pk")

    username = models.CharField(
        "用户名",
        max_length=USERNAME_MAX_LENGTH,
        unique=True,
        validators=[UnicodeUsernameValidator()],
        help_text="登录用的名称，最多 150 个字符，只能包含字母、数字和 @ . + - _，不区分大小写。",
    )
    display_name = models.CharField("姓名", max_length=50)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="所属单位",
        on_delete=models.PROTECT,
        related_name="business_users",
    )
    is_active = models.BooleanField("启用", default=True)
    password = models.CharField("密码哈希", max_length=128)
    must_change_password = models.BooleanField(
        "须修改密码",
        default=True,
        help_text="初始密码和管理员重置的密码只能用来修改密码。",
    )
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    failed_login_count = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    last_login_at = models.DateTimeField("最近登录时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "业务用户"
        verbose_name_plural = "业务用户"
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="unique_business_username_ignoring_case",
                violation_error_message="该用户名已被使用（不区分大小写），请换一个。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name}（{self.username}）"

    def clean(self):
        super().clean()
        if self.username and admin_username_exists(self.username):
            raise ValidationError(
                {"username": "该用户名已被管理员账号使用，请换一个。"}, code="username_taken"
            )

    def set_password(self, raw_password: str) -> None:
        self.password = make_password(raw_password)

    def check_password(self, raw_password: str) -> bool:
        """Return whether ``raw_password`` matches, without upgrading the stored hash."""
        return check_password(raw_password, self.password)

    def is_locked(self, now: datetime.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def password_expired(self, now: datetime.datetime) -> bool:
        """Return whether the password is older than ``PASSWORD_MAX_AGE_DAYS``.

        A user without a recorded change date counts as expired.
        """
        if self.password_changed_at is None:
            return True
        max_age = datetime.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
        return self.password_changed_at + max_age <= now

    @property
    def password_change_required(self) -> bool:
        """Whether the user may only change the password (initial, reset or expired)."""
        return self.must_change_password or self.password_expired(timezone.now())


class PasswordHistory(models.Model):
    """A hash of a password a business user has had, to stop its reuse."""

    user = models.ForeignKey(
        BusinessUser,
        verbose_name="业务用户",
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("设置时间")

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        indexes = [models.Index(fields=["user", "-created_at"])]


class LoginLog(models.Model):
    """One sign-in attempt, kept for the security audit even when the user is unknown."""

    class Channel(models.TextChoices):
        PC = "pc", "电脑端"
        MOBILE = "mobile", "移动端"

    class Result(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"
        LOCKED = "locked", "已锁定"

    class Reason(models.TextChoices):
        SUCCESS = "success", "登录成功"
        UNKNOWN_USER = "unknown_user", "用户名不存在"
        WRONG_PASSWORD = "wrong_password", "密码错误"
        LOCKOUT_STARTED = "lockout_started", "连续失败次数达到上限，账号被锁定"
        ACCOUNT_LOCKED = "account_locked", "账号锁定期间尝试登录"
        INACTIVE_USER = "inactive_user", "账号已停用"
        INACTIVE_ORGANISATION = "inactive_organisation", "所属单位已停用"
        RATE_LIMITED = "rate_limited", "同一地址尝试过于频繁"

    created_at = models.DateTimeField("时间", db_index=True)
    username = models.CharField("尝试的用户名", max_length=USERNAME_MAX_LENGTH)
    user = models.ForeignKey(
        BusinessUser,
        verbose_name="业务用户",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="login_logs",
    )
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("客户端标识（User-Agent）", max_length=300, blank=True)
    channel = models.CharField("登录渠道", max_length=10, choices=Channel.choices)
    result = models.CharField("结果", max_length=10, choices=Result.choices)
    reason = models.CharField("原因", max_length=30, choices=Reason.choices)

    class Meta:
        verbose_name = "登录日志"
        verbose_name_plural = "登录日志"
        indexes = [
            models.Index(fields=["username", "-created_at"]),
            models.Index(fields=["user", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_result_display()}"


class AccessToken(models.Model):
    """A bearer token of the mobile channel. Only the SM3 hash of the token is stored."""

    user = models.ForeignKey(
        BusinessUser,
        verbose_name="业务用户",
        on_delete=models.CASCADE,
        related_name="access_tokens",
    )
    token_hash = models.CharField("令牌 SM3 摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("签发时间")
    expires_at = models.DateTimeField("过期时间")
    last_used_at = models.DateTimeField("最近使用时间")

    class Meta:
        verbose_name = "移动端访问令牌"
        verbose_name_plural = "移动端访问令牌"
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.user.username} {self.created_at:%Y-%m-%d %H:%M}"
