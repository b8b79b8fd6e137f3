"""Account recovery by a code sent to the verified phone or e-mail, and verifying contacts.

Recovery never reveals whether an account exists. A request for an unknown user name,
or for an account without a verified address of the chosen kind, gets the same
response and a request token too, and writes the same rows. Only no message is sent.
Each request allows ``RECOVERY_MAX_ATTEMPTS`` wrong codes and lasts
``ONE_TIME_CODE_TTL_SECONDS``.

A successful reset sets the new password (no forced change afterwards, because the
user chose it), ends the lockout, signs out every session and token of the account,
and writes an audit event and a login-log entry. A second factor stays as it was.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from business.audit import services as audit
from business.audit.models import AuditEvent
from business.core import captcha, ratelimit
from business.core.validators import normalise_mobile_number, validate_mobile_number

from . import second_factor, sessions
from .models import USERNAME_MAX_LENGTH, BusinessUser, LoginLog, OneTimeCode

logger = logging.getLogger(__name__)

RECOVERY_SENT = (
    "如果该账号存在并已验证所选的联系方式，验证码已发出，请在 {minutes} 分钟内输入。"
    "没有收到时，请确认用户名和联系方式，或联系所在单位的管理员。"
)
RECOVERY_CODE_INVALID = "验证码不正确或已过期，请重新获取验证码。"
CHANNELS = (second_factor.SMS, second_factor.EMAIL)


def recovery_sent_message() -> str:
    return RECOVERY_SENT.format(minutes=max(1, settings.ONE_TIME_CODE_TTL_SECONDS // 60))


def request_recovery(
    request, username: str, channel: str, captcha_id: str, captcha_answer: str
) -> str:
    """Start a recovery and return its request token, whether or not the account exists.

    Raises AccountError for a missing field, a wrong captcha or too many requests from
    the client address. None of these depends on the account.
    """
    from .services import AccountError, client_address

    username = (username or "").strip()
    problems = []
    if not username:
        problems.append(("username", "请输入用户名。", "required"))
    if channel not in CHANNELS:
        problems.append(("channel", "请选择接收验证码的方式：短信或邮件。", "invalid_channel"))
    if problems:
        raise AccountError(problems)

    address = client_address(request) or "unknown"
    allowed = ratelimit.hit(
        "recovery",
        address,
        limit=settings.RECOVERY_RATE_LIMIT,
        window_seconds=settings.RECOVERY_RATE_WINDOW_SECONDS,
    )
    if not allowed:
        raise AccountError([(None, "找回密码的请求过于频繁，请稍后再试。", "rate_limited")])
    problems = captcha.captcha_problems(captcha_id, captcha_answer)
    if problems:
        raise AccountError(problems)

    user = None
    if len(username) <= USERNAME_MAX_LENGTH:
        user = (
            BusinessUser.objects.select_related("organisation")
            .filter(username__iexact=username, is_active=True, organisation__is_active=True)
            .first()
        )
    destination = second_factor.destination_for(user, channel) if user is not None else None
    recipient = user if destination else None

    # The same rows are written whether or not a message goes out.
    # TODO: send through a task queue once a real SMS gateway is configured, so that
    # its latency does not tell a real account from an unknown name.
    raw_token, _ = second_factor.issue_one_time_code(
        user=recipient,
        purpose=OneTimeCode.Purpose.RECOVERY,
        channel=channel,
        destination=destination,
        send=recipient is not None,
    )
    audit.record_event(
        "account.recovery.request",
        actor=audit.Actor(table=AuditEvent.ActorTable.BUSINESS, name=username[:USERNAME_MAX_LENGTH]),
        request_info=audit.request_info_from(request, request.business_channel),
        object_type="business_user",
        object_id=recipient.pk if recipient is not None else "",
        changes={"channel": (None, channel)},
    )
    logger.info(
        "Recovery requested from %s by %s; code sent: %s",
        address,
        channel,
        "yes" if recipient is not None else "no (unknown name or no verified address)",
    )
    return raw_token


def reset_password_with_code(request, raw_token: str, code: str, new_password: str) -> BusinessUser:
    """Set a new password after a right recovery code and sign the user out everywhere.

    Raises AccountError with one code error for a wrong code, an expired or used
    request and an unknown account. Password-rule errors come only after a right code.
    """
    from .services import AccountError, _remember_password, _write_login_log, password_problems

    problems = []
    if not (code or "").strip():
        problems.append(("code", "请输入收到的验证码。", "required"))
    if not new_password:
        problems.append(("newPassword", "请输入新密码。", "required"))
    if problems:
        raise AccountError(problems)

    row = second_factor.find_one_time_code(raw_token, OneTimeCode.Purpose.RECOVERY)
    matched = second_factor.check_one_time_code(
        row, code, max_attempts=settings.RECOVERY_MAX_ATTEMPTS, consume=False
    )
    if not matched or row.user is None:
        raise AccountError([("code", RECOVERY_CODE_INVALID, "invalid_code")])

    user = row.user
    problems = password_problems(new_password, user, field="newPassword")
    if problems:
        raise AccountError(problems)
    if not second_factor.check_one_time_code(row, code, max_attempts=settings.RECOVERY_MAX_ATTEMPTS):
        raise AccountError([("code", RECOVERY_CODE_INVALID, "invalid_code")])

    channel = request.business_channel
    with transaction.atomic():
        user = BusinessUser.objects.select_for_update().get(pk=user.pk)
        now = timezone.now()
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = now
        user.failed_login_count = 0
        user.locked_until = None
        user.save(
            update_fields=[
                "password",
                "must_change_password",
                "password_changed_at",
                "failed_login_count",
                "locked_until",
            ]
        )
        _remember_password(user, now)
        ended = sessions.end_all_sessions(user)
        audit.record_event(
            "account.password_recover",
            actor=audit.business_actor(user),
            request_info=audit.request_info_from(request, channel),
            object_type="business_user",
            object_id=user.pk,
            changes={"sessions_ended": (None, ended)},
        )
        _write_login_log(
            request,
            now=now,
            username=user.username,
            user=user,
            channel=channel,
            result=LoginLog.Result.SUCCESS,
            reason=LoginLog.Reason.PASSWORD_RECOVERED,
            second_factor_method=row.channel,
        )
    logger.info("Business user %s reset the password by recovery; %d sessions ended", user.pk, ended)
    return user


# --- Verifying the phone and e-mail used for codes ---------------------------------------


def _normalised_destination(channel: str, value: str) -> str:
    """Validate and normalise a phone number or e-mail; raise AccountError when invalid."""
    from .services import AccountError

    value = (value or "").strip()
    if channel == second_factor.SMS:
        value = normalise_mobile_number(value)
        try:
            validate_mobile_number(value)
        except ValidationError as error:
            raise AccountError([("destination", error.messages[0], "invalid_phone")]) from None
        return value
    if channel == second_factor.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise AccountError(
                [("destination", "电子邮箱格式不正确，例如 zhangsan@example.com。", "invalid_email")]
            ) from None
        return value.lower()
    raise AccountError([("channel", "请选择短信或邮件。", "invalid_channel")])


def request_contact_verification(user: BusinessUser, channel: str, value: str) -> tuple[str, str]:
    """Send a code to a new phone number or e-mail; return ``(request token, masked address)``."""
    from .services import AccountError

    destination = _normalised_destination(channel, value)
    allowed = ratelimit.hit(
        "one_time_code",
        f"user:{user.pk}",
        limit=settings.ONE_TIME_CODE_RATE_LIMIT,
        window_seconds=settings.ONE_TIME_CODE_RATE_WINDOW_SECONDS,
    )
    if not allowed:
        raise AccountError([(None, "验证码发送过于频繁，请稍后再试。", "rate_limited")])
    raw_token, _ = second_factor.issue_one_time_code(
        user=user,
        purpose=OneTimeCode.Purpose.VERIFY_CONTACT,
        channel=channel,
        destination=destination,
    )
    return raw_token, second_factor.masked_destination(channel, destination)


def confirm_contact_verification(
    user: BusinessUser, raw_token: str, code: str, *, request_info: audit.RequestInfo
) -> BusinessUser:
    """Store the phone or e-mail of a verification request after its right code."""
    from .services import AccountError

    row = second_factor.find_one_time_code(raw_token, OneTimeCode.Purpose.VERIFY_CONTACT)
    if row is None or row.user_id != user.pk:
        raise AccountError([("code", "验证码不正确或已过期，请重新获取验证码。", "invalid_code")])
    if not second_factor.check_one_time_code(
        row, code, max_attempts=settings.SECOND_FACTOR_MAX_ATTEMPTS
    ):
        raise AccountError([("code", "验证码不正确或已过期，请重新获取验证码。", "invalid_code")])

    with transaction.atomic():
        user = BusinessUser.objects.select_for_update().get(pk=user.pk)
        now = timezone.now()
        if row.channel == second_factor.SMS:
            before = user.phone
            user.phone, user.phone_verified_at = row.destination, now
            fields = ["phone", "phone_index", "phone_verified_at"]
            change = {"phone": (before, user.phone)}
        else:
            before = user.email
            user.email, user.email_verified_at = row.destination, now
            fields = ["email", "email_index", "email_verified_at"]
            change = {"email": (before, user.email)}
        user.save(update_fields=fields)
        audit.record_event(
            "account.contact.verify",
            actor=audit.business_actor(user),
            request_info=request_info,
            object_type="business_user",
            object_id=user.pk,
            changes=change,
        )
    logger.info("Business user %s verified a new %s address", user.pk, row.channel)
    return user
