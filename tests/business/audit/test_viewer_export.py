"""Exporting the filtered audit list from the Wagtail viewer."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from business.audit.models import AuditEvent
from business.audit.roles import (
    AUDIT_ADMINISTRATORS,
    SECURITY_ADMINISTRATORS,
    SYSTEM_ADMINISTRATORS,
)

from .test_admin_viewer import admin_in, business_event

pytestmark = pytest.mark.django_db

INDEX = "audit_events:index"


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_audit_administrator_exports_filtered_csv():
    business_event("certificate.void")
    business_event("certificate.issue")
    _, client = admin_in(AUDIT_ADMINISTRATORS, "shenji")

    response = client.get(reverse(INDEX), {"action": "certificate.void", "export": "csv"})

    rows = read_csv(response)
    assert rows[0][0] == "序号"
    assert [row[7] for row in rows[1:]] == ["certificate.void"]


def test_export_is_audited_with_filters():
    business_event()
    user, client = admin_in(AUDIT_ADMINISTRATORS, "shenji")

    read_csv(client.get(reverse(INDEX), {"result": "success", "export": "csv"}))

    event = AuditEvent.objects.get(action="audit.export")
    assert event.actor_id == str(user.pk)
    assert event.changes["format"]["after"] == "csv"
    assert "success" in event.changes["filters"]["after"]
    assert event.changes["rows"]["after"] == 1


def test_excel_export():
    business_event()
    _, client = admin_in(AUDIT_ADMINISTRATORS, "shenji")

    response = client.get(reverse(INDEX), {"export": "xlsx"})

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "序号"
    assert len(rows) == 2


def test_formula_text_neutralised_in_csv():
    from business.audit import services

    services.record_event(
        "certificate.void",
        actor=services.Actor(table="business", id=7, name="=HYPERLINK(1)"),
        request_info=services.SYSTEM_REQUEST,
    )
    _, client = admin_in(AUDIT_ADMINISTRATORS, "shenji")

    rows = read_csv(client.get(reverse(INDEX), {"export": "csv"}))

    assert rows[1][4] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("group", [SYSTEM_ADMINISTRATORS, SECURITY_ADMINISTRATORS])
def test_other_administrators_cannot_export(group):
    business_event()
    _, client = admin_in(group, "other")

    response = client.get(reverse(INDEX), {"export": "csv"})

    assert response.status_code in {302, 403}
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_superuser_cannot_export(django_user_model):
    from django.test import Client

    business_event()
    root = django_user_model.objects.create_superuser("root", password="Guanli#2026x")
    client = Client()
    client.force_login(root)

    response = client.get(reverse(INDEX), {"export": "csv"})

    assert response.status_code in {302, 403}
