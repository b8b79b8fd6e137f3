"""Second factors of business users: TOTP, recovery codes and one-time codes.

A user has a second factor when a TOTP device is confirmed, or when
``message_second_factor`` names a verified phone ("sms") or e-mail ("email"). For such
a user a right password only opens a ``SignInChallenge``. The session or token is
issued by ``complete_sign_in`` after a right TOTP code, recovery code or one-time code.

TOTP follows RFC 6238 with SHA-1, 6 digits and 30-second steps, what every
authenticator app supports. The secret is stored SM4-encrypted. A code is accepted
one step early or late (clock drift) and only once: the step of the last accepted
code is remembered.

NOTE: SECURITY.md prefers an SM3-based OTP (GM/T 0021) or an SM2 certificate as the
cryptographic second factor; common authenticator apps implement neither.
TODO: add an SM3 OTP device type once the customer names a token vendor.
"""

import datetime
import hmac
import logging
import secrets
from dataclasses import dataclass

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.encoding import force_bytes

from business.audit import services as audit
from business.core import masking
from business.core.crypto import sm3

from . import senders
from .models import BusinessUser, OneTimeCode, RecoveryCode, SignInChallenge, TOTPDevice

logger = logging.getLogger(__name__)

TOTP = "totp"
RECOVERY_CODE = "recovery_code"
SMS = OneTimeCode.Channel.SMS.value
EMAIL = OneTimeCode.Channel.EMAIL.value

TOTP_DIGITS = 6
TOTP_INTERVAL = 30
ONE_TIME_CODE_DIGITS = 6
# Recovery codes: 10 characters from an alphabet without look-alikes, shown as two
# groups of five (ABCDE-FGHJK).
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECOVERY_CODE_LENGTH = 10
CHALLENGE_BYTES = 32
CODE_INPUT_MAX_LENGTH = 32

FieldProblem = tuple[str | None, str, str]


class SecondFactorError(Exception):
    """Input was rejected; ``errors`` lists ``(field, message, code)``."""

    def __init__(self, errors: list[FieldProblem]):
        super().__init__(" ".join(message for _, message, _ in errors))
        self.errors = errors


def _keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SM3 keyed by SECRET_KEY, so a copy of the table alone does not reveal codes."""
    key = sm3.digest(force_bytes(f"business.accounts.second_factor:{purpose}:" + settings.SECRET_KEY))
    return sm3.hmac_sm3(key, force_bytes(value)).hex()


def token_hash(raw_token: str) -> str:
    return sm3.hexdigest(force_bytes(raw_token))


def _digits_only(code: str) -> str:
    return "".join(code.split())[:CODE_INPUT_MAX_LENGTH]


# --- TOTP ------------------------------------------------------------------------------


def confirmed_device(user: BusinessUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_INTERVAL)


def matching_step(secret: str, code: str, now: datetime.datetime | None = None) -> int | None:
    """Return the time step whose TOTP code equals ``code`` (one step of drift), or None."""
    code = _digits_only(code)
    if len(code) != TOTP_DIGITS or not code.isdigit():
        return None
    totp = _totp(secret)
    now = now or timezone.now()
    for drift in (0, -1, 1):
        moment = now + datetime.timedelta(seconds=drift * TOTP_INTERVAL)
        if hmac.compare_digest(totp.at(moment), code):
            return totp.timecode(moment)
    return None


def verify_totp(device: TOTPDevice, code: str) -> bool:
    """Check a code of a device and use it up; a code of an already used step fails."""
    step = matching_step(device.secret, code)
    if step is None:
        return False
    # The conditional update makes two concurrent uses of one code fail but one.
    updated = TOTPDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
        last_used_step=step
    )
    return updated == 1


@dataclass
class Enrolment:
    secret: str
    otpauth_uri: str
    qr_data_url: str


def otpauth_uri(secret: str, account_name: str) -> str:
    return _totp(secret).provisioning_uri(name=account_name, issuer_name=settings.TOTP_ISSUER)


def qr_data_url(uri: str) -> str:
    """Return the otpauth URI as a PNG QR code in a data URL."""
    return segno.make(uri, error="m").png_data_uri(scale=5, border=2)


def start_totp_enrolment(user: BusinessUser) -> Enrolment:
    """Create a new, unconfirmed TOTP secret for ``user`` and return it with its QR code.

    Raises SecondFactorError when a confirmed device exists: it must be turned off first.
    """
    if confirmed_device(user) is not None:
        raise SecondFactorError(
            [(None, "已启用动态口令。如需更换手机，请先停用动态口令再重新绑定。", "already_enrolled")]
        )
    secret = pyotp.random_base32()
    TOTPDevice.objects.update_or_create(
        user=user,
        defaults={"secret": secret, "created_at": timezone.now(), "last_used_step": 0},
    )
    uri = otpauth_uri(secret, user.username)
    logger.info("Started TOTP enrolment of business user %s", user.pk)
    return Enrolment(secret=secret, otpauth_uri=uri, qr_data_url=qr_data_url(uri))


def confirm_totp_enrolment(
    user: BusinessUser, code: str, *, request_info: audit.RequestInfo
) -> list[str]:
    """Confirm the pending device with its first code; return new recovery codes.

    Raises SecondFactorError for a wrong code or no pending enrolment.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        raise SecondFactorError(
            [(None, "没有待绑定的动态口令，请先点击“绑定动态口令”获取二维码。", "no_enrolment")]
        )
    step = matching_step(device.secret, code)
    if step is None:
        raise SecondFactorError(
            [("code", "动态口令不正确，请核对手机时间后输入验证器中当前显示的 6 位数字。", "invalid_code")]
        )
    with transaction.atomic():
        device.confirmed_at = timezone.now()
        device.last_used_step = step
        device.save(update_fields=["confirmed_at", "last_used_step"])
        codes = _replace_recovery_codes(user)
        audit.record_event(
            "account.second_factor.enrol",
            actor=audit.business_actor(user),
            request_info=request_info,
            object_type="business_user",
            object_id=user.pk,
            changes={"second_factor": (None, TOTP)},
        )
    logger.info("Business user %s confirmed a TOTP device", user.pk)
    return codes


def disable_totp(user: BusinessUser, *, request_info: audit.RequestInfo) -> None:
    """Remove the user's TOTP device and recovery codes."""
    with transaction.atomic():
        deleted, _ = TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        if deleted:
            audit.record_event(
                "account.second_factor.disable",
                actor=audit.business_actor(user),
                request_info=request_info,
                object_type="business_user",
                object_id=user.pk,
                changes={"second_factor": (TOTP, None)},
            )
    logger.info("Business user %s turned TOTP off", user.pk)


# --- Recovery codes ----------------------------------------------------------------------


def _normalise_recovery_code(code: str) -> str:
    return "".join(character for character in code.upper() if character.isalnum())


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def _replace_recovery_codes(user: BusinessUser) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    now = timezone.now()
    codes = [_new_recovery_code() for _ in range(settings.RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(
            user=user,
            code_hash=_keyed_hash("recovery", f"{user.pk}:{_normalise_recovery_code(code)}"),
            created_at=now,
        )
        for code in codes
    )
    return codes


def regenerate_recovery_codes(user: BusinessUser, *, request_info: audit.RequestInfo) -> list[str]:
    """Replace the user's recovery codes with new ones; the old ones stop working."""
    if confirmed_device(user) is None:
        raise SecondFactorError([(None, "启用动态口令后才能生成恢复码。", "not_enrolled")])
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
        audit.record_event(
            "account.second_factor.recovery_codes",
            actor=audit.business_actor(user),
            request_info=request_info,
            object_type="business_user",
            object_id=user.pk,
        )
    return codes


def use_recovery_code(user: BusinessUser, code: str) -> bool:
    """Check a recovery code and mark it used; each code works once."""
    normalised = _normalise_recovery_code(code[:CODE_INPUT_MAX_LENGTH])
    if len(normalised) != RECOVERY_CODE_LENGTH:
        return False
    code_hash = _keyed_hash("recovery", f"{user.pk}:{normalised}")
    updated = RecoveryCode.objects.filter(
        user=user, code_hash=code_hash, used_at__isnull=True
    ).update(used_at=timezone.now())
    return updated == 1


def remaining_recovery_codes(user: BusinessUser) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# --- One-time codes by SMS or e-mail -------------------------------------------------------


def destination_for(user: BusinessUser, channel: str) -> str | None:
    """Return the verified phone (sms) or e-mail (email) of ``user``, or None."""
    if channel == SMS:
        return user.verified_phone
    if channel == EMAIL:
        return user.verified_email
    return None


def masked_destination(channel: str, destination: str) -> str:
    if channel == SMS:
        return masking.mask_phone(destination)
    return masking.mask_email(destination)


def _new_numeric_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(ONE_TIME_CODE_DIGITS))


def issue_one_time_code(
    *,
    user: BusinessUser | None,
    purpose: str,
    channel: str,
    destination: str | None,
    send: bool = True,
) -> tuple[str, OneTimeCode]:
    """Store a new code and send it; return ``(raw request token, row)``.

    With ``user`` None or ``send`` False, the row is written but nothing is sent: the
    account recovery of an unknown name takes the same steps as a real one.
    Raises senders.SendFailed when the gateway refuses the message.
    """
    raw_token = secrets.token_urlsafe(CHALLENGE_BYTES)
    code = _new_numeric_code()
    now = timezone.now()
    row = OneTimeCode.objects.create(
        token_hash=token_hash(raw_token),
        user=user,
        purpose=purpose,
        channel=channel,
        destination=destination if purpose == OneTimeCode.Purpose.VERIFY_CONTACT else None,
        code_hash=_keyed_hash("one_time", f"{token_hash(raw_token)}:{code}"),
        created_at=now,
        expires_at=now + datetime.timedelta(seconds=settings.ONE_TIME_CODE_TTL_SECONDS),
    )
    if send and user is not None and destination:
        senders.get_sender().send(
            senders.CodeMessage(
                channel=channel,
                destination=destination,
                purpose=purpose,
                code=code,
                user_id=user.pk,
                valid_minutes=max(1, settings.ONE_TIME_CODE_TTL_SECONDS // 60),
            )
        )
    return raw_token, row


def find_one_time_code(raw_token: str, purpose: str) -> OneTimeCode | None:
    """Return the unused code row of the request ``raw_token``, or None."""
    return (
        OneTimeCode.objects.select_related("user")
        .filter(token_hash=token_hash(raw_token or ""), purpose=purpose, used_at__isnull=True)
        .first()
    )


def check_one_time_code(
    row: OneTimeCode | None, code: str, *, max_attempts: int, consume: bool = True
) -> bool:
    """Check ``code`` against a code row and use the row up when it matches.

    A row is void after ``max_attempts`` wrong codes or at its expiry. With
    ``consume`` False a right code leaves the row usable, for a caller that still has
    to validate other input before acting.
    """
    if row is None or row.used_at is not None:
        return False
    now = timezone.now()
    if row.expires_at <= now or row.attempts >= max_attempts:
        return False

    expected = _keyed_hash("one_time", f"{row.token_hash}:{_digits_only(code)}")
    if not hmac.compare_digest(expected, row.code_hash):
        OneTimeCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        row.attempts += 1
        return False
    if not consume:
        return True
    used = OneTimeCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now)
    row.used_at = now
    return used == 1


# --- Which factors a user has ------------------------------------------------------------


def sign_in_methods(user: BusinessUser) -> list[str]:
    """Return the second-factor methods ``user`` can sign in with; empty means none needed."""
    methods = []
    if confirmed_device(user) is not None:
        methods += [TOTP, RECOVERY_CODE]
    channel = user.message_second_factor
    if channel and destination_for(user, channel):
        methods.append(channel)
    return methods


# --- Sign-in challenges ----------------------------------------------------------------


def start_sign_in_challenge(user: BusinessUser, channel: str, username: str) -> str:
    """Open a second-factor step for a sign-in whose password was right; return its token."""
    raw_token = secrets.token_urlsafe(CHALLENGE_BYTES)
    now = timezone.now()
    SignInChallenge.objects.filter(expires_at__lte=now).delete()
    SignInChallenge.objects.create(
        token_hash=token_hash(raw_token),
        user=user,
        channel=channel,
        username=username,
        created_at=now,
        expires_at=now + datetime.timedelta(seconds=settings.SECOND_FACTOR_CHALLENGE_SECONDS),
    )
    return raw_token


def open_challenge(raw_token: str) -> SignInChallenge | None:
    """Return the unexpired challenge of ``raw_token``, or None."""
    if not raw_token:
        return None
    return (
        SignInChallenge.objects.select_related("user", "user__organisation")
        .filter(token_hash=token_hash(raw_token), expires_at__gt=timezone.now())
        .first()
    )


def delete_expired() -> int:
    """Delete expired challenges and one-time codes; return how many rows went."""
    now = timezone.now()
    challenges, _ = SignInChallenge.objects.filter(expires_at__lte=now).delete()
    codes, _ = OneTimeCode.objects.filter(expires_at__lte=now).delete()
    return challenges + codes
