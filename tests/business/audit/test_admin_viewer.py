"""The audit log viewer in the Wagtail admin and the three administrator roles."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from business.audit import services
from business.audit.models import AuditEvent
from business.audit.roles import AUDIT_ADMINISTRATORS, ROLE_PERMISSIONS, SYSTEM_ADMINISTRATORS

pytestmark = pytest.mark.django_db

INDEX = "audit_events:index"


def admin_in(group_name, username):
    user = User.objects.create_user(username, password="Guanli#2026x", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    client = Client()
    client.force_login(user)
    return user, client


def business_event(action="certificate.void"):
    return services.record_event(
        action,
        actor=services.Actor(table=AuditEvent.ActorTable.BUSINESS, id=7, name="张伟"),
        request_info=services.SYSTEM_REQUEST,
        object_type="certificate",
        object_id="HNJY2026000001",
    )


def test_roles_exist_with_separate_permissions():
    granted = {
        name: set(
            Group.objects.get(name=name).permissions.values_list("codename", flat=True)
        )
        for name in ROLE_PERMISSIONS
    }

    assert granted[AUDIT_ADMINISTRATORS] == {"access_admin", "view_auditevent"}
    assert "view_auditevent" not in granted[SYSTEM_ADMINISTRATORS]
    assert {"view_industry", "change_industry"} <= granted[SYSTEM_ADMINISTRATORS]
    assert not any("certificate" in codename for codenames in granted.values() for codename in codenames)


def test_audit_administrator_lists_events():
    business_event()
    _, client = admin_in(AUDIT_ADMINISTRATORS, "shenji")

    response = client.get(reverse(INDEX))

    assert response.status_code == 200
    assert "certificate.void" in response.content.decode()


def test_viewing_the_log_is_audited():
    _, client = admin_in(AUDIT_ADMINISTRATORS, "shenji")

    client.get(reverse(INDEX))

    assert AuditEvent.objects.filter(action="audit.view_list", actor_name="shenji").exists()


def test_own_actions_hidden_from_auditor():
    auditor, client = admin_in(AUDIT_ADMINISTRATORS, "shenji")
    client.get(reverse(INDEX))
    own = AuditEvent.objects.get(action="audit.view_list", actor_id=str(auditor.pk))

    response = client.get(reverse("audit_events:inspect", args=[own.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("group_name", [SYSTEM_ADMINISTRATORS, "Editors"])
def test_other_administrators_cannot_read_log(group_name):
    business_event()
    _, client = admin_in(group_name, "other")

    response = client.get(reverse(INDEX))

    assert response.status_code in {302, 403}
    assert "certificate.void" not in response.content.decode()


def test_superuser_is_not_an_auditor(admin_client):
    business_event()

    response = admin_client.get(reverse(INDEX))

    assert response.status_code in {302, 403}


def test_nobody_can_edit_events():
    event = business_event()
    _, client = admin_in(AUDIT_ADMINISTRATORS, "shenji")

    response = client.post(reverse("audit_events:edit", args=[event.pk]), {"reason": "改"})

    assert response.status_code in {302, 403}
    event.refresh_from_db()
    assert event.reason == ""


def test_audit_administrator_inspects_event():
    event = business_event()
    _, client = admin_in(AUDIT_ADMINISTRATORS, "shenji")

    response = client.get(reverse("audit_events:inspect", args=[event.pk]))

    assert response.status_code == 200
    assert "HNJY2026000001" in response.content.decode()
    assert AuditEvent.objects.filter(action="audit.view_event").exists()
