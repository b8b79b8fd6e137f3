"""The read-only login log in the Wagtail admin, for the audit and security administrators."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from business.accounts.models import LoginLog
from business.audit.models import AuditEvent
from business.audit.roles import (
    AUDIT_ADMINISTRATORS,
    SECURITY_ADMINISTRATORS,
    SYSTEM_ADMINISTRATORS,
)

pytestmark = pytest.mark.django_db

INDEX = "/admin/login_log/"


@pytest.fixture
def entry(db):
    return LoginLog.objects.create(
        created_at=timezone.now(),
        username="zhang𠮷",
        ip_address="203.0.113.9",
        channel=LoginLog.Channel.PC,
        result=LoginLog.Result.FAILURE,
        reason=LoginLog.Reason.WRONG_PASSWORD,
    )


def admin_in(group_name):
    user = User.objects.create_user(f"admin-{group_name}", password="Guanli#2026x", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("group_name", [AUDIT_ADMINISTRATORS, SECURITY_ADMINISTRATORS])
def test_audit_and_security_administrators_read_login_log(entry, group_name):
    response = admin_in(group_name).get(INDEX)

    assert response.status_code == 200
    assert "zhang𠮷" in response.content.decode()
    assert "203.0.113.9" in response.content.decode()
    assert AuditEvent.objects.filter(action="login_log.view_list").exists()


def test_system_administrator_cannot_read_login_log(entry):
    response = admin_in(SYSTEM_ADMINISTRATORS).get(INDEX)

    assert response.status_code in {302, 403}


def test_login_log_cannot_be_edited_or_deleted(entry):
    client = admin_in(AUDIT_ADMINISTRATORS)

    edit = client.get(f"{INDEX}edit/{entry.pk}/")
    delete = client.post(f"{INDEX}delete/{entry.pk}/")

    assert edit.status_code in {302, 403}
    assert delete.status_code in {302, 403}
    assert LoginLog.objects.filter(pk=entry.pk).exists()


def test_login_log_entry_inspect_is_audited(entry):
    response = admin_in(AUDIT_ADMINISTRATORS).get(f"{INDEX}inspect/{entry.pk}/")

    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="login_log.view_entry", object_id=str(entry.pk)).exists()
