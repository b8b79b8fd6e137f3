"""Notices through the GraphQL endpoint: readership enforced on every query, receipts, files."""

import base64

import pytest
from django.test import Client

from business.messages.models import Message
from business.notices.models import NoticeReceipt
from tests.api.client import bearer, data, error_codes, post

pytestmark = pytest.mark.django_db

SAVE = """
mutation Save($id: ID, $input: NoticeInput!) {
  saveNotice(id: $id, input: $input) { errors { field code } notice { id status } }
}
"""
ATTACH = """
mutation A($id: ID!, $name: String!, $content: String!) {
  addNoticeAttachment(id: $id, fileName: $name, contentBase64: $content) {
    errors { field code } notice { attachments { id fileName contentType } }
  }
}
"""
PUBLISH = "mutation P($id: ID!) { publishNotice(id: $id) { errors { code } notice { status } } }"
MINE = "query { myNotices { totalCount items { id title read } } }"
ONE = "query O($id: ID!) { myNotice(id: $id) { title attachments { id } } }"
READ = "mutation R($id: ID!) { markNoticeRead(id: $id) { errors { code } notice { read } } }"
RECEIPTS = """
query R($id: ID!) { noticeReceipts(id: $id) { recipientCount readCount receipts { readerName } } }
"""
FILE = "query F($id: ID!) { noticeAttachmentFile(id: $id) { fileName contentBase64 } }"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def notice_input(**overrides):
    values = {
        "title": "关于开展2026年度计量器具强制检定自查的通知",
        "body": "请各单位于6月30日前完成在用强制检定计量器具的自查。",
        "forEnterprises": True,
        "forInstitutions": False,
        "targetDivisionCode": "410100",
    }
    values.update(overrides)
    return values


def publish(publisher, capture, **overrides) -> str:
    saved = data(post(Client(), SAVE, {"input": notice_input(**overrides)}, **bearer(publisher)))
    notice_id = saved["saveNotice"]["notice"]["id"]
    with capture(execute=True):
        data(post(Client(), PUBLISH, {"id": notice_id}, **bearer(publisher)))
    return notice_id


def test_readership_by_kind_and_division(
    publisher,
    zhengzhou_enterprise_user,
    zhengzhou_institution_user,
    luoyang_enterprise_user,
    django_capture_on_commit_callbacks,
):
    notice_id = publish(publisher, django_capture_on_commit_callbacks)

    reader = data(post(Client(), MINE, **bearer(zhengzhou_enterprise_user)))["myNotices"]
    wrong_kind = data(post(Client(), MINE, **bearer(zhengzhou_institution_user)))["myNotices"]
    wrong_division = post(Client(), ONE, {"id": notice_id}, **bearer(luoyang_enterprise_user))

    assert reader["totalCount"] == 1
    assert reader["items"][0]["read"] is False
    assert wrong_kind["totalCount"] == 0
    assert error_codes(wrong_division) == ["NOT_FOUND"]
    assert Message.objects.filter(kind="notice").count() == 1
    assert Message.objects.get(kind="notice").recipient == zhengzhou_enterprise_user


def test_target_outside_own_division_rejected(publisher, jianxi):
    payload = data(
        post(
            Client(),
            SAVE,
            {"input": notice_input(targetDivisionCode="410300")},
            **bearer(publisher),
        )
    )

    assert payload["saveNotice"]["errors"] == [
        {"field": "targetDivisionCode", "code": "out_of_scope"}
    ]


def test_draft_not_visible_to_readers(publisher, zhengzhou_enterprise_user):
    data(post(Client(), SAVE, {"input": notice_input()}, **bearer(publisher)))

    listed = data(post(Client(), MINE, **bearer(zhengzhou_enterprise_user)))["myNotices"]

    assert listed["totalCount"] == 0


def test_read_receipt_recorded_once(
    publisher, zhengzhou_enterprise_user, django_capture_on_commit_callbacks
):
    notice_id = publish(publisher, django_capture_on_commit_callbacks)

    for _ in range(2):
        data(post(Client(), READ, {"id": notice_id}, **bearer(zhengzhou_enterprise_user)))
    listed = data(post(Client(), MINE, **bearer(zhengzhou_enterprise_user)))["myNotices"]
    receipts = data(post(Client(), RECEIPTS, {"id": notice_id}, **bearer(publisher)))[
        "noticeReceipts"
    ]

    assert listed["items"][0]["read"] is True
    assert NoticeReceipt.objects.count() == 1
    assert receipts == {"recipientCount": 1, "readCount": 1, "receipts": [{"readerName": "李娜"}]}


def test_attachment_checked_by_content(
    publisher,
    zhengzhou_enterprise_user,
    luoyang_enterprise_user,
    django_capture_on_commit_callbacks,
):
    saved = data(post(Client(), SAVE, {"input": notice_input()}, **bearer(publisher)))
    notice_id = saved["saveNotice"]["notice"]["id"]
    fake = base64.b64encode(b"<html><script>alert(1)</script></html>").decode()
    real = base64.b64encode(PDF).decode()

    rejected = data(
        post(
            Client(),
            ATTACH,
            {"id": notice_id, "name": "通知.pdf", "content": fake},
            **bearer(publisher),
        )
    )
    accepted = data(
        post(
            Client(),
            ATTACH,
            {"id": notice_id, "name": "自查表.pdf", "content": real},
            **bearer(publisher),
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        post(Client(), PUBLISH, {"id": notice_id}, **bearer(publisher))
    attachment_id = accepted["addNoticeAttachment"]["notice"]["attachments"][0]["id"]
    downloaded = data(
        post(Client(), FILE, {"id": attachment_id}, **bearer(zhengzhou_enterprise_user))
    )
    outsider = post(Client(), FILE, {"id": attachment_id}, **bearer(luoyang_enterprise_user))

    assert rejected["addNoticeAttachment"]["errors"] == [
        {"field": "file", "code": "invalid_file_type"}
    ]
    assert base64.b64decode(downloaded["noticeAttachmentFile"]["contentBase64"]) == PDF
    assert error_codes(outsider) == ["NOT_FOUND"]


def test_enterprise_cannot_publish(zhengzhou_enterprise_user):
    response = post(Client(), SAVE, {"input": notice_input()}, **bearer(zhengzhou_enterprise_user))

    assert error_codes(response) == ["FORBIDDEN"]
