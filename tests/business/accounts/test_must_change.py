"""A user whose password must change may only use me, changePassword and logout."""

import pytest

from tests.api.client import post

from .conftest import GOOD_PASSWORD, OTHER_GOOD_PASSWORD
from .graphql_operations import CHANGE_PASSWORD, LOGIN, LOGOUT, ME

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.business.accounts.probe_urls")]


def sign_in(client, channel="PC") -> dict:
    variables = {"username": "zhangsan", "password": GOOD_PASSWORD, "channel": channel}
    payload = post(client, LOGIN, variables).json()["data"]["login"]
    headers = {}
    if payload["token"]:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {payload['token']}"
    return headers


def error_code(response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


@pytest.mark.parametrize("channel", ["PC", "MOBILE"])
def test_must_change_blocks_business_operations(client, make_user, channel):
    make_user(must_change=True)
    headers = sign_in(client, channel)

    for document in ("{ ledgerSize }", "{ organisationName }", "mutation { touchLedger }"):
        assert error_code(post(client, document, **headers)) == "PASSWORD_CHANGE_REQUIRED", document

    me = post(client, ME, **headers).json()["data"]["me"]
    assert me["mustChangePassword"] is True

    passwords = {"old": GOOD_PASSWORD, "new": OTHER_GOOD_PASSWORD}
    changed = post(client, CHANGE_PASSWORD, passwords, **headers)
    assert changed.json()["data"]["changePassword"]["errors"] == []

    assert post(client, "{ ledgerSize }", **headers).json() == {"data": {"ledgerSize": 42}}
    assert post(client, LOGOUT, **headers).json()["data"]["logout"] == {"errors": []}


def test_expired_password_blocks_business_operations(client, make_user, clock, settings):
    # Keep the session alive across the jump; only the password age matters here.
    settings.SESSION_COOKIE_AGE = 365 * 24 * 60 * 60
    settings.SESSION_ABSOLUTE_SECONDS = 365 * 24 * 60 * 60
    make_user()
    sign_in(client)
    assert post(client, "{ ledgerSize }").json() == {"data": {"ledgerSize": 42}}

    clock.advance(days=settings.PASSWORD_MAX_AGE_DAYS)

    assert error_code(post(client, "{ ledgerSize }")) == "PASSWORD_CHANGE_REQUIRED"
    assert post(client, ME).json()["data"]["me"]["mustChangePassword"] is True


def test_must_change_revealed_only_after_password_check(client, make_user):
    make_user(must_change=True)

    wrong = post(
        client, LOGIN, {"username": "zhangsan", "password": "Wrong-Pass-1", "channel": "PC"}
    ).json()["data"]["login"]

    assert wrong["user"] is None
    assert "mustChangePassword" not in str(wrong["errors"])


def test_anonymous_refused_with_unauthenticated(client):
    response = post(client, "{ ledgerSize }")

    assert error_code(response) == "UNAUTHENTICATED"
    assert response.json()["errors"][0]["message"] == "尚未登录或登录已过期，请重新登录。"
