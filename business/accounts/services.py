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
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from business.audit import services as audit
from business.audit.models import AuditEvent
from business.core import captcha, ratelimit

from . import second_factor, sessions
from .models import (
    USERNAME_MAX_LENGTH,
    AccessToken,
    BusinessUser,
    LoginLog,
    OneTimeCode,
    OnlineSession,
    PasswordHistory,
    admin_username_exists,
)

logger = logging.getLogger(__name__)

GENERIC_LOGIN_FAILURE = "用户名或密码错误，或账号已被锁定，请稍后再试。"
LOGIN_RATE_LIMITED = "登录尝试过于频繁，请稍后再试。"
WRONG_SECOND_FACTOR = "验证码不正确或已使用，请重新输入。连续输错次数过多时账号将被锁定。"
SECOND_FACTOR_EXPIRED = "登录验证已超时或输错次数过多，请重新输入用户名和密码。"
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
    # The captcha was missing or wrong; the password was not checked.
    CAPTCHA_FAILED = "CAPTCHA_FAILED"
    # The password was right; the sign-in continues with the second factor.
    SECOND_FACTOR_REQUIRED = "SECOND_FACTOR_REQUIRED"
    # The second-factor step expired or was given up after too many wrong codes.
    CHALLENGE_EXPIRED = "CHALLENGE_EXPIRED"


@dataclass
class LoginOutcome:
    status: LoginStatus
    user: BusinessUser | None = None
    # Whether the next attempt of this user name or address must carry a captcha.
    captcha_required: bool = False
    # For SECOND_FACTOR_REQUIRED: the token of the second step and the usable methods.
    challenge: str | None = None
    methods: list[str] = field(default_factory=list)
    # For CAPTCHA_FAILED: the problem with the captcha.
    problems: list[FieldProblem] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.status == LoginStatus.RATE_LIMITED:
            return LOGIN_RATE_LIMITED
        if self.status == LoginStatus.INVALID_CREDENTIALS:
            return GENERIC_LOGIN_FAILURE
        if self.status == LoginStatus.CHALLENGE_EXPIRED:
            return SECOND_FACTOR_EXPIRED
        if self.status == LoginStatus.SECOND_FACTOR_REQUIRED:
            return "密码正确，请完成第二步验证。"
        if self.status == LoginStatus.CAPTCHA_FAILED:
            return " ".join(message for _, message, _ in self.problems)
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


def client_address(request) -> str | None:
    """Return the client IP address, or None when it is not a valid address."""
    address = ratelimit.client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _write_login_log(
    request, *, now, username, user, channel, result, reason, second_factor_method=""
) -> None:
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
        ip_address=client_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
        channel=channel,
        result=result,
        reason=reason,
        second_factor=second_factor_method,
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


def _failures_since_last_success(attempts) -> int:
    """Count the failed attempts of a login-log queryset newer than its latest success."""
    last_success = (
        attempts.filter(result=LoginLog.Result.SUCCESS)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    failures = attempts.exclude(result=LoginLog.Result.SUCCESS).exclude(
        reason=LoginLog.Reason.RATE_LIMITED
    )
    if last_success is not None:
        failures = failures.filter(created_at__gt=last_success)
    return failures.count()


def login_captcha_required(username: str, address: str | None) -> bool:
    """Return whether a sign-in with ``username`` from ``address`` must carry a captcha.

    True once the user name (known or not, so that the result reveals nothing about
    the account) or the client address has ``LOGIN_CAPTCHA_AFTER_FAILURES`` failed
    attempts since its last success within ``LOGIN_CAPTCHA_WINDOW_MINUTES``.
    """
    threshold = settings.LOGIN_CAPTCHA_AFTER_FAILURES
    if threshold <= 0:
        return True
    since = timezone.now() - datetime.timedelta(minutes=settings.LOGIN_CAPTCHA_WINDOW_MINUTES)
    recent = LoginLog.objects.filter(created_at__gte=since)
    if username and _failures_since_last_success(recent.filter(username__iexact=username)) >= threshold:
        return True
    if address and _failures_since_last_success(recent.filter(ip_address=address)) >= threshold:
        return True
    return False


def authenticate_business_user(
    request,
    username: str,
    password: str,
    channel: str,
    *,
    captcha_id: str | None = None,
    captcha_answer: str | None = None,
) -> LoginOutcome:
    """Check a sign-in attempt, apply the lockout rules and record it in the login log.

    ``channel`` is a ``LoginLog.Channel`` value. When the user name or address had
    recent failures, the attempt needs a right captcha first. On SUCCESS the caller
    still has to start a session or issue a token (see ``business.accounts.sessions``);
    on SECOND_FACTOR_REQUIRED it returns ``challenge`` and ``methods`` to the client,
    which continues with ``complete_sign_in``.
    """
    outcome = _check_password_step(
        request, username, password, channel, captcha_id=captcha_id, captcha_answer=captcha_answer
    )
    if outcome.status in (LoginStatus.INVALID_CREDENTIALS, LoginStatus.CAPTCHA_FAILED):
        outcome.captcha_required = login_captcha_required(username, client_address(request))
    return outcome


def _check_password_step(
    request, username, password, channel, *, captcha_id, captcha_answer
) -> LoginOutcome:
    address = client_address(request) or "unknown"
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

    # The captcha is checked before the user name is looked up, so neither its demand
    # nor its result depends on whether the account exists.
    if login_captcha_required(username, client_address(request)):
        problems = captcha.captcha_problems(captcha_id, captcha_answer)
        if problems:
            _write_login_log(
                request,
                now=timezone.now(),
                user=None,
                result=LoginLog.Result.FAILURE,
                reason=LoginLog.Reason.CAPTCHA_FAILED,
                **log,
            )
            logger.info("Rejected a %s sign-in from %s: captcha missing or wrong", channel, address)
            return LoginOutcome(LoginStatus.CAPTCHA_FAILED, problems=problems)

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

    methods: list[str] = []
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
            methods = second_factor.sign_in_methods(user)
            if not methods:
                _mark_signed_in(user, now)
            if rehash_needed:
                # The iteration count changed since the hash was made; PasswordHistory
                # keeps the old hash, which still verifies.
                user.set_password(password)

        user.save(
            update_fields=["failed_login_count", "locked_until", "last_login_at", "password"]
        )
        if result == LoginLog.Result.SUCCESS and methods:
            # Logged when the second step ends; failures are not reset before that,
            # so wrong second factors keep counting towards the lockout.
            challenge = second_factor.start_sign_in_challenge(user, channel, username)
            logger.info(
                "Business user %s passed the password step through %s from %s",
                user.pk,
                channel,
                address,
            )
            return LoginOutcome(
                LoginStatus.SECOND_FACTOR_REQUIRED, user=user, challenge=challenge, methods=methods
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


def _mark_signed_in(user: BusinessUser, now: datetime.datetime) -> None:
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now


# --- The second sign-in step ----------------------------------------------------------


def send_sign_in_code(raw_challenge: str, method: str) -> str:
    """Send a one-time code for a pending sign-in; return the masked destination.

    Raises AccountError when the challenge expired, the method is not available or
    the user asked for too many codes.
    """
    challenge = second_factor.open_challenge(raw_challenge)
    if challenge is None:
        raise AccountError([(None, SECOND_FACTOR_EXPIRED, "challenge_expired")])
    user = challenge.user
    if method not in (second_factor.SMS, second_factor.EMAIL) or method not in (
        second_factor.sign_in_methods(user)
    ):
        raise AccountError([("method", "该账号未开通这种验证方式，请换一种。", "method_unavailable")])
    allowed = ratelimit.hit(
        "one_time_code",
        f"user:{user.pk}",
        limit=settings.ONE_TIME_CODE_RATE_LIMIT,
        window_seconds=settings.ONE_TIME_CODE_RATE_WINDOW_SECONDS,
    )
    if not allowed:
        raise AccountError([(None, "验证码发送过于频繁，请稍后再试。", "rate_limited")])

    destination = second_factor.destination_for(user, method)
    # A new code replaces the previous one of this sign-in.
    OneTimeCode.objects.filter(
        user=user, purpose=OneTimeCode.Purpose.SIGN_IN, used_at__isnull=True
    ).delete()
    # The row is found again through the user and the purpose, so its token is not kept.
    second_factor.issue_one_time_code(
        user=user,
        purpose=OneTimeCode.Purpose.SIGN_IN,
        channel=method,
        destination=destination,
    )
    return second_factor.masked_destination(method, destination)


def _second_factor_accepted(challenge, method: str, code: str) -> bool:
    user = challenge.user
    if method not in second_factor.sign_in_methods(user):
        return False
    if method == second_factor.TOTP:
        device = second_factor.confirmed_device(user)
        return device is not None and second_factor.verify_totp(device, code)
    if method == second_factor.RECOVERY_CODE:
        return second_factor.use_recovery_code(user, code)

    row = (
        OneTimeCode.objects.filter(
            user=user,
            purpose=OneTimeCode.Purpose.SIGN_IN,
            channel=method,
            used_at__isnull=True,
            created_at__gte=challenge.created_at,
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return second_factor.check_one_time_code(
        row, code, max_attempts=settings.SECOND_FACTOR_MAX_ATTEMPTS
    )


def complete_sign_in(request, raw_challenge: str, method: str, code: str) -> LoginOutcome:
    """Check the second factor of a pending sign-in and finish it.

    Wrong codes count towards the account lockout like wrong passwords. After
    ``SECOND_FACTOR_MAX_ATTEMPTS`` wrong codes the challenge is void. On SUCCESS the
    caller starts the session or issues the token for ``outcome.user`` on the
    challenge's channel (``request.sign_in_channel`` is not trusted for that).
    """
    challenge = second_factor.open_challenge(raw_challenge)
    if challenge is None:
        return LoginOutcome(LoginStatus.CHALLENGE_EXPIRED)

    accepted = _second_factor_accepted(challenge, method, code)
    address = client_address(request) or "unknown"
    log = {"username": challenge.username, "channel": challenge.channel}

    with transaction.atomic():
        user = BusinessUser.objects.select_for_update().get(pk=challenge.user_id)
        now = timezone.now()
        _clear_expired_lock(user, now)
        if user.is_locked(now):
            result, reason = LoginLog.Result.LOCKED, LoginLog.Reason.ACCOUNT_LOCKED
        elif not accepted:
            if _count_failure(user, now):
                result, reason = LoginLog.Result.LOCKED, LoginLog.Reason.LOCKOUT_STARTED
            else:
                result, reason = LoginLog.Result.FAILURE, LoginLog.Reason.WRONG_SECOND_FACTOR
        elif not user.is_active or not user.organisation.is_active:
            result, reason = LoginLog.Result.FAILURE, LoginLog.Reason.INACTIVE_USER
        else:
            result, reason = LoginLog.Result.SUCCESS, LoginLog.Reason.SUCCESS
            _mark_signed_in(user, now)
        user.save(update_fields=["failed_login_count", "locked_until", "last_login_at"])
        _write_login_log(
            request,
            now=now,
            user=user,
            result=result,
            reason=reason,
            second_factor_method=method,
            **log,
        )

        if result == LoginLog.Result.SUCCESS:
            challenge.delete()
        else:
            challenge.attempts += 1
            if challenge.attempts >= settings.SECOND_FACTOR_MAX_ATTEMPTS or user.is_locked(now):
                challenge.delete()
            else:
                challenge.save(update_fields=["attempts"])

    if result != LoginLog.Result.SUCCESS:
        logger.info(
            "Rejected the second factor (%s) of business user %s from %s: %s",
            method,
            user.pk,
            address,
            reason,
        )
        return LoginOutcome(LoginStatus.INVALID_CREDENTIALS, user=None)
    logger.info(
        "Business user %s signed in through %s with %s from %s",
        user.pk,
        challenge.channel,
        method,
        address,
    )
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
    keep_session: OnlineSession | None = None,
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
) -> BusinessUser:
    """Replace the user's password after checking the current one.

    A wrong current password counts towards the lockout like a failed sign-in. On
    success every other session and mobile token of the user ends, except
    ``keep_session`` and ``keep_token``; the caller refreshes the session of the
    current request. Raises AccountError.
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
            revoked += sessions.end_all_sessions(user, keep=keep_session)
            audit.record_event(
                "account.password_change",
                actor=audit.business_actor(user),
                request_info=request_info,
                object_type="business_user",
                object_id=user.pk,
            )
            logger.info(
                "Business user %s changed the password; %d other sessions and tokens ended",
                user.pk,
                revoked,
            )

    if problems:
        raise AccountError(problems)
    return user


def reset_password(user: BusinessUser, new_password: str) -> BusinessUser:
    """Set a password chosen by an operator; the user must change it at next sign-in.

    Also ends the lock and signs the user out of every session and mobile token.
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
        sessions.end_all_sessions(user)
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
