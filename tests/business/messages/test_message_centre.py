"""The message centre through GraphQL: own messages only, filters, unread count, marking read."""

import pytest

from business.audit.models import AuditEvent
from business.messages.models import Message
from business.messages.services import notify
from tests import factories
from tests.api.client import bearer, data, error_codes, post

pytestmark = pytest.mark.django_db

MESSAGES = """
query Messages($unreadOnly: Boolean, $kind: MessageKind, $page: Int, $pageSize: Int) {
  messages(unreadOnly: $unreadOnly, kind: $kind, page: $page, pageSize: $pageSize) {
    totalCount page pageSize
    items { id kind kindLabel title body link isRead readAt createdAt }
  }
  unreadMessageCount
}
"""

MARK_READ = """
mutation MarkRead($ids: [ID!]!) {
  markMessagesRead(ids: $ids) { markedCount unreadCount errors { field message code } }
}
"""

MARK_ALL_READ = """
mutation { markAllMessagesRead { markedCount unreadCount errors { field code } } }
"""


@pytest.fixture
def users():
    enterprise = factories.enterprise()
    wang = factories.business_user(enterprise, roles=["enterprise_admin"], display_name="王芳")
    li = factories.business_user(enterprise, roles=["enterprise_staff"], display_name="李娜")
    notify([wang], Message.Kind.EXPIRY, "电子计价秤将于 2027年3月9日 到期", link="/workbench/ledger/1")
    notify([wang], Message.Kind.APPLICATION, "检定申请已受理")
    notify([li], Message.Kind.NOTICE, "关于开展计量器具专项检查的通知")
    return wang, li


def test_messages_lists_own_messages_only(client, users):
    wang, _ = users

    result = data(post(client, MESSAGES, **bearer(wang)))

    titles = {item["title"] for item in result["messages"]["items"]}
    assert titles == {"电子计价秤将于 2027年3月9日 到期", "检定申请已受理"}
    assert result["messages"]["totalCount"] == 2
    assert result["unreadMessageCount"] == 2


def test_messages_filter_by_kind_and_unread(client, users):
    wang, _ = users
    expiry = Message.objects.get(recipient=wang, kind="expiry")

    by_kind = data(post(client, MESSAGES, {"kind": "EXPIRY"}, **bearer(wang)))
    data(post(client, MARK_READ, {"ids": [str(expiry.pk)]}, **bearer(wang)))
    unread = data(post(client, MESSAGES, {"unreadOnly": True}, **bearer(wang)))

    assert [item["kindLabel"] for item in by_kind["messages"]["items"]] == ["到期提醒"]
    assert by_kind["messages"]["items"][0]["link"] == "/workbench/ledger/1"
    assert [item["title"] for item in unread["messages"]["items"]] == ["检定申请已受理"]
    assert unread["unreadMessageCount"] == 1


def test_mark_read_updates_count_and_audits(client, users):
    wang, _ = users
    ids = [str(pk) for pk in Message.objects.filter(recipient=wang).values_list("pk", flat=True)]

    result = data(post(client, MARK_READ, {"ids": ids}, **bearer(wang)))["markMessagesRead"]

    assert result["errors"] == []
    assert result["markedCount"] == 2
    assert result["unreadCount"] == 0
    assert AuditEvent.objects.filter(action="message.mark_read").count() == 1


def test_mark_read_foreign_message_not_found(client, users):
    wang, li = users
    foreign = Message.objects.get(recipient=li)
    own = Message.objects.filter(recipient=wang).first()

    result = data(
        post(client, MARK_READ, {"ids": [str(own.pk), str(foreign.pk)]}, **bearer(wang))
    )["markMessagesRead"]

    assert [error["code"] for error in result["errors"]] == ["NOT_FOUND"]
    assert result["errors"][0]["field"] == "ids"
    assert Message.objects.get(pk=foreign.pk).read_at is None
    # Nothing is half done: the user's own message stays unread too.
    assert Message.objects.get(pk=own.pk).read_at is None


@pytest.mark.parametrize(
    ("ids", "code"), [([], "REQUIRED"), (["abc"], "INVALID_ID"), (["1"] * 101, "TOO_MANY")]
)
def test_mark_read_rejects_bad_ids(client, users, ids, code):
    wang, _ = users

    result = data(post(client, MARK_READ, {"ids": ids}, **bearer(wang)))["markMessagesRead"]

    assert [error["code"] for error in result["errors"]] == [code]
    assert "消息" in result["errors"][0]["message"]


def test_mark_all_read(client, users):
    wang, li = users

    result = data(post(client, MARK_ALL_READ, **bearer(wang)))["markAllMessagesRead"]

    assert result["markedCount"] == 2
    assert Message.objects.filter(recipient=wang, read_at__isnull=True).count() == 0
    assert Message.objects.filter(recipient=li, read_at__isnull=True).count() == 1


def test_messages_need_sign_in(client):
    response = post(client, MESSAGES)

    assert "UNAUTHENTICATED" in error_codes(response)


def test_page_size_is_capped(client, users):
    wang, _ = users

    response = post(client, MESSAGES, {"pageSize": 1000}, **bearer(wang))

    assert error_codes(response) == ["INVALID_PAGE_SIZE"]


def test_notify_with_dedupe_key_sends_once(users):
    wang, li = users

    first = notify([wang, li], Message.Kind.SYSTEM, "系统维护通知", dedupe_key="maintenance:1")
    second = notify([wang, li], Message.Kind.SYSTEM, "系统维护通知", dedupe_key="maintenance:1")

    assert first == 2
    assert second == 0
