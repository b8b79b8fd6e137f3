"""Business roles in the Wagtail admin: the security administrator only (separation of duties)."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from business.access.models import Role
from business.audit.models import AuditEvent
from business.audit.roles import (
    AUDIT_ADMINISTRATORS,
    SECURITY_ADMINISTRATORS,
    SYSTEM_ADMINISTRATORS,
)

pytestmark = pytest.mark.django_db


def admin_in(group_name, username="admin1"):
    user = User.objects.create_user(username, password="Guanli#2026x", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    client = Client()
    client.force_login(user)
    return client


def role_form(**overrides):
    values = {
        "code": "ledger_keeper",
        "name": "台账维护员",
        "organisation_kind": "enterprise",
        "scope": "organisation",
        "description": "维护本企业台账",
        "permissions": ["instruments.view", "instruments.manage"],
    }
    values.update(overrides)
    return values


def test_security_administrator_creates_role_audited():
    client = admin_in(SECURITY_ADMINISTRATORS)

    response = client.post(reverse("roles_admin:add"), role_form())

    assert response.status_code == 302
    role = Role.objects.get(code="ledger_keeper")
    assert role.permissions == ["instruments.view", "instruments.manage"]
    event = AuditEvent.objects.get(action="role.create")
    assert event.changes["permissions"]["after"] == "instruments.manage,instruments.view"


def test_permission_of_other_kind_rejected_in_chinese():
    client = admin_in(SECURITY_ADMINISTRATORS)

    response = client.post(reverse("roles_admin:add"), role_form(permissions=["records.enter"]))

    assert response.status_code == 200
    assert "不适用于" in response.content.decode()
    assert not Role.objects.filter(code="ledger_keeper").exists()


def test_form_groups_permissions_by_kind():
    client = admin_in(SECURITY_ADMINISTRATORS)

    page = client.get(reverse("roles_admin:add")).content.decode()

    for label in ("所有单位", "技术机构", "监管部门"):
        assert label in page


def test_edit_role_audited_with_before_and_after():
    client = admin_in(SECURITY_ADMINISTRATORS)
    role = Role.objects.get(code="enterprise_staff")

    client.post(
        reverse("roles_admin:edit", args=[role.pk]),
        role_form(code=role.code, name=role.name, permissions=["instruments.view"]),
    )

    event = AuditEvent.objects.get(action="role.update")
    assert "applications.view" in event.changes["permissions"]["before"]
    assert event.changes["permissions"]["after"] == "instruments.view"


def test_builtin_role_not_deletable():
    client = admin_in(SECURITY_ADMINISTRATORS)
    role = Role.objects.get(code="enterprise_staff")

    response = client.post(reverse("roles_admin:delete", args=[role.pk]))

    assert response.status_code in {302, 403}
    assert Role.objects.filter(pk=role.pk).exists()


def test_custom_role_deleted_audited():
    client = admin_in(SECURITY_ADMINISTRATORS)
    role = Role.objects.create(code="temp", name="临时角色", organisation_kind="enterprise")

    client.post(reverse("roles_admin:delete", args=[role.pk]))

    assert not Role.objects.filter(pk=role.pk).exists()
    assert AuditEvent.objects.filter(action="role.delete", object_id=str(role.pk)).exists()


@pytest.mark.parametrize("group", [SYSTEM_ADMINISTRATORS, AUDIT_ADMINISTRATORS])
def test_other_administrators_cannot_edit_roles(group):
    client = admin_in(group)
    role = Role.objects.get(code="enterprise_staff")

    listing = client.get(reverse("roles_admin:index"))
    edit = client.post(
        reverse("roles_admin:edit", args=[role.pk]), role_form(code=role.code, permissions=[])
    )
    create = client.post(reverse("roles_admin:add"), role_form())

    assert listing.status_code in {302, 403}
    assert edit.status_code in {302, 403}
    assert create.status_code in {302, 403}
    role.refresh_from_db()
    assert role.permissions
    assert not Role.objects.filter(code="ledger_keeper").exists()


def test_security_administrator_cannot_create_accounts():
    from business.accounts.models import BusinessUser
    from tests import factories

    client = admin_in(SECURITY_ADMINISTRATORS)
    shop = factories.enterprise()

    business = client.post(
        reverse("business_users_admin:add"),
        {"username": "sec_made", "display_name": "安全", "organisation": shop.pk},
    )
    admin_account = client.post(
        reverse("wagtailusers_users:add"),
        {"username": "sec_admin_made", "password1": "Guanli#2026x", "password2": "Guanli#2026x"},
    )

    assert business.status_code in {302, 403}
    assert admin_account.status_code in {302, 403}
    assert not BusinessUser.objects.filter(username="sec_made").exists()
    assert not User.objects.filter(username="sec_admin_made").exists()
