"""Creating business users, signing them in and changing their passwords.

These functions are the only place the account rules live. The GraphQL API, the
management commands and the demo data generator all call them.

Sign-in failures of every kind return one generic message, so a caller cannot tell
an unknown user name from a wrong password or a locked account. Every path through
``authenticate_business_user`` costs one password hash for the same reason.
"""

import datetime
import enum
import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from business.audit import services as audit
from business.audit.models import AuditEvent
from business.core import ratelimit

from .models import (
    USERNAME_MAX_LENGTH,
    AccessToken,
    BusinessUser,
    LoginLog,
    PasswordHistory,
    admin_username_exists,
)

logger = logging.getLogger(__name__)

GENERIC_LOGIN_FAILURE = "用户名或密码错误，或账号已被锁定，请稍后再试。"
LOGIN_RATE_LIMITED = "登录尝试过于频繁，请稍后再试。"
DISPLAY_NAME_MAX_LENGTH = BusinessUser._meta.get_field("display_name").max_length
USER_AGENT_MAX_LENGTH = LoginLog._meta.get_field("user_agent").max_length

# (field, message, code) of one rejected input, the shape GraphQL payloads return.
FieldProblem = tuple[str | None, str, str]


class AccountError(Exception):
    """Input was rejected; each entry of ``errors`` names the field and the fix."""

    def __init__(self, errors: list[FieldProblem]):
        super().__init__(" ".join(message for _, message, _ in errors))
        self.errors = errors


class LoginStatus(enum.Enum):
    SUCCESS = "SUCCESS"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    RATE_LIMITED = "RATE_LIMITED"


@dataclass
class LoginOutcome:
    status: LoginStatus
    user: BusinessUser | None = None

    @property
    def message(self) -> str:
        if self.status == LoginStatus.RATE_LIMITED:
            return LOGIN_RATE_LIMITED
        if self.status == LoginStatus.INVALID_CREDENTIALS:
            return GENERIC_LOGIN_FAILURE
        return "登录成功。"


# --- Creating users ---------------------------------------------------------------


def username_problems(username: str) -> list[FieldProblem]:
    """Return the problems of a new business user name, including a clash with an admin."""
    if not username:
        return [("username", "请填写用户名。", "required")]
    if len(username) > USERNAME_MAX_LENGTH:
        return [
            ("username", f"用户名不能超过 {USERNAME_MAX_LENGTH} 个字符。", "too_long")
        ]
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        return [("username", "用户名只能包含字母、数字和 @ . + - _ 这几种符号。", "invalid")]
    if BusinessUser.objects.filter(username__iexact=username).exists():
        return [("username", "该用户名已被使用（不区分大小写），请换一个。", "username_taken")]
    if admin_username_exists(username):
        return [("username", "该用户名已被管理员账号使用，请换一个。", "username_taken")]
    return []


def password_problems(password: str, user, field: str) -> list[FieldProblem]:
    """Return one problem per password rule that ``password`` breaks for ``user``."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return [(field, problem.message, problem.code) for problem in error.error_list]
    return []


def _remember_password(user: BusinessUser, now: datetime.datetime) -> None:
    """Add the user's current hash to the history and drop entries beyond the limit."""
    PasswordHistory.objects.create(user=user, password=user.password, created_at=now)
    keep_ids = list(
        PasswordHistory.objects.filter(user=user)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)[: settings.PASSWORD_HISTORY_COUNT]
    )
    PasswordHistory.objects.filter(user=user).exclude(pk__in=keep_ids).delete()


def create_business_user(
    *,
    username: str,
    display_name: str,
    organisation,
    password: str,
    must_change_password: bool = True,
) -> BusinessUser:
    """Create a business user whose initial password must be changed at first sign-in.

    Raises AccountError listing every rejected field. ``must_change_password=False``
    is meant for demo data only.
    """
    username = username.strip()
    display_name = display_name.strip()

    problems = username_problems(username)
    if not display_name:
        problems.append(("displayName", "请填写姓名。", "required"))
    elif len(display_name) > DISPLAY_NAME_MAX_LENGTH:
        problems.append(
            ("displayName", f"姓名不能超过 {DISPLAY_NAME_MAX_LENGTH} 个字符。", "too_long")
        )
    if not organisation.is_active:
        problems.append(
            ("organisation", f"单位“{organisation.name}”已停用，不能为其创建用户。", "inactive")
        )

    user = BusinessUser(
        username=username,
        display_name=display_name,
        organisation=organisation,
        must_change_password=must_change_password,
    )
    problems += password_problems(password, user, field="password")
    if problems:
        raise AccountError(problems)

    now = timezone.now()
    user.set_password(password)
    user.password_changed_at = now
    try:
        with transaction.atomic():
            user.save()
            _remember_password(user, now)
            audit.record_event(
                "account.create",
                actor=audit.SYSTEM_ACTOR,
                request_info=audit.SYSTEM_REQUEST,
                object_type="business_user",
                object_id=user.pk,
                changes={
                    "username": (None, user.username),
                    "organisation": (None, organisation.pk),
                },
            )
    except IntegrityError:
        # Another request created the same name between the check and the insert.
        raise AccountError(
            [("username", "该用户名已被使用（不区分大小写），请换一个。", "username_taken")]
        ) from None

    logger.info("Created business user %s of organisation %s", user.pk, organisation.pk)
    return user


# --- Signing in -------------------------------------------------------------------


def _client_address(request) -> str | None:
    """Return the client IP address, or None when it is not a valid address."""
    address = ratelimit.client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _write_login_log(request, *, now, username, user, channel, result, reason) -> None:
    """Record a sign-in attempt in the login log and in the audit log."""
    succeeded = result == LoginLog.Result.SUCCESS
    if user is not None:
        actor = audit.business_actor(user)
    else:
        actor = audit.Actor(
            table=AuditEvent.ActorTable.BUSINESS, name=username[:USERNAME_MAX_LENGTH]
        )
    audit.record_event(
        "account.login",
        actor=actor,
        request_info=audit.request_info_from(request, channel),
        result=AuditEvent.Result.SUCCESS if succeeded else AuditEvent.Result.FAILURE,
        reason="" if succeeded else reason,
        object_type="business_user",
        object_id=user.pk if user is not None else "",
    )
    LoginLog.objects.create(
        created_at=now,
        username=username[:USERNAME_MAX_LENGTH],
        user=user,
        ip_address=_client_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
        channel=channel,
        result=result,
        reason=reason,
    )


def _clear_expired_lock(user: BusinessUser, now: datetime.datetime) -> None:
    """Forget an ended lock, so the failures that caused it no longer count."""
    if user.locked_until is not None and user.locked_until <= now:
        user.locked_until = None
        user.failed_login_count = 0


def _count_failure(user: BusinessUser, now: datetime.datetime) -> bool:
    """Count one wrong password and return whether it locked the account."""
    user.failed_login_count += 1
    if user.failed_login_count < settings.LOGIN_MAX_FAILURES:
        return False
    user.locked_until = now + datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    logger.warning(
        "Locked business user %s until %s after %d consecutive failed password checks",
        user.pk,
        user.locked_until.isoformat(),
        user.failed_login_count,
    )
    return True


def authenticate_business_user(
    request, username: str, password: str, channel: str
) -> LoginOutcome:
    """Check a sign-in attempt, apply the lockout rules and record it in the login log.

    ``channel`` is a ``LoginLog.Channel`` value. On success the caller still has to
    start a session or issue a token (see ``business.accounts.sessions``).
    """
    address = _client_address(request) or "unknown"
    log = {"username": username, "channel": channel}

    allowed = ratelimit.hit(
        "login",
        address,
        limit=settings.LOGIN_RATE_LIMIT,
        window_seconds=settings.LOGIN_RATE_WINDOW_SECONDS,
    )
    if not allowed:
        _write_login_log(
            request,
            now=timezone.now(),
            user=None,
            result=LoginLog.Result.FAILURE,
            reason=LoginLog.Reason.RATE_LIMITED,
            **log,
        )
        logger.warning(
            "Rejected a %s sign-in from %s: address rate limit reached", channel, address
        )
        return LoginOutcome(LoginStatus.RATE_LIMITED)

    user = None
    if username and len(username) <= USERNAME_MAX_LENGTH:
        user = BusinessUser.objects.filter(username__iexact=username).first()

    if user is None:
        # Hash anyway, so the response time does not reveal that the name is unknown.
        make_password(password)
        _write_login_log(
            request,
            now=timezone.now(),
            user=None,
            result=LoginLog.Result.FAILURE,
            reason=LoginLog.Reason.UNKNOWN_USER,
            **log,
        )
        logger.info("Rejected a %s sign-in from %s: unknown user name", channel, address)
        return LoginOutcome(LoginStatus.INVALID_CREDENTIALS)

    # The hash is checked before taking the row lock, so concurrent attempts on one
    # account do not queue behind each other's hashing.
    rehash_needed = False

    def note_rehash(_raw_password):
        nonlocal rehash_needed
        rehash_needed = True

    password_correct = check_password(password, user.password, setter=note_rehash)

    with transaction.atomic():
        user = BusinessUser.objects.select_for_update().get(pk=user.pk)
        now = timezone.now()
        _clear_expired_lock(user, now)

        if user.is_locked(now):
            result, reason = LoginLog.Result.LOCKED, LoginLog.Reason.ACCOUNT_LOCKED
        elif not password_correct:
            if _count_failure(user, now):
                result, reason = LoginLog.Result.LOCKED, LoginLog.Reason.LOCKOUT_STARTED
            else:
                result, reason = LoginLog.Result.FAILURE, LoginLog.Reason.WRONG_PASSWORD
        elif not user.is_active:
            result, reason = LoginLog.Result.FAILURE, LoginLog.Reason.INACTIVE_USER
        elif not user.organisation.is_active:
            result, reason = LoginLog.Result.FAILURE, LoginLog.Reason.INACTIVE_ORGANISATION
        else:
            result, reason = LoginLog.Result.SUCCESS, LoginLog.Reason.SUCCESS
            user.failed_login_count = 0
            user.locked_until = None
            user.last_login_at = now
            if rehash_needed:
                # The iteration count changed since the hash was made; PasswordHistory
                # keeps the old hash, which still verifies.
                user.set_password(password)

        user.save(
            update_fields=["failed_login_count", "locked_until", "last_login_at", "password"]
        )
        _write_login_log(request, now=now, user=user, result=result, reason=reason, **log)

    if result != LoginLog.Result.SUCCESS:
        logger.info(
            "Rejected a %s sign-in of business user %s from %s: %s",
            channel,
            user.pk,
            address,
            reason,
        )
        return LoginOutcome(LoginStatus.INVALID_CREDENTIALS)

    logger.info("Business user %s signed in through %s from %s", user.pk, channel, address)
    return LoginOutcome(LoginStatus.SUCCESS, user=user)


# --- Changing, resetting and unlocking ----------------------------------------------


def _revoke_tokens(user: BusinessUser, keep: AccessToken | None = None) -> int:
    tokens = AccessToken.objects.filter(user=user)
    if keep is not None:
        tokens = tokens.exclude(pk=keep.pk)
    deleted, _ = tokens.delete()
    return deleted


def change_password(
    user: BusinessUser,
    old_password: str,
    new_password: str,
    *,
    keep_token: AccessToken | None = None,
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
) -> BusinessUser:
    """Replace the user's password after checking the current one.

    A wrong current password counts towards the lockout like a failed sign-in. On
    success every mobile token of the user is revoked except ``keep_token``; the
    caller refreshes the session of the current request. Raises AccountError.
    """
    problems: list[FieldProblem] = []
    if not old_password:
        problems.append(("oldPassword", "请输入当前密码。", "required"))
    if not new_password:
        problems.append(("newPassword", "请输入新密码。", "required"))
    if problems:
        raise AccountError(problems)

    old_correct = user.check_password(old_password)
    if new_password == old_password:
        problems.append(("newPassword", "新密码不能与当前密码相同。", "password_unchanged"))
    else:
        problems += password_problems(new_password, user, field="newPassword")

    with transaction.atomic():
        user = BusinessUser.objects.select_for_update().get(pk=user.pk)
        now = timezone.now()
        _clear_expired_lock(user, now)

        if user.is_locked(now):
            local_time = timezone.localtime(user.locked_until)
            problems.insert(
                0,
                (
                    "oldPassword",
                    f"当前密码连续输错次数过多，账号已锁定，请在 {local_time:%H:%M} 后再试。",
                    "account_locked",
                ),
            )
        elif not old_correct:
            _count_failure(user, now)
            user.save(update_fields=["failed_login_count", "locked_until"])
            problems.insert(0, ("oldPassword", "当前密码不正确，请重新输入。", "invalid_password"))
            audit.record_event(
                "account.password_change",
                actor=audit.business_actor(user),
                request_info=request_info,
                result=AuditEvent.Result.FAILURE,
                reason="invalid_password",
                object_type="business_user",
                object_id=user.pk,
            )
        elif not problems:
            user.set_password(new_password)
            user.must_change_password = False
            user.password_changed_at = now
            user.failed_login_count = 0
            user.save(
                update_fields=[
                    "password",
                    "must_change_password",
                    "password_changed_at",
                    "failed_login_count",
                ]
            )
            _remember_password(user, now)
            revoked = _revoke_tokens(user, keep=keep_token)
            audit.record_event(
                "account.password_change",
                actor=audit.business_actor(user),
                request_info=request_info,
                object_type="business_user",
                object_id=user.pk,
            )
            logger.info(
                "Business user %s changed the password; %d other mobile tokens revoked",
                user.pk,
                revoked,
            )

    if problems:
        raise AccountError(problems)
    return user


def reset_password(user: BusinessUser, new_password: str) -> BusinessUser:
    """Set a password chosen by an operator; the user must change it at next sign-in.

    Also ends the lock and revokes every mobile token of the user. Sessions already
    open end at their next request, because the stored password hash changes.
    """
    problems = password_problems(new_password, user, field="password")
    if problems:
        raise AccountError(problems)

    with transaction.atomic():
        user = BusinessUser.objects.select_for_update().get(pk=user.pk)
        now = timezone.now()
        user.set_password(new_password)
        user.must_change_password = True
        user.password_changed_at = now
        user.failed_login_count = 0
        user.locked_until = None
        user.save()
        _remember_password(user, now)
        _revoke_tokens(user)
        audit.record_event(
            "account.password_reset",
            actor=audit.SYSTEM_ACTOR,
            request_info=audit.SYSTEM_REQUEST,
            object_type="business_user",
            object_id=user.pk,
        )
    logger.info("Reset the password of business user %s", user.pk)
    return user


def unlock_business_user(user: BusinessUser) -> BusinessUser:
    """End a lockout before its time and clear the failure count."""
    with transaction.atomic():
        user = BusinessUser.objects.select_for_update().get(pk=user.pk)
        user.failed_login_count = 0
        user.locked_until = None
        user.save(update_fields=["failed_login_count", "locked_until"])
        audit.record_event(
            "account.unlock",
            actor=audit.SYSTEM_ACTOR,
            request_info=audit.SYSTEM_REQUEST,
            object_type="business_user",
            object_id=user.pk,
        )
    logger.info("Unlocked business user %s", user.pk)
    return user
