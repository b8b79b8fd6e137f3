"""The account GraphQL API through the HTTP client: sign-in, lockout, sessions, tokens."""

import logging

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from business.accounts import sessions
from business.accounts.models import AccessToken, LoginLog
from business.accounts.services import GENERIC_LOGIN_FAILURE
from tests.api.client import URL, post

from .conftest import GOOD_PASSWORD, OTHER_GOOD_PASSWORD
from .graphql_operations import CHANGE_PASSWORD, LOGIN, LOGOUT, ME

pytestmark = pytest.mark.django_db


def login(client, username="zhangsan", password=GOOD_PASSWORD, channel="PC", **headers):
    variables = {"username": username, "password": password, "channel": channel}
    return post(client, LOGIN, variables, **headers).json()


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def session_has_no_business_user(client) -> bool:
    return sessions.SESSION_USER_KEY not in client.session


def me(client, **headers):
    return post(client, ME, **headers).json()["data"]["me"]


# --- PC channel ------------------------------------------------------------------------


def test_pc_login_returns_user(client, make_user):
    make_user()

    payload = login(client)["data"]["login"]

    assert payload["errors"] == []
    assert payload["user"] == {
        "username": "zhangsan",
        "displayName": "张三",
        "organisationName": "郑州市金水区示例超市有限公司",
        "mustChangePassword": False,
    }
    assert payload["token"] is None
    assert me(client)["username"] == "zhangsan"


def test_me_null_when_anonymous(client):
    assert me(client) is None


def test_wrong_password_generic_error(client, make_user):
    make_user()

    payload = login(client, password="Wrong-Pass-1")["data"]["login"]

    assert payload["user"] is None
    assert payload["errors"] == [
        {"field": None, "message": GENERIC_LOGIN_FAILURE, "code": "invalid_credentials"}
    ]
    assert me(client) is None


def test_unknown_user_same_response(client, make_user):
    make_user()

    unknown = login(client, username="nobody")
    wrong = login(client, password="Wrong-Pass-1")

    assert unknown == wrong


def test_empty_input_reported_per_field(client):
    payload = login(client, username=" ", password="")["data"]["login"]

    assert [(error["field"], error["code"]) for error in payload["errors"]] == [
        ("username", "required"),
        ("password", "required"),
    ]
    assert not LoginLog.objects.exists()


def test_session_key_cycled_at_login(client, make_user):
    make_user()
    client.get(URL, {"query": "{ __typename }"})
    session = client.session
    session["visited"] = True
    session.save()
    key_before = session.session_key

    login(client)

    key_after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert key_after != key_before
    assert not SessionStore().exists(key_before)
    stale = Client()
    stale.cookies[django_settings.SESSION_COOKIE_NAME] = key_before
    assert me(stale) is None


def test_absolute_lifetime_ends_session(client, make_user, clock, settings):
    # A long idle timeout, so only the absolute lifetime can end the session.
    settings.SESSION_COOKIE_AGE = 24 * 60 * 60
    make_user()
    login(client)
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    clock.advance(seconds=settings.SESSION_ABSOLUTE_SECONDS - 1)
    assert me(client)["username"] == "zhangsan"

    clock.advance(seconds=2)
    assert me(client) is None
    assert not SessionStore().exists(key)


def test_idle_session_expires(client, make_user, clock, settings):
    make_user()
    login(client)

    clock.advance(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert me(client) is not None
    clock.advance(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert me(client) is not None

    clock.advance(seconds=settings.SESSION_COOKIE_AGE + 1)
    assert me(client) is None


def test_disabled_organisation_ends_session_and_token(make_user, organisation):
    make_user()
    office = Client()
    login(office)
    token = login(Client(), channel="MOBILE")["data"]["login"]["token"]

    organisation.is_active = False
    organisation.save()

    assert me(office) is None
    assert me(Client(), **bearer(token)) is None


def test_pc_logout_ends_session(client, make_user):
    make_user()
    login(client)
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    payload = post(client, LOGOUT).json()["data"]["logout"]

    assert payload == {"errors": []}
    assert me(client) is None
    assert not SessionStore().exists(key)


def test_logout_when_anonymous_does_nothing(client):
    assert post(client, LOGOUT).json()["data"]["logout"] == {"errors": []}


def test_csrf_enforced_for_session_login(make_user):
    make_user()
    browser = Client(enforce_csrf_checks=True)
    variables = {"username": "zhangsan", "password": GOOD_PASSWORD, "channel": "PC"}

    refused = post(browser, LOGIN, variables)
    assert refused.status_code == 403
    assert not LoginLog.objects.exists()

    browser.get(URL, {"query": "{ __typename }"})
    csrf_token = browser.cookies["csrftoken"].value
    accepted = post(browser, LOGIN, variables, HTTP_X_CSRFTOKEN=csrf_token)
    assert accepted.status_code == 200
    assert accepted.json()["data"]["login"]["user"]["username"] == "zhangsan"

    # Signed in, a mutation without the token is still refused.
    assert post(browser, LOGOUT).status_code == 403


def test_pc_login_refused_on_bearer_request(client, make_user):
    make_user()

    payload = login(client, channel="PC", **bearer("anything"))["data"]["login"]

    assert payload["errors"][0]["code"] == "invalid_channel"
    assert payload["user"] is None
    assert session_has_no_business_user(client)


# --- Mobile channel ----------------------------------------------------------------------


def test_mobile_login_returns_token(client, make_user):
    make_user()

    payload = login(client, channel="MOBILE")["data"]["login"]

    token = payload["token"]
    assert payload["errors"] == []
    assert len(token) >= 43
    stored = AccessToken.objects.get()
    assert stored.token_hash != token
    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64
    assert session_has_no_business_user(client)


def test_bearer_token_works_without_cookies(make_user):
    make_user()
    token = login(Client(), channel="MOBILE")["data"]["login"]["token"]
    # A fresh client has no cookies; CSRF checks are on, as in a browser.
    app = Client(enforce_csrf_checks=True)

    response = post(app, ME, **bearer(token))

    assert response.status_code == 200
    assert response.json()["data"]["me"]["username"] == "zhangsan"
    assert not app.cookies.get(django_settings.SESSION_COOKIE_NAME)


def test_unknown_token_is_anonymous(client, make_user):
    make_user()

    assert me(client, **bearer("not-a-real-token")) is None
    assert me(client, HTTP_AUTHORIZATION="Bearer") is None


def test_expired_token_is_anonymous(client, make_user, clock, settings):
    settings.ACCESS_TOKEN_IDLE_SECONDS = 24 * 60 * 60
    make_user()
    token = login(client, channel="MOBILE")["data"]["login"]["token"]

    clock.advance(seconds=settings.ACCESS_TOKEN_LIFETIME_SECONDS - 1)
    assert me(client, **bearer(token)) is not None

    clock.advance(seconds=1)
    assert me(client, **bearer(token)) is None
    assert not AccessToken.objects.exists()


def test_idle_token_expires(client, make_user, clock, settings):
    make_user()
    token = login(client, channel="MOBILE")["data"]["login"]["token"]

    clock.advance(seconds=settings.ACCESS_TOKEN_IDLE_SECONDS - 120)
    assert me(client, **bearer(token)) is not None
    clock.advance(seconds=settings.ACCESS_TOKEN_IDLE_SECONDS - 120)
    assert me(client, **bearer(token)) is not None

    clock.advance(seconds=settings.ACCESS_TOKEN_IDLE_SECONDS)
    assert me(client, **bearer(token)) is None


def test_bearer_request_ignores_session_cookie(client, make_user):
    make_user()
    login(client, channel="PC")

    assert me(client)["username"] == "zhangsan"
    assert me(client, **bearer("not-a-real-token")) is None


def test_mobile_logout_revokes_token(client, make_user):
    make_user()
    token = login(client, channel="MOBILE")["data"]["login"]["token"]

    post(client, LOGOUT, **bearer(token))

    assert me(client, **bearer(token)) is None
    assert not AccessToken.objects.exists()


def test_lock_from_pc_refuses_mobile_login(client, make_user):
    make_user()
    for _ in range(5):
        login(client, password="Wrong-Pass-1", channel="PC")

    payload = login(Client(), channel="MOBILE")["data"]["login"]

    assert payload["token"] is None
    assert payload["errors"][0]["message"] == GENERIC_LOGIN_FAILURE
    assert not AccessToken.objects.exists()


def test_lockout_through_api(client, make_user, clock):
    make_user()

    for _ in range(4):
        login(client, password="Wrong-Pass-1")
    assert login(client)["data"]["login"]["user"] is not None

    for _ in range(5):
        login(client, password="Wrong-Pass-1")
    during_lock = login(client)["data"]["login"]
    wrong = login(client, password="Wrong-Pass-1")["data"]["login"]
    assert during_lock == wrong
    assert during_lock["errors"][0]["message"] == GENERIC_LOGIN_FAILURE

    clock.advance(minutes=30)
    assert login(client)["data"]["login"]["user"]["username"] == "zhangsan"


def test_login_log_records_address_and_channel(make_user):
    make_user()

    login(Client(REMOTE_ADDR="198.51.100.20"), password="Wrong-Pass-1", channel="PC")
    login(Client(REMOTE_ADDR="198.51.100.21", HTTP_USER_AGENT="MetrologyApp/1.0"), channel="MOBILE")

    failure, success = LoginLog.objects.order_by("pk")
    assert (failure.ip_address, failure.channel, failure.result) == (
        "198.51.100.20",
        LoginLog.Channel.PC,
        LoginLog.Result.FAILURE,
    )
    assert (success.ip_address, success.channel, success.result) == (
        "198.51.100.21",
        LoginLog.Channel.MOBILE,
        LoginLog.Result.SUCCESS,
    )
    assert success.user_agent == "MetrologyApp/1.0"


def test_rate_limited_login_is_top_level_error(client, make_user, settings):
    settings.LOGIN_RATE_LIMIT = 2
    make_user()
    login(client)
    login(client)

    response = login(client)

    assert response["data"]["login"] is None
    assert response["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert response["errors"][0]["message"] == "登录尝试过于频繁，请稍后再试。"


def test_two_login_aliases_rejected(client, make_user):
    make_user()
    document = """
    mutation {
      a: login(username: "zhangsan", password: "Wrong-Pass-1", channel: PC) { token }
      b: login(username: "zhangsan", password: "Jinshui-Scale-2026", channel: PC) { token }
    }
    """

    response = post(client, document)

    assert response.status_code == 400
    assert "只能包含一个 login" in response.json()["errors"][0]["message"]
    assert not LoginLog.objects.exists()


def test_login_in_fragment_counted(client):
    document = """
    mutation { a: login(username: "x", password: "y", channel: PC) { token } ...Again }
    fragment Again on Mutation { b: login(username: "x", password: "z", channel: PC) { token } }
    """

    response = post(client, document)

    assert response.status_code == 400
    assert "只能包含一个 login" in response.json()["errors"][0]["message"]


def test_single_login_with_other_fields_allowed(client, make_user):
    make_user()
    document = """
    mutation { login(username: "zhangsan", password: "Jinshui-Scale-2026", channel: PC) { token }
               logout { errors { code } } }
    """

    response = post(client, document)

    assert response.status_code == 200
    assert "errors" not in response.json()


# --- Changing the password ---------------------------------------------------------------


def test_change_password_through_api(client, make_user):
    make_user(must_change=True)
    login(client)

    payload = post(client, CHANGE_PASSWORD, {"old": GOOD_PASSWORD, "new": OTHER_GOOD_PASSWORD})
    result = payload.json()["data"]["changePassword"]

    assert result["errors"] == []
    assert result["user"]["mustChangePassword"] is False
    assert me(client)["mustChangePassword"] is False


def test_change_password_errors_in_payload(client, make_user):
    make_user(must_change=True)
    login(client)

    response = post(client, CHANGE_PASSWORD, {"old": "Wrong-Pass-1", "new": "abc"})
    errors = response.json()["data"]["changePassword"]["errors"]

    assert ("oldPassword", "invalid_password") in [(e["field"], e["code"]) for e in errors]
    assert ("newPassword", "password_too_short") in [(e["field"], e["code"]) for e in errors]
    assert "密码至少需要 8 个字符。" in [e["message"] for e in errors]


def test_change_password_requires_sign_in(client):
    response = post(client, CHANGE_PASSWORD, {"old": GOOD_PASSWORD, "new": OTHER_GOOD_PASSWORD})

    body = response.json()
    assert body["data"]["changePassword"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_password_change_ends_other_sessions_and_tokens(make_user):
    make_user()
    office, laptop = Client(), Client()
    login(office)
    login(laptop)
    phone_token = login(Client(), channel="MOBILE")["data"]["login"]["token"]

    post(office, CHANGE_PASSWORD, {"old": GOOD_PASSWORD, "new": OTHER_GOOD_PASSWORD})

    assert me(office)["username"] == "zhangsan"
    assert me(laptop) is None
    assert me(Client(), **bearer(phone_token)) is None


def test_mobile_password_change_keeps_own_token(make_user):
    make_user()
    phone = login(Client(), channel="MOBILE")["data"]["login"]["token"]
    tablet = login(Client(), channel="MOBILE")["data"]["login"]["token"]
    app = Client()

    post(app, CHANGE_PASSWORD, {"old": GOOD_PASSWORD, "new": OTHER_GOOD_PASSWORD}, **bearer(phone))

    assert me(app, **bearer(phone))["username"] == "zhangsan"
    assert me(app, **bearer(tablet)) is None


# --- No secrets in logs ------------------------------------------------------------------


def test_no_password_or_token_in_logs(client, make_user, caplog, settings):
    caplog.set_level(logging.DEBUG)
    make_user()

    login(client, password="Wrong-Secret-77")
    login(client, username="Wrong-Secret-88")
    login(client)
    token = login(Client(), channel="MOBILE")["data"]["login"]["token"]
    me(Client(), **bearer(token))
    for _ in range(5):
        login(client, password="Wrong-Secret-99")
    post(client, CHANGE_PASSWORD, {"old": GOOD_PASSWORD, "new": OTHER_GOOD_PASSWORD})

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "signed in" in logged
    assert "Locked business user" in logged
    for secret in (GOOD_PASSWORD, OTHER_GOOD_PASSWORD, "Wrong-Secret-77", "Wrong-Secret-99", token):
        assert secret not in logged
    # A password typed into the user-name field stays out of the application log too.
    assert "Wrong-Secret-88" not in logged
