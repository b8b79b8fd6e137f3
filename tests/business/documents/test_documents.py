import base64
import io
import zipfile

import pytest

from business.access.models import Role
from business.documents.models import DocumentVersion, ManagementDocument
from business.documents.uploads import DocumentFileError, clean_document
from tests import factories
from tests.api.client import bearer, data, error_codes, post

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\nhidden tail"

SAVE = """mutation($input: ManagementDocumentInput!) {
  saveManagementDocument(input: $input) { errors { field code } document { id code } }
}"""
UPLOAD = """mutation($documentId: ID!, $file: String!, $version: String!) {
  uploadDocumentVersion(
    documentId: $documentId, version: $version, fileName: "质量手册.pdf", fileBase64: $file
  ) {
    errors { field message code } version { id statusLabel contentType fileName }
  }
}"""
DECIDE = """mutation($id: ID!, $approve: Boolean!, $comment: String) {
  decideDocumentVersion(versionId: $id, approve: $approve, comment: $comment) {
    errors { code } version { statusLabel }
  }
}"""
PUBLISH = """mutation($id: ID!) {
  publishDocumentVersion(versionId: $id) { errors { code } version { statusLabel } }
}"""
LIST = """{
  managementDocuments { totalCount items { code publishedVersion { version } versions { version } } }
}"""
FILE = """query($id: ID!) { documentFile(versionId: $id) { fileName contentType contentBase64 } }"""


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_files_checked_by_content():
    assert clean_document(PDF).content.endswith(b"%%EOF\n")
    assert clean_document(_docx()).extension == "docx"
    for content, code in [
        (b"MZ\x90\x00 not a document", "invalid_file_type"),
        (b"", "required"),
        (b"PK\x03\x04 broken", "invalid_zip"),
    ]:
        with pytest.raises(DocumentFileError) as raised:
            clean_document(content)
        assert raised.value.code == code
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (50 * 1024 * 1024))
    with pytest.raises(DocumentFileError) as raised:
        clean_document(bomb.getvalue())
    assert raised.value.code == "zip_bomb"


@pytest.fixture
def institution():
    return factories.institution()


def _b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def test_write_approve_publish_and_read(client, institution):
    author = factories.business_user(institution, roles=["institution_admin"], display_name="作者")
    approver = factories.business_user(
        institution, roles=["institution_admin"], display_name="审批人"
    )
    reader = factories.business_user(institution, roles=["verifier"])
    clerk = factories.business_user(institution, roles=["institution_clerk"])

    verifier_role = Role.objects.get(code="verifier")
    created = data(
        post(
            client,
            SAVE,
            {
                "input": {
                    "kind": "QUALITY_MANUAL",
                    "code": "HNJY-QM-01",
                    "title": "质量手册",
                    "readableRoleIds": [str(verifier_role.pk)],
                }
            },
            **bearer(author),
        )
    )["saveManagementDocument"]
    assert created["errors"] == []
    document_id = created["document"]["id"]

    uploaded = data(
        post(
            client,
            UPLOAD,
            {"documentId": document_id, "file": _b64(PDF), "version": "A/0"},
            **bearer(author),
        )
    )["uploadDocumentVersion"]
    assert uploaded["errors"] == []
    assert uploaded["version"]["contentType"] == "application/pdf"
    version_id = uploaded["version"]["id"]

    # Not yet published: readers see nothing.
    assert data(post(client, LIST, **bearer(reader)))["managementDocuments"]["totalCount"] == 0

    # The author cannot approve their own version.
    result = data(post(client, DECIDE, {"id": version_id, "approve": True}, **bearer(author)))
    assert [e["code"] for e in result["decideDocumentVersion"]["errors"]] == ["SELF_APPROVAL"]
    # Publishing before approval is refused.
    result = data(post(client, PUBLISH, {"id": version_id}, **bearer(approver)))
    assert [e["code"] for e in result["publishDocumentVersion"]["errors"]] == ["NOT_APPROVED"]

    result = data(post(client, DECIDE, {"id": version_id, "approve": True}, **bearer(approver)))
    assert result["decideDocumentVersion"]["version"]["statusLabel"] == "已批准"
    result = data(post(client, PUBLISH, {"id": version_id}, **bearer(approver)))
    assert result["publishDocumentVersion"]["version"]["statusLabel"] == "现行有效"

    listing = data(post(client, LIST, **bearer(reader)))["managementDocuments"]
    assert listing["items"][0]["publishedVersion"]["version"] == "A/0"
    downloaded = data(post(client, FILE, {"id": version_id}, **bearer(reader)))["documentFile"]
    assert base64.b64decode(downloaded["contentBase64"]).startswith(b"%PDF-")
    assert downloaded["fileName"] == "质量手册.pdf"

    # The clerk's role is not among the read roles: the document behaves as not found.
    assert data(post(client, LIST, **bearer(clerk)))["managementDocuments"]["totalCount"] == 0
    assert error_codes(post(client, FILE, {"id": version_id}, **bearer(clerk))) == ["NOT_FOUND"]

    # A second version supersedes the first once published.
    second = data(
        post(
            client,
            UPLOAD,
            {"documentId": document_id, "file": _b64(_docx()), "version": "A/1"},
            **bearer(author),
        )
    )["uploadDocumentVersion"]["version"]["id"]
    post(client, DECIDE, {"id": second, "approve": True}, **bearer(approver))
    post(client, PUBLISH, {"id": second}, **bearer(approver))
    assert DocumentVersion.objects.get(pk=version_id).status == "superseded"
    assert ManagementDocument.objects.get().published_version_id == int(second)
    # Readers see only the published version, and cannot download the superseded one.
    listing = data(post(client, LIST, **bearer(reader)))["managementDocuments"]["items"][0]
    assert [v["version"] for v in listing["versions"]] == ["A/1"]
    assert error_codes(post(client, FILE, {"id": version_id}, **bearer(reader))) == ["NOT_FOUND"]


def test_bad_upload_and_other_institution(client, institution):
    author = factories.business_user(institution, roles=["institution_admin"])
    document = data(
        post(
            client,
            SAVE,
            {"input": {"kind": "PROCEDURE", "code": "P-01", "title": "文件控制程序"}},
            **bearer(author),
        )
    )["saveManagementDocument"]["document"]
    result = data(
        post(
            client,
            UPLOAD,
            {"documentId": document["id"], "file": _b64(b"GIF89a..."), "version": "1"},
            **bearer(author),
        )
    )["uploadDocumentVersion"]
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        ("fileBase64", "INVALID_FILE_TYPE")
    ]
    assert not DocumentVersion.objects.exists()

    duplicate = data(
        post(
            client,
            SAVE,
            {"input": {"kind": "PROCEDURE", "code": "P-01", "title": "重复"}},
            **bearer(author),
        )
    )["saveManagementDocument"]
    assert [e["field"] for e in duplicate["errors"]] == ["code"]

    stranger = factories.business_user(
        factories.institution(name="另一机构", prefix="LYJG"), roles=["institution_admin"]
    )
    response = post(
        client,
        UPLOAD,
        {"documentId": document["id"], "file": _b64(PDF), "version": "1"},
        **bearer(stranger),
    )
    assert error_codes(response) == ["NOT_FOUND"]
    enterprise_user = factories.business_user(roles=["enterprise_admin"])
    assert error_codes(post(client, LIST, **bearer(enterprise_user))) == ["FORBIDDEN"]
