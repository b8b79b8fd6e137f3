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
from business.core.crypto.fields import BlindIndexField, EncryptedTextField
from business.core.validators import normalise_mobile_number

USERNAME_MAX_LENGTH = 150


def normalise_email(value: str) -> str:
    """Lower-case an e-mail address and strip spaces, for its blind index."""
    return value.strip().lower()


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

    # Contact details for one-time codes (second factor, account recovery). Stored
    # SM4-encrypted; the blind indexes allow exact look-ups. A code is only ever sent
    # to a verified address.
    phone = EncryptedTextField("手机号码", null=True, blank=True)
    phone_index = BlindIndexField(source="phone", normaliser=normalise_mobile_number)
    phone_verified_at = models.DateTimeField("手机号码验证时间", null=True, blank=True)
    email = EncryptedTextField("电子邮箱", null=True, blank=True)
    email_index = BlindIndexField(source="email", normaliser=normalise_email)
    email_verified_at = models.DateTimeField("电子邮箱验证时间", null=True, blank=True)
    # A second factor by one-time code (SMS or e-mail). A confirmed TOTP device is a
    # second factor of its own, whatever this says.
    message_second_factor = models.CharField(
        "短信或邮件验证码登录",
        max_length=10,
        blank=True,
        choices=[("sms", "短信验证码"), ("email", "邮件验证码")],
        help_text="为空时不使用短信或邮件验证码作为第二因素。",
    )

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
        indexes = [
            # The user list, newest first: read in this order, a page stops after
            # its rows instead of sorting every user in scope.
            models.Index(fields=["-created_at", "-id"], name="business_user_newest"),
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

    @property
    def verified_phone(self) -> str | None:
        return self.phone if self.phone and self.phone_verified_at else None

    @property
    def verified_email(self) -> str | None:
        return self.email if self.email and self.email_verified_at else None


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
        CAPTCHA_FAILED = "captcha_failed", "验证码未填写或不正确"
        WRONG_SECOND_FACTOR = "wrong_second_factor", "第二因素验证码错误"
        PASSWORD_RECOVERED = "password_recovered", "通过找回密码重设了密码"

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
    second_factor = models.CharField(
        "第二因素", max_length=20, blank=True, help_text="totp、recovery_code、sms 或 email"
    )

    class Meta:
        verbose_name = "登录日志"
        verbose_name_plural = "登录日志"
        indexes = [
            models.Index(fields=["username", "-created_at"]),
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["ip_address", "-created_at"]),
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


class OnlineSession(models.Model):
    """One signed-in session (PC) or bearer token (mobile) of a business user.

    Django's session table cannot be searched by user, so every sign-in also writes
    a row here. A session or token is valid only while its row exists: deleting the
    row signs the device out at its next request (forced logout). The session stores
    the row's id; the session key itself is not copied here.
    """

    user = models.ForeignKey(
        BusinessUser,
        verbose_name="业务用户",
        on_delete=models.CASCADE,
        related_name="online_sessions",
    )
    channel = models.CharField("登录渠道", max_length=10, choices=LoginLog.Channel.choices)
    access_token = models.OneToOneField(
        AccessToken,
        verbose_name="移动端访问令牌",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="online_session",
    )
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("客户端标识（User-Agent）", max_length=300, blank=True)
    started_at = models.DateTimeField("登录时间")
    last_seen_at = models.DateTimeField("最近活动时间")
    # Last time the user proved who they are in this session: the sign-in itself, or
    # a re-authentication before a sensitive operation (step-up).
    authenticated_at = models.DateTimeField("最近验证身份时间")

    class Meta:
        verbose_name = "在线会话"
        verbose_name_plural = "在线会话"
        indexes = [models.Index(fields=["user", "-last_seen_at"])]

    def __str__(self) -> str:
        return f"{self.user.username} {self.get_channel_display()} {self.started_at:%Y-%m-%d %H:%M}"


class TOTPDevice(models.Model):
    """An authenticator app of a business user (RFC 6238, 6 digits, 30 seconds).

    Unconfirmed until the user types a first code, and only a confirmed device makes
    the second sign-in step compulsory.
    """

    user = models.OneToOneField(
        BusinessUser,
        verbose_name="业务用户",
        on_delete=models.CASCADE,
        related_name="totp_device",
    )
    secret = EncryptedTextField("密钥")
    created_at = models.DateTimeField("创建时间")
    confirmed_at = models.DateTimeField("启用时间", null=True, blank=True)
    # Time step of the last accepted code, so the same code cannot be used twice.
    last_used_step = models.BigIntegerField("最近使用的时间步", default=0)

    class Meta:
        verbose_name = "动态口令设备"
        verbose_name_plural = "动态口令设备"


class RecoveryCode(models.Model):
    """A one-use code that stands in for a TOTP code when the phone is lost."""

    user = models.ForeignKey(
        BusinessUser,
        verbose_name="业务用户",
        on_delete=models.CASCADE,
        related_name="recovery_codes",
    )
    code_hash = models.CharField("恢复码摘要", max_length=64)
    created_at = models.DateTimeField("生成时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "恢复码"
        verbose_name_plural = "恢复码"
        indexes = [models.Index(fields=["user", "code_hash"])]


class OneTimeCode(models.Model):
    """A numeric code sent by SMS or e-mail, for one purpose, valid for a short time.

    Only a hash is stored. Rows for unknown accounts (``user`` empty) are written too
    during account recovery, so that a request for an unknown name looks and takes
    the same as one for a real account.
    """

    class Purpose(models.TextChoices):
        SIGN_IN = "sign_in", "登录第二步"
        RECOVERY = "recovery", "找回密码"
        VERIFY_CONTACT = "verify_contact", "验证手机号码或邮箱"
        STEP_UP = "step_up", "敏感操作前验证身份"

    class Channel(models.TextChoices):
        SMS = "sms", "短信"
        EMAIL = "email", "邮件"

    token_hash = models.CharField("请求标识 SM3 摘要", max_length=64, unique=True)
    user = models.ForeignKey(
        BusinessUser,
        verbose_name="业务用户",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="one_time_codes",
    )
    purpose = models.CharField("用途", max_length=20, choices=Purpose.choices)
    channel = models.CharField("发送方式", max_length=10, choices=Channel.choices)
    # For contact verification: the address being verified, encrypted.
    destination = EncryptedTextField("发送地址", null=True, blank=True)
    code_hash = models.CharField("验证码摘要", max_length=64)
    created_at = models.DateTimeField("发送时间")
    expires_at = models.DateTimeField("过期时间")
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "一次性验证码"
        verbose_name_plural = "一次性验证码"
        indexes = [models.Index(fields=["expires_at"])]


class SignInChallenge(models.Model):
    """A sign-in whose password was right and that waits for the second factor."""

    token_hash = models.CharField("挑战标识 SM3 摘要", max_length=64, unique=True)
    user = models.ForeignKey(
        BusinessUser,
        verbose_name="业务用户",
        on_delete=models.CASCADE,
        related_name="sign_in_challenges",
    )
    channel = models.CharField("登录渠道", max_length=10, choices=LoginLog.Channel.choices)
    username = models.CharField("尝试的用户名", max_length=USERNAME_MAX_LENGTH)
    created_at = models.DateTimeField("创建时间")
    expires_at = models.DateTimeField("过期时间")
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)

    class Meta:
        verbose_name = "待完成的两步登录"
        verbose_name_plural = "待完成的两步登录"
        indexes = [models.Index(fields=["expires_at"])]


# --- Admin accounts (auth.User) ------------------------------------------------------


class AdminSecurityState(models.Model):
    """Lockout state and TOTP device of an admin account of the Wagtail admin.

    Kept beside ``auth.User`` rather than on it, because that model belongs to Django.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="管理员账号",
        on_delete=models.CASCADE,
        related_name="security_state",
    )
    failed_login_count = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    totp_secret = EncryptedTextField("动态口令密钥", null=True, blank=True)
    totp_confirmed_at = models.DateTimeField("动态口令启用时间", null=True, blank=True)
    totp_last_used_step = models.BigIntegerField("最近使用的时间步", default=0)

    class Meta:
        verbose_name = "管理员账号安全状态"
        verbose_name_plural = "管理员账号安全状态"

    def is_locked(self, now: datetime.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now
