"""Admin sign-in at /admin/: lockout, optional TOTP, and the separation from business users."""

import pyotp
import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from business.accounts import admin_security
from business.accounts.models import AdminSecurityState
from business.audit.models import AuditEvent
from business.audit.roles import SYSTEM_ADMINISTRATORS
from tests.api.client import post

from .conftest import GOOD_PASSWORD
from .security_helpers import login

pytestmark = pytest.mark.django_db

ADMIN_PASSWORD = "Guanli#2026x"
LOGIN_URL = "/admin/login/"


@pytest.fixture
def admin_user():
    user = User.objects.create_user("xitong", password=ADMIN_PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=SYSTEM_ADMINISTRATORS))
    return user


def admin_login(client, username="xitong", password=ADMIN_PASSWORD):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_admin_signs_in(client, admin_user):
    response = admin_login(client)

    assert response.status_code == 302
    assert signed_in(client)
    assert AuditEvent.objects.filter(action="admin.login", result="success").count() == 1


def test_admin_locked_after_failures(client, admin_user, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        admin_login(client, password="Wrong#2026x")

    admin_login(client)

    assert not signed_in(client)
    state = AdminSecurityState.objects.get(user=admin_user)
    assert state.locked_until is not None
    reasons = list(AuditEvent.objects.filter(action="admin.login").values_list("reason", flat=True))
    assert reasons[-2:] == ["lockout_started", "account_locked"]


def test_admin_lock_ends(client, admin_user, settings, clock):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        admin_login(client, password="Wrong#2026x")

    clock.advance(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)
    admin_login(client)

    assert signed_in(client)


def test_business_user_cannot_sign_in_to_admin(client, make_user):
    make_user()

    response = admin_login(client, username="zhangsan", password=GOOD_PASSWORD)

    assert response.status_code == 200
    assert not signed_in(client)


def test_admin_cannot_sign_in_to_graphql(client, admin_user):
    payload = login(client, username="xitong", password=ADMIN_PASSWORD)

    assert payload["user"] is None
    assert payload["errors"][0]["code"] == "invalid_credentials"
    assert post(client, "{ me { username } }").json()["data"]["me"] is None


# --- TOTP ---------------------------------------------------------------------------------


def enrol_admin(client, user, clock) -> str:
    client.force_login(user)
    enrolment = admin_security.start_admin_enrolment(user)
    response = client.post(
        reverse("accounts_admin_totp_setup"),
        {"action": "enable", "code": pyotp.TOTP(enrolment.secret).at(clock.now)},
    )
    assert response.status_code == 302
    assert admin_security.has_confirmed_totp(user)
    client.logout()
    clock.advance(seconds=30)
    return enrolment.secret


def test_admin_with_totp_held_at_code_page(client, admin_user, clock):
    secret = enrol_admin(client, admin_user, clock)

    admin_login(client)
    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts_admin_second_factor"))

    wrong = client.post(reverse("accounts_admin_second_factor"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "动态口令不正确" in wrong.content.decode()

    right = client.post(
        reverse("accounts_admin_second_factor"), {"code": pyotp.TOTP(secret).at(clock.now)}
    )
    assert right.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_new_password_sign_in_needs_new_code(client, admin_user, clock):
    secret = enrol_admin(client, admin_user, clock)
    admin_login(client)
    client.post(reverse("accounts_admin_second_factor"), {"code": pyotp.TOTP(secret).at(clock.now)})
    client.logout()

    admin_login(client)

    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_required_totp_sends_admin_to_enrol(client, admin_user, settings):
    settings.ADMIN_REQUIRE_TOTP = True
    admin_login(client)

    response = client.get(reverse("wagtailadmin_home"))

    assert response["Location"].startswith(reverse("accounts_admin_totp_setup"))
    assert client.get(reverse("accounts_admin_totp_setup")).status_code == 200


def test_admin_totp_secret_encrypted(client, admin_user, clock):
    from django.db import connection

    secret = enrol_admin(client, admin_user, clock)
    with connection.cursor() as cursor:
        cursor.execute("SELECT totp_secret FROM accounts_adminsecuritystate")
        stored = cursor.fetchone()[0]
    assert secret not in stored
