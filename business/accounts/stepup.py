"""Step-up re-authentication before sensitive operations.

A signed-in user proves again who they are (password, TOTP code or a one-time code
by SMS or e-mail) with the ``reauthenticate`` mutation, and the time is stored on the
sign-in's OnlineSession row. Sensitive operations then call
``require_recent_authentication(info)``, which passes within
``STEP_UP_MAX_AGE_MINUTES`` of the sign-in or the last re-authentication, and
otherwise raises a PublicError with code ``STEP_UP_REQUIRED``. On that code the
frontend prompts for the password or a code and retries the operation.

Callers: changing the password, enrolling or removing a second factor, changing the
verified phone or e-mail, signing certificates, approving (registrations, filings,
verification results) and exporting personal data.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from business.audit import services as audit
from business.audit.models import AuditEvent
from business.core import ratelimit
from business.core.api.errors import PublicError

from . import second_factor, sessions
from .models import BusinessUser, OneTimeCode, OnlineSession
from .permissions import require_business_user

logger = logging.getLogger(__name__)

STEP_UP_REQUIRED = "STEP_UP_REQUIRED"
PASSWORD = "password"


class StepUpRequiredError(PublicError):
    def __init__(self):
        minutes = settings.STEP_UP_MAX_AGE_MINUTES
        super().__init__(
            f"该操作需要先验证身份：请重新输入密码或动态口令（{minutes} 分钟内有效）后重试。",
            code=STEP_UP_REQUIRED,
        )


def has_recent_authentication(user: BusinessUser, request) -> bool:
    """Return whether the request's sign-in proved the user's identity recently enough."""
    record = sessions.current_online_session(request)
    if record is None or record.user_id != user.pk:
        return False
    limit = datetime.timedelta(minutes=settings.STEP_UP_MAX_AGE_MINUTES)
    return record.authenticated_at + limit > timezone.now()


def require_recent_authentication(info, *, allow_must_change: bool = False) -> BusinessUser:
    """Return the signed-in business user, or raise unless they re-authenticated recently.

    Use it first thing in the resolver of every sensitive operation: signing,
    approving, exporting personal data, changing credentials. Raises the usual
    UNAUTHENTICATED / PASSWORD_CHANGE_REQUIRED errors of ``require_business_user``,
    and STEP_UP_REQUIRED when the last password or second-factor check of this
    session is older than ``STEP_UP_MAX_AGE_MINUTES``.
    """
    user = require_business_user(info, allow_must_change=allow_must_change)
    if not has_recent_authentication(user, info.context):
        raise StepUpRequiredError()
    return user


def step_up_methods(user: BusinessUser) -> list[str]:
    """Return the ways ``user`` can re-authenticate: always the password, plus second factors."""
    methods = [PASSWORD]
    if second_factor.confirmed_device(user) is not None:
        methods.append(second_factor.TOTP)
    for channel in (second_factor.SMS, second_factor.EMAIL):
        if second_factor.destination_for(user, channel):
            methods.append(channel)
    return methods


def send_step_up_code(user: BusinessUser, method: str) -> str:
    """Send a one-time code for re-authentication; return the masked destination."""
    from .services import AccountError

    destination = second_factor.destination_for(user, method)
    if destination is None:
        message = "该账号没有已验证的手机号码或邮箱，请换一种验证方式。"
        raise AccountError([("method", message, "method_unavailable")])
    allowed = ratelimit.hit(
        "one_time_code",
        f"user:{user.pk}",
        limit=settings.ONE_TIME_CODE_RATE_LIMIT,
        window_seconds=settings.ONE_TIME_CODE_RATE_WINDOW_SECONDS,
    )
    if not allowed:
        raise AccountError([(None, "验证码发送过于频繁，请稍后再试。", "rate_limited")])
    OneTimeCode.objects.filter(
        user=user, purpose=OneTimeCode.Purpose.STEP_UP, used_at__isnull=True
    ).delete()
    second_factor.issue_one_time_code(
        user=user, purpose=OneTimeCode.Purpose.STEP_UP, channel=method, destination=destination
    )
    return second_factor.masked_destination(method, destination)


def _accepted(user: BusinessUser, method: str, secret: str) -> bool:
    if method == PASSWORD:
        return user.check_password(secret)
    if method == second_factor.TOTP:
        device = second_factor.confirmed_device(user)
        return device is not None and second_factor.verify_totp(device, secret)
    if method in (second_factor.SMS, second_factor.EMAIL):
        row = (
            OneTimeCode.objects.filter(
                user=user, purpose=OneTimeCode.Purpose.STEP_UP, channel=method, used_at__isnull=True
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        return second_factor.check_one_time_code(
            row, secret, max_attempts=settings.SECOND_FACTOR_MAX_ATTEMPTS
        )
    return False


def reauthenticate(
    request, user: BusinessUser, method: str, secret: str, *, request_info: audit.RequestInfo
) -> OnlineSession:
    """Check the password or a second factor again and mark the session as recently verified.

    A wrong password or code counts towards the lockout like a failed sign-in.
    Raises AccountError naming the problem.
    """
    from .services import AccountError, _clear_expired_lock, _count_failure

    record = sessions.current_online_session(request)
    if record is None:
        raise AccountError([(None, "当前登录已失效，请重新登录。", "no_session")])
    if method not in step_up_methods(user):
        raise AccountError([("method", "该账号未开通这种验证方式，请换一种。", "method_unavailable")])
    if not secret:
        raise AccountError([("secret", "请输入密码或验证码。", "required")])

    accepted = _accepted(user, method, secret)
    with transaction.atomic():
        locked_user = BusinessUser.objects.select_for_update().get(pk=user.pk)
        now = timezone.now()
        _clear_expired_lock(locked_user, now)
        locked = locked_user.is_locked(now)
        if not accepted and not locked:
            _count_failure(locked_user, now)
        locked_user.save(update_fields=["failed_login_count", "locked_until"])
        succeeded = accepted and not locked
        if succeeded:
            reason = ""
        elif locked:
            reason = "account_locked"
        else:
            reason = "invalid_secret"
        audit.record_event(
            "account.reauthenticate",
            actor=audit.business_actor(user),
            request_info=request_info,
            result=AuditEvent.Result.SUCCESS if succeeded else AuditEvent.Result.FAILURE,
            reason=reason,
            object_type="business_user",
            object_id=user.pk,
            changes={"method": (None, method)},
        )
        if succeeded:
            OnlineSession.objects.filter(pk=record.pk).update(authenticated_at=now)
            record.authenticated_at = now

    if locked:
        raise AccountError([(None, "连续验证失败次数过多，账号已锁定，请稍后再试。", "account_locked")])
    if not accepted:
        field = "secret"
        message = "密码不正确，请重新输入。" if method == PASSWORD else "验证码不正确或已过期，请重新输入。"
        raise AccountError([(field, message, "invalid_secret")])
    logger.info("Business user %s re-authenticated with %s", user.pk, method)
    return record
