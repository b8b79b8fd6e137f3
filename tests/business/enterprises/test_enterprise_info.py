"""Enterprise information through GraphQL: profile, attachments with versions and their
download, training and maintenance records, each within the user's scope."""

import base64
import io

import pytest
from PIL import Image

from business.audit.models import AuditEvent
from business.enterprises.models import Attachment, AttachmentVersion, TrainingRecord
from tests import factories
from tests.api.client import bearer, data, error_codes, post

pytestmark = pytest.mark.django_db

PROFILE = """{ enterpriseProfile { name contactPhone canEdit
  attachments { id title current { number contentType downloadUrl } versions { number } } } }"""

UPDATE = """mutation U($input: EnterpriseProfileInput!) {
  updateEnterpriseProfile(input: $input) {
    errors { field message code } profile { contactPhone address } } }"""

UPLOAD = """mutation A($title: String!, $file: String!) {
  uploadAttachment(category: BUSINESS_LICENCE, title: $title, fileBase64: $file, fileName: "x.png") {
    errors { field message code } attachment { id current { number downloadUrl } } } }"""

REPLACE = """mutation R($id: ID!, $file: String!) {
  replaceAttachment(id: $id, fileBase64: $file) {
    errors { field message code } attachment { current { number } versions { number } } } }"""

SAVE_TRAINING = """mutation T($id: ID, $input: TrainingRecordInput!) {
  saveTrainingRecord(id: $id, input: $input) {
    errors { field message code } record { id traineeName hours } } }"""

TRAINING = "{ trainingRecords { totalCount items { traineeName course } } }"

SAVE_MAINTENANCE = """mutation M($input: MaintenanceRecordInput!) {
  saveMaintenanceRecord(input: $input) {
    errors { field message code } record { id kindLabel instrumentName } } }"""

MAINTENANCE = "{ maintenanceRecords { totalCount items { kind description } } }"


def png_bytes(colour="red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def encoded(content: bytes) -> str:
    return base64.b64encode(content).decode()


@pytest.fixture
def enterprise():
    return factories.enterprise()


@pytest.fixture
def admin(enterprise):
    return factories.business_user(enterprise, roles=["enterprise_admin"])


def test_profile_update_and_audit(client, admin):
    payload = data(
        post(
            client,
            UPDATE,
            {"input": {"contactPhone": "0371-65512345", "address": "郑州市金水区花园路 1 号"}},
            **bearer(admin),
        )
    )["updateEnterpriseProfile"]

    assert payload["errors"] == []
    assert payload["profile"] == {"contactPhone": "0371-65512345", "address": "郑州市金水区花园路 1 号"}
    event = AuditEvent.objects.get(action="enterprise.profile.update")
    assert "65512345" not in str(event.changes)


def test_profile_rejects_bad_phone(client, admin):
    payload = data(post(client, UPDATE, {"input": {"contactPhone": "abc"}}, **bearer(admin)))

    errors = payload["updateEnterpriseProfile"]["errors"]
    assert [(error["field"], error["code"]) for error in errors] == [("contactPhone", "invalid_phone")]
    assert "联系电话" in errors[0]["message"]


def test_staff_sees_masked_phone_and_cannot_edit(client, enterprise, admin):
    post(client, UPDATE, {"input": {"contactPhone": "13812345678"}}, **bearer(admin))
    staff = factories.business_user(enterprise, roles=["enterprise_staff"])

    profile = data(post(client, PROFILE, {}, **bearer(staff)))["enterpriseProfile"]
    assert profile["canEdit"] is False
    assert profile["contactPhone"] != "13812345678"
    response = post(client, UPDATE, {"input": {"industry": "零售"}}, **bearer(staff))
    assert error_codes(response) == ["FORBIDDEN"]


def test_attachment_upload_replace_and_history(client, admin):
    uploaded = data(
        post(client, UPLOAD, {"title": "营业执照副本", "file": encoded(png_bytes())}, **bearer(admin))
    )
    attachment = uploaded["uploadAttachment"]["attachment"]
    assert attachment["current"]["number"] == 1

    replaced = data(
        post(client, REPLACE, {"id": attachment["id"], "file": encoded(png_bytes("blue"))}, **bearer(admin))
    )["replaceAttachment"]["attachment"]

    assert replaced["current"]["number"] == 2
    assert [version["number"] for version in replaced["versions"]] == [2, 1]
    assert AttachmentVersion.objects.count() == 2


def test_attachment_type_checked_by_content(client, admin):
    fake_pdf = b"MZ\x90\x00 not really a pdf"

    payload = data(post(client, UPLOAD, {"title": "资质", "file": encoded(fake_pdf)}, **bearer(admin)))

    errors = payload["uploadAttachment"]["errors"]
    assert [(error["field"], error["code"]) for error in errors] == [("file", "invalid_file_type")]
    assert not Attachment.objects.exists()


def test_attachment_image_reencoded(client, admin):
    trailing = png_bytes() + b"<script>alert(1)</script>"

    data(post(client, UPLOAD, {"title": "照片", "file": encoded(trailing)}, **bearer(admin)))

    version = AttachmentVersion.objects.get()
    stored = version.file.open("rb").read()
    assert b"<script>" not in stored
    assert version.content_type == "image/png"


def test_attachment_download_checks_scope(client, admin):
    uploaded = data(
        post(client, UPLOAD, {"title": "营业执照副本", "file": encoded(png_bytes())}, **bearer(admin))
    )
    url = uploaded["uploadAttachment"]["attachment"]["current"]["downloadUrl"]

    own = client.get(url, **bearer(admin))
    assert own.status_code == 200
    assert own["Content-Type"] == "image/png"
    assert "attachment" in own["Content-Disposition"]
    assert b"".join(own.streaming_content).startswith(b"\x89PNG")

    stranger = factories.business_user(factories.enterprise(name="另一家公司"), roles=["enterprise_admin"])
    assert client.get(url, **bearer(stranger)).status_code == 404
    assert client.get(url).status_code == 401


def test_training_record_crud(client, admin):
    created = data(
        post(
            client,
            SAVE_TRAINING,
            {
                "input": {
                    "traineeName": "李娜",
                    "course": "计量法律法规",
                    "startDate": "2026-05-10",
                    "hours": 16,
                }
            },
            **bearer(admin),
        )
    )["saveTrainingRecord"]
    assert created["errors"] == []
    record_id = created["record"]["id"]

    bad = data(
        post(
            client,
            SAVE_TRAINING,
            {
                "id": record_id,
                "input": {"traineeName": "", "course": "计量", "startDate": "2026-05-10", "hours": -1},
            },
            **bearer(admin),
        )
    )["saveTrainingRecord"]
    assert sorted(error["field"] for error in bad["errors"]) == ["hours", "traineeName"]
    assert TrainingRecord.objects.get().trainee_name == "李娜"

    listed = data(post(client, TRAINING, {}, **bearer(admin)))["trainingRecords"]
    assert listed == {"totalCount": 1, "items": [{"traineeName": "李娜", "course": "计量法律法规"}]}


def test_maintenance_record_for_own_instrument_only(client, enterprise, admin):
    own = factories.instrument(owner=enterprise)
    other = factories.instrument(owner=factories.enterprise(name="另一家公司"))
    values = {
        "kind": "SERVICING",
        "performedOn": "2026-06-01",
        "performedBy": "王芳",
        "description": "清洁秤盘",
    }

    created = data(
        post(client, SAVE_MAINTENANCE, {"input": {**values, "instrumentId": str(own.pk)}}, **bearer(admin))
    )["saveMaintenanceRecord"]
    assert created["errors"] == []
    assert created["record"]["kindLabel"] == "保养"

    response = post(
        client, SAVE_MAINTENANCE, {"input": {**values, "instrumentId": str(other.pk)}}, **bearer(admin)
    )
    assert error_codes(response) == ["NOT_FOUND"]
    listed = data(post(client, MAINTENANCE, {}, **bearer(admin)))["maintenanceRecords"]
    assert listed["totalCount"] == 1
