"""The image captcha module and the captcha step of sign-in."""

import base64
import io

import pytest
from PIL import Image

from business.accounts.models import BusinessUser, LoginLog
from business.core import captcha
from tests.api.client import post

from .conftest import GOOD_PASSWORD
from .graphql_operations import CAPTCHA
from .security_helpers import CAPTCHA_ANSWER, fetch_captcha, login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def captcha_after_two_failures(settings):
    settings.LOGIN_CAPTCHA_AFTER_FAILURES = 2


# --- The module ----------------------------------------------------------------------


def test_issue_returns_png_data_url():
    captcha_id, image = captcha.issue_captcha()

    assert captcha_id
    assert image.startswith("data:image/png;base64,")
    picture = Image.open(io.BytesIO(base64.b64decode(image.split(",", 1)[1])))
    assert picture.format == "PNG"
    assert picture.size == (captcha.WIDTH, captcha.HEIGHT)


def test_right_answer_ignoring_case_and_spaces(known_captcha):
    captcha_id, _ = captcha.issue_captcha()

    assert captcha.verify_captcha(captcha_id, f"  {CAPTCHA_ANSWER.lower()} ")


def test_captcha_works_once(known_captcha):
    captcha_id, _ = captcha.issue_captcha()

    assert captcha.verify_captcha(captcha_id, CAPTCHA_ANSWER)
    assert not captcha.verify_captcha(captcha_id, CAPTCHA_ANSWER)


def test_wrong_answer_uses_captcha_up(known_captcha):
    captcha_id, _ = captcha.issue_captcha()

    assert not captcha.verify_captcha(captcha_id, "AAAA")
    assert not captcha.verify_captcha(captcha_id, CAPTCHA_ANSWER)


def test_unknown_and_malformed_ids_fail():
    assert not captcha.verify_captcha("nope", "ABCD")
    assert not captcha.verify_captcha("", "ABCD")
    assert not captcha.verify_captcha("x" * 500, "ABCD")


def test_only_a_hash_is_cached(known_captcha):
    from django.core.cache import cache

    captcha_id, _ = captcha.issue_captcha()

    stored = cache.get("captcha:" + captcha_id)
    assert CAPTCHA_ANSWER not in stored
    assert len(stored) == 64


def test_answer_expires(known_captcha, settings):
    from django.core.cache import cache

    captcha_id, _ = captcha.issue_captcha()
    # The locmem cache keeps the expiry time per key; the configured lifetime is used.
    expiry = cache._expire_info[cache.make_and_validate_key("captcha:" + captcha_id)]
    import time

    assert abs(expiry - time.time() - settings.CAPTCHA_TTL_SECONDS) < 5


def test_captcha_problems_codes(known_captcha):
    captcha_id, _ = captcha.issue_captcha()

    assert captcha.captcha_problems(captcha_id, "")[0][2] == "captcha_required"
    assert captcha.captcha_problems(captcha_id, "ZZZZ")[0][2] == "captcha_invalid"


# --- GraphQL ---------------------------------------------------------------------------


def test_captcha_query_is_public(client):
    data = post(client, CAPTCHA).json()["data"]["captcha"]

    assert data["image"].startswith("data:image/png;base64,")


def test_captcha_query_rate_limited(client, settings):
    settings.CAPTCHA_RATE_LIMIT = 2
    post(client, CAPTCHA)
    post(client, CAPTCHA)

    response = post(client, CAPTCHA).json()

    assert response["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


# --- Sign-in ------------------------------------------------------------------------------


def test_no_captcha_before_failures(client, make_user):
    make_user()

    payload = login(client)

    assert payload["errors"] == []
    assert payload["captchaRequired"] is False


def test_captcha_demanded_after_failures(client, make_user):
    user = make_user()
    first = login(client, password="Wrong-Pass-1")
    second = login(client, password="Wrong-Pass-1")

    assert first["captchaRequired"] is False
    assert second["captchaRequired"] is True

    refused = login(client)
    assert refused["user"] is None
    assert refused["errors"][0]["field"] == "captcha"
    assert refused["errors"][0]["code"] == "captcha_required"
    # The password was not checked, so the failure count did not grow.
    assert BusinessUser.objects.get(pk=user.pk).failed_login_count == 2
    assert LoginLog.objects.filter(reason=LoginLog.Reason.CAPTCHA_FAILED).count() == 1


def test_right_captcha_lets_sign_in(client, make_user, known_captcha):
    make_user()
    login(client, password="Wrong-Pass-1")
    login(client, password="Wrong-Pass-1")

    payload = login(client, captchaId=fetch_captcha(client), captchaAnswer=CAPTCHA_ANSWER)

    assert payload["errors"] == []
    assert payload["user"]["username"] == "zhangsan"
    # After a success the name needs no captcha any more.
    assert login(client)["errors"] == []


def test_wrong_captcha_refused(client, make_user, known_captcha):
    make_user()
    login(client, password="Wrong-Pass-1")
    login(client, password="Wrong-Pass-1")

    payload = login(client, captchaId=fetch_captcha(client), captchaAnswer="ZZZZ")

    assert payload["errors"][0]["code"] == "captcha_invalid"
    assert payload["captchaRequired"] is True


def test_unknown_name_gets_same_captcha_demand(client, make_user):
    make_user()
    for _ in range(2):
        login(client, username="nobody", password="Wrong-Pass-1")

    payload = login(client, username="nobody", password=GOOD_PASSWORD)

    assert payload["errors"][0]["code"] == "captcha_required"


def test_address_failures_demand_captcha_for_other_names(client, make_user):
    make_user()
    make_user(username="lisi", display_name="李四")
    login(client, username="zhangsan", password="Wrong-Pass-1")
    login(client, username="wangwu", password="Wrong-Pass-1")

    payload = login(client, username="lisi")

    assert payload["errors"][0]["code"] == "captcha_required"


def test_lockout_still_holds_with_captcha(client, make_user, known_captcha, settings):
    """Across channels: five wrong passwords, each with its captcha, lock the account."""
    make_user()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        login(client, password="Wrong-Pass-1", captchaId=fetch_captcha(client), captchaAnswer=CAPTCHA_ANSWER)

    payload = login(
        client, channel="MOBILE", captchaId=fetch_captcha(client), captchaAnswer=CAPTCHA_ANSWER
    )

    assert payload["token"] is None
    assert payload["errors"][0]["code"] == "invalid_credentials"
