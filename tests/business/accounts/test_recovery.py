"""Account recovery by a code to the verified phone or e-mail, and contact verification."""

import pytest
from django.test import Client
from django.utils import timezone

from business.accounts import senders
from business.accounts.models import AccessToken, BusinessUser, LoginLog, OneTimeCode, OnlineSession
from business.audit.models import AuditEvent
from tests.api.client import post

from .conftest import GOOD_PASSWORD, OTHER_GOOD_PASSWORD
from .graphql_operations import (
    CONFIRM_CONTACT,
    ME,
    REQUEST_CONTACT,
    REQUEST_RECOVERY,
    RESET_WITH_CODE,
)
from .security_helpers import CAPTCHA_ANSWER, bearer, fetch_captcha, login

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


@pytest.fixture
def user_with_phone(make_user):
    user = make_user()
    user.phone = PHONE
    user.phone_verified_at = timezone.now()
    user.save()
    senders.OUTBOX.clear()
    return user


def request_recovery(client, username="zhangsan", channel="SMS", answer=CAPTCHA_ANSWER) -> dict:
    variables = {
        "username": username,
        "channel": channel,
        "captchaId": fetch_captcha(client),
        "captchaAnswer": answer,
    }
    return post(client, REQUEST_RECOVERY, variables).json()["data"]["requestPasswordRecovery"]


def reset(client, recovery_id, code, new_password=OTHER_GOOD_PASSWORD) -> dict:
    variables = {"recoveryId": recovery_id, "code": code, "newPassword": new_password}
    return post(client, RESET_WITH_CODE, variables).json()["data"]["resetPasswordWithCode"]


def test_known_and_unknown_names_get_same_answer(client, user_with_phone, known_captcha):
    known = request_recovery(client)
    unknown = request_recovery(client, username="nobody")
    unverified = request_recovery(client, channel="EMAIL")

    for payload in (known, unknown, unverified):
        assert payload["errors"] == []
        assert payload["recoveryId"]
    assert known["message"] == unknown["message"] == unverified["message"]
    # Only the real account with a verified phone got a message; every request wrote a row.
    assert [message.destination for message in senders.OUTBOX] == [PHONE]
    assert OneTimeCode.objects.filter(purpose="recovery").count() == 3


def test_recovery_resets_password_and_signs_out_everywhere(user_with_phone, known_captcha):
    office, phone = Client(), Client()
    login(office)
    token = login(phone, channel="MOBILE")["token"]
    assert OnlineSession.objects.count() == 2

    anonymous = Client()
    recovery_id = request_recovery(anonymous)["recoveryId"]
    result = reset(anonymous, recovery_id, senders.last_code(PHONE))

    assert result["errors"] == []
    user = BusinessUser.objects.get(pk=user_with_phone.pk)
    assert user.check_password(OTHER_GOOD_PASSWORD)
    assert user.must_change_password is False
    assert not OnlineSession.objects.exists()
    assert not AccessToken.objects.exists()
    assert post(office, ME).json()["data"]["me"] is None
    assert post(phone, ME, **bearer(token)).json()["data"]["me"] is None
    assert AuditEvent.objects.filter(action="account.password_recover").count() == 1
    assert LoginLog.objects.filter(reason=LoginLog.Reason.PASSWORD_RECOVERED).count() == 1
    assert login(Client(), password=OTHER_GOOD_PASSWORD)["user"]["username"] == "zhangsan"


def test_wrong_code_then_limit(client, user_with_phone, known_captcha, settings):
    settings.RECOVERY_MAX_ATTEMPTS = 2
    recovery_id = request_recovery(client)["recoveryId"]
    code = senders.last_code(PHONE)
    wrong = "000000" if code != "000000" else "111111"

    assert reset(client, recovery_id, wrong)["errors"][0]["code"] == "invalid_code"
    assert reset(client, recovery_id, wrong)["errors"][0]["code"] == "invalid_code"
    # The request is void now, even with the right code.
    assert reset(client, recovery_id, code)["errors"][0]["code"] == "invalid_code"
    assert BusinessUser.objects.get(pk=user_with_phone.pk).check_password(GOOD_PASSWORD)


def test_code_expires(client, user_with_phone, known_captcha, clock, settings):
    recovery_id = request_recovery(client)["recoveryId"]

    clock.advance(seconds=settings.ONE_TIME_CODE_TTL_SECONDS + 1)

    assert reset(client, recovery_id, senders.last_code(PHONE))["errors"][0]["code"] == "invalid_code"


def test_unknown_name_code_never_matches(client, user_with_phone, known_captcha):
    recovery_id = request_recovery(client, username="nobody")["recoveryId"]

    assert reset(client, recovery_id, "123456")["errors"][0]["code"] == "invalid_code"


def test_weak_password_keeps_code_usable(client, user_with_phone, known_captcha):
    recovery_id = request_recovery(client)["recoveryId"]
    code = senders.last_code(PHONE)

    weak = reset(client, recovery_id, code, new_password="short")
    assert weak["errors"][0]["field"] == "newPassword"

    assert reset(client, recovery_id, code)["errors"] == []


def test_captcha_required(client, user_with_phone, known_captcha):
    payload = request_recovery(client, answer="ZZZZ")

    assert payload["errors"][0]["field"] == "captcha"
    assert senders.OUTBOX == []


def test_recovery_rate_limited_per_address(client, user_with_phone, known_captcha, settings):
    settings.RECOVERY_RATE_LIMIT = 1
    request_recovery(client)

    assert request_recovery(client)["errors"][0]["code"] == "rate_limited"


# --- Verifying a phone number ------------------------------------------------------


def test_verify_new_phone(client, make_user):
    user = make_user()
    senders.OUTBOX.clear()
    login(client)

    started = post(client, REQUEST_CONTACT, {"channel": "SMS", "value": "139 1234 5678"}).json()
    payload = started["data"]["requestContactVerification"]
    assert payload["errors"] == []
    assert payload["destination"] == "139****5678"

    confirmed = post(
        client, CONFIRM_CONTACT, {"id": payload["verificationId"], "code": senders.last_code(PHONE)}
    ).json()
    assert confirmed["data"]["confirmContactVerification"]["errors"] == []
    user.refresh_from_db()
    assert user.verified_phone == PHONE
    event = AuditEvent.objects.get(action="account.contact.verify")
    assert PHONE not in str(event.changes)


def test_invalid_phone_named(client, make_user):
    make_user()
    login(client)

    started = post(client, REQUEST_CONTACT, {"channel": "SMS", "value": "12345"}).json()

    error = started["data"]["requestContactVerification"]["errors"][0]
    assert error["field"] == "destination"
    assert "11 位" in error["message"]


def test_known_and_unknown_names_cost_the_same_queries(user_with_phone, known_captcha, rf):
    """A proxy for similar timing: both paths run the same database statements."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from business.accounts import recovery
    from business.core import captcha

    def statements(username):
        request = rf.post("/graphql/", REMOTE_ADDR="203.0.113.9")
        request.business_channel = "pc"
        captcha_id, _ = captcha.issue_captcha()
        with CaptureQueriesContext(connection) as queries:
            recovery.request_recovery(request, username, "sms", captcha_id, CAPTCHA_ANSWER)
        return [query["sql"].split(" ")[0] for query in queries.captured_queries]

    assert statements("zhangsan") == statements("nobody")
