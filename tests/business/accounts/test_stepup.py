"""Step-up re-authentication before sensitive operations."""

import pytest

from business.accounts.models import BusinessUser
from business.audit.models import AuditEvent
from tests.api.client import post

from .conftest import GOOD_PASSWORD, OTHER_GOOD_PASSWORD
from .graphql_operations import ACCOUNT_SECURITY, CHANGE_PASSWORD, REAUTHENTICATE, START_TOTP
from .security_helpers import login

pytestmark = pytest.mark.django_db


def error_code(response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


def test_fresh_sign_in_counts_as_recent(client, make_user):
    make_user()
    login(client)

    security = post(client, ACCOUNT_SECURITY).json()["data"]["accountSecurity"]

    assert security["recentlyAuthenticated"] is True
    assert security["stepUpMethods"] == ["PASSWORD"]


def test_enrolment_needs_step_up_after_window(client, make_user, clock, settings):
    make_user()
    login(client)
    clock.advance(minutes=settings.STEP_UP_MAX_AGE_MINUTES + 1)

    refused = post(client, START_TOTP)
    assert error_code(refused) == "STEP_UP_REQUIRED"

    reauth = post(client, REAUTHENTICATE, {"method": "PASSWORD", "secret": GOOD_PASSWORD}).json()
    assert reauth["data"]["reauthenticate"]["errors"] == []
    started = post(client, START_TOTP).json()["data"]["startTotpEnrolment"]
    assert started["errors"] == []


def test_change_password_needs_step_up_after_window(client, make_user, clock, settings):
    make_user()
    login(client)
    clock.advance(minutes=settings.STEP_UP_MAX_AGE_MINUTES + 1)

    passwords = {"old": GOOD_PASSWORD, "new": OTHER_GOOD_PASSWORD}
    assert error_code(post(client, CHANGE_PASSWORD, passwords)) == "STEP_UP_REQUIRED"

    post(client, REAUTHENTICATE, {"method": "PASSWORD", "secret": GOOD_PASSWORD})
    changed = post(client, CHANGE_PASSWORD, passwords).json()["data"]["changePassword"]
    assert changed["errors"] == []


def test_wrong_password_counts_towards_lockout(client, make_user):
    user = make_user()
    login(client)

    reauth = post(client, REAUTHENTICATE, {"method": "PASSWORD", "secret": "Wrong-Pass-1"}).json()

    assert reauth["data"]["reauthenticate"]["errors"][0]["code"] == "invalid_secret"
    assert BusinessUser.objects.get(pk=user.pk).failed_login_count == 1
    event = AuditEvent.objects.filter(action="account.reauthenticate").latest("sequence")
    assert event.result == AuditEvent.Result.FAILURE


def test_unavailable_method_refused(client, make_user):
    make_user()
    login(client)

    reauth = post(client, REAUTHENTICATE, {"method": "TOTP", "secret": "123456"}).json()

    assert reauth["data"]["reauthenticate"]["errors"][0]["code"] == "method_unavailable"


def test_anonymous_gets_unauthenticated(client):
    assert error_code(post(client, START_TOTP)) == "UNAUTHENTICATED"


def test_require_recent_authentication_for_other_apps(rf, make_user, clock, settings):
    """The function other apps call, with a GraphQL info-like object."""
    from types import SimpleNamespace

    from django.contrib.sessions.backends.db import SessionStore

    from business.accounts import sessions
    from business.accounts.stepup import STEP_UP_REQUIRED, require_recent_authentication
    from business.core.api.errors import PublicError

    user = make_user()
    request = rf.post("/graphql/")
    request.session = SessionStore()
    sessions.start_session(request, user)
    info = SimpleNamespace(context=request)

    assert require_recent_authentication(info) == user
    clock.advance(minutes=settings.STEP_UP_MAX_AGE_MINUTES + 1)
    with pytest.raises(PublicError) as raised:
        require_recent_authentication(info)
    assert raised.value.extensions["code"] == STEP_UP_REQUIRED
