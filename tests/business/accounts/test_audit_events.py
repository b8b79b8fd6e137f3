"""Sign-in attempts and password changes reach the audit log, and the chain verifies."""

import pytest
from django.core.management import call_command

from business.accounts import services
from business.audit.models import AuditEvent
from tests import factories
from tests.api.client import post

pytestmark = pytest.mark.django_db

LOGIN = """
mutation Login($username: String!, $password: String!) {
  login(username: $username, password: $password, channel: PC) { errors { code } }
}
"""


@pytest.fixture
def user():
    return services.create_business_user(
        username="zhangwei",
        display_name="张伟",
        organisation=factories.enterprise(),
        password="Jiliang#2026",
        must_change_password=False,
    )


def test_login_success_and_failure_audited(client, user):
    post(client, LOGIN, {"username": "zhangwei", "password": "wrong-Password1"})
    post(client, LOGIN, {"username": "zhangwei", "password": "Jiliang#2026"})

    events = list(
        AuditEvent.objects.filter(action="account.login").order_by("sequence").values_list(
            "result", "reason", "object_id"
        )
    )
    assert events == [
        ("failure", "wrong_password", str(user.pk)),
        ("success", "", str(user.pk)),
    ]


def test_unknown_user_login_audited_without_object(client):
    post(client, LOGIN, {"username": "nobody", "password": "Jiliang#2026"})

    event = AuditEvent.objects.get(action="account.login")
    assert event.result == "failure"
    assert event.object_id == ""


def test_audit_chain_verifies_after_account_events(client, user):
    post(client, LOGIN, {"username": "zhangwei", "password": "Jiliang#2026"})

    call_command("verify_audit_chain", verbosity=0)


def test_login_rotates_csrf_token(user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.get("/graphql/", {"query": "{ __typename }"})
    before = browser.cookies["csrftoken"].value

    response = post(
        browser,
        LOGIN,
        {"username": "zhangwei", "password": "Jiliang#2026"},
        HTTP_X_CSRFTOKEN=before,
    )

    assert response.json()["data"]["login"]["errors"] == []
    assert browser.cookies["csrftoken"].value != before
