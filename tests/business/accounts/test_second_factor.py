"""TOTP enrolment, recovery codes, one-time codes and the two-step sign-in."""

import logging

import pytest
from django.db import connection
from django.test import Client

from business.accounts import second_factor, senders
from business.accounts.models import BusinessUser, LoginLog, OneTimeCode, TOTPDevice
from tests.api.client import post

from .graphql_operations import (
    ACCOUNT_SECURITY,
    CONFIRM_TOTP,
    DISABLE_TOTP,
    ME,
    SEND_LOGIN_CODE,
    START_TOTP,
)
from .security_helpers import bearer, login, totp_code, verify

pytestmark = pytest.mark.django_db


def enrol(client) -> tuple[str, list[str]]:
    """Sign in and enrol TOTP through the API; return the secret and the recovery codes."""
    assert login(client)["errors"] == []
    started = post(client, START_TOTP).json()["data"]["startTotpEnrolment"]
    assert started["errors"] == []
    confirmed = post(client, CONFIRM_TOTP, {"code": totp_code(started["secret"])}).json()
    payload = confirmed["data"]["confirmTotpEnrolment"]
    assert payload["errors"] == []
    return started["secret"], payload["recoveryCodes"]


@pytest.fixture
def enrolled(client, make_user, clock):
    user = make_user()
    secret, codes = enrol(client)
    post(client, "mutation { logout { errors { code } } }")
    # The next time step, so that a new code differs from the enrolment code.
    clock.advance(seconds=30)
    return user, secret, codes


def test_enrolment_gives_qr_and_recovery_codes(client, make_user):
    make_user()
    login(client)

    started = post(client, START_TOTP).json()["data"]["startTotpEnrolment"]

    assert started["qrCode"].startswith("data:image/png;base64,")
    assert started["otpauthUri"].startswith("otpauth://totp/")
    assert "zhangsan" in started["otpauthUri"]
    confirmed = post(client, CONFIRM_TOTP, {"code": totp_code(started["secret"])}).json()
    codes = confirmed["data"]["confirmTotpEnrolment"]["recoveryCodes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    security = post(client, ACCOUNT_SECURITY).json()["data"]["accountSecurity"]
    assert security["totpEnabled"] is True
    assert security["recoveryCodesRemaining"] == 10


def test_wrong_first_code_does_not_enable(client, make_user):
    make_user()
    login(client)
    post(client, START_TOTP)

    confirmed = post(client, CONFIRM_TOTP, {"code": "000000"}).json()

    assert confirmed["data"]["confirmTotpEnrolment"]["errors"][0]["code"] == "invalid_code"
    assert TOTPDevice.objects.get().confirmed_at is None


def test_secret_stored_encrypted(client, make_user):
    make_user()
    login(client)
    secret = post(client, START_TOTP).json()["data"]["startTotpEnrolment"]["secret"]

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_totpdevice")
        stored = cursor.fetchone()[0]
    assert secret not in stored
    assert TOTPDevice.objects.get().secret == secret


def test_recovery_codes_stored_hashed(enrolled):
    user, _secret, codes = enrolled

    stored = set(user.recovery_codes.values_list("code_hash", flat=True))
    assert not stored & set(codes)


def test_password_alone_no_longer_signs_in(client, enrolled):
    payload = login(client)

    assert payload["user"] is None
    assert payload["secondFactorRequired"] is True
    assert payload["challenge"]
    assert payload["secondFactorMethods"] == ["TOTP", "RECOVERY_CODE"]
    assert post(client, ME).json()["data"]["me"] is None


def test_totp_completes_sign_in(client, enrolled):
    _user, secret, _codes = enrolled
    challenge = login(client)["challenge"]

    payload = verify(client, challenge, "TOTP", totp_code(secret))

    assert payload["errors"] == []
    assert payload["user"]["username"] == "zhangsan"
    assert post(client, ME).json()["data"]["me"]["username"] == "zhangsan"
    entry = LoginLog.objects.filter(result=LoginLog.Result.SUCCESS).latest("created_at")
    assert entry.second_factor == "totp"


def test_same_totp_code_refused_twice(enrolled):
    _user, secret, _codes = enrolled
    code = totp_code(secret)
    first, second = Client(), Client()

    assert verify(first, login(first)["challenge"], "TOTP", code)["errors"] == []
    refused = verify(second, login(second)["challenge"], "TOTP", code)

    assert refused["errors"][0]["code"] == "invalid_code"


def test_mobile_two_step_returns_token(client, enrolled):
    _user, secret, _codes = enrolled
    challenge = login(client, channel="MOBILE")["challenge"]

    payload = verify(Client(), challenge, "TOTP", totp_code(secret))

    assert payload["token"]
    phone = Client()
    assert post(phone, ME, **bearer(payload["token"])).json()["data"]["me"]["username"] == "zhangsan"


def test_recovery_code_works_once(enrolled):
    _user, _secret, codes = enrolled

    first = Client()
    assert verify(first, login(first)["challenge"], "RECOVERY_CODE", codes[0].lower())["errors"] == []
    second = Client()
    refused = verify(second, login(second)["challenge"], "RECOVERY_CODE", codes[0])
    assert refused["errors"][0]["code"] == "invalid_code"


def test_wrong_codes_count_towards_lockout(client, enrolled, settings):
    user, secret, _codes = enrolled

    for _ in range(settings.LOGIN_MAX_FAILURES):
        challenge = login(client)["challenge"]
        verify(client, challenge, "TOTP", "000000")

    assert BusinessUser.objects.get(pk=user.pk).locked_until is not None
    refused = login(client)
    assert refused["errors"][0]["code"] == "invalid_credentials"
    assert refused["challenge"] is None


def test_challenge_void_after_max_attempts(client, enrolled, settings):
    _user, secret, _codes = enrolled
    settings.SECOND_FACTOR_MAX_ATTEMPTS = 2
    challenge = login(client)["challenge"]
    verify(client, challenge, "TOTP", "000000")
    verify(client, challenge, "TOTP", "000000")

    payload = verify(client, challenge, "TOTP", totp_code(secret))

    assert payload["errors"][0]["code"] == "challenge_expired"


def test_challenge_expires(client, enrolled, clock, settings):
    _user, secret, _codes = enrolled
    challenge = login(client)["challenge"]

    clock.advance(seconds=settings.SECOND_FACTOR_CHALLENGE_SECONDS + 1)
    payload = verify(client, challenge, "TOTP", totp_code(secret))

    assert payload["errors"][0]["code"] == "challenge_expired"


def test_disable_totp_returns_to_password_only(client, enrolled):
    _user, secret, _codes = enrolled
    challenge = login(client)["challenge"]
    verify(client, challenge, "TOTP", totp_code(secret))

    assert post(client, DISABLE_TOTP).json()["data"]["disableTotp"]["errors"] == []

    post(client, "mutation { logout { errors { code } } }")
    assert login(client)["user"]["username"] == "zhangsan"


# --- One-time codes by SMS ---------------------------------------------------------


@pytest.fixture
def sms_user(make_user):
    from django.utils import timezone

    user = make_user()
    user.phone = "13812345678"
    user.phone_verified_at = timezone.now()
    user.message_second_factor = "sms"
    user.save()
    senders.OUTBOX.clear()
    return user


def test_sms_second_factor(client, sms_user, caplog):
    payload = login(client)
    assert payload["secondFactorMethods"] == ["SMS"]

    with caplog.at_level(logging.INFO, logger="business.accounts.senders"):
        sent = post(
            client, SEND_LOGIN_CODE, {"challenge": payload["challenge"], "method": "SMS"}
        ).json()["data"]["sendLoginCode"]
    assert sent["errors"] == []
    assert sent["destination"] == "138****5678"
    code = senders.last_code("13812345678")
    assert code is not None
    # The development sender logs that a code went out, never the code at INFO.
    info_lines = [record.getMessage() for record in caplog.records if record.levelno >= logging.INFO]
    assert info_lines and not any(code in line for line in info_lines)

    result = verify(client, payload["challenge"], "SMS", code)
    assert result["errors"] == []
    assert post(client, ME).json()["data"]["me"]["username"] == "zhangsan"
    assert OneTimeCode.objects.get().used_at is not None


def test_sms_code_of_another_challenge_refused(client, sms_user):
    first = login(client)["challenge"]
    post(client, SEND_LOGIN_CODE, {"challenge": first, "method": "SMS"})
    code = senders.last_code()

    later_client = Client()
    stale = verify(later_client, "not-a-challenge", "SMS", code)

    assert stale["errors"][0]["code"] == "challenge_expired"


def test_sms_codes_rate_limited(client, sms_user, settings):
    settings.ONE_TIME_CODE_RATE_LIMIT = 1
    challenge = login(client)["challenge"]
    post(client, SEND_LOGIN_CODE, {"challenge": challenge, "method": "SMS"})

    again = post(client, SEND_LOGIN_CODE, {"challenge": challenge, "method": "SMS"}).json()

    assert again["data"]["sendLoginCode"]["errors"][0]["code"] == "rate_limited"


def test_unverified_phone_is_no_factor(make_user):
    user = make_user()
    user.phone = "13812345678"
    user.message_second_factor = "sms"
    user.save()

    assert second_factor.sign_in_methods(user) == []


def test_phone_stored_encrypted_and_findable(sms_user):
    from business.core.crypto.fields import blind_index_lookup

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_businessuser")
        stored = cursor.fetchone()[0]
    assert "13812345678" not in stored
    found = BusinessUser.objects.filter(blind_index_lookup(BusinessUser, "phone_index", "138 1234 5678"))
    assert list(found) == [sms_user]
