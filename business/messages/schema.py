"""GraphQL API of the message centre: a user's own messages, the unread count, marking read.

Every operation reaches only the signed-in user's own messages. Message ids are the
plain integer primary keys, sent as strings.
"""

import graphene

from business.access import require_permission
from business.accounts.permissions import require_business_user
from business.audit import services as audit
from business.core.api.errors import FieldError, PublicError, field_errors
from business.core.api.pagination import page_arguments, page_type, paginate

from . import services
from .filters import MessageFilter
from .models import Message

PERMISSION = "messages.view"
# One request marks at most this many messages; the screen marks a page at a time.
MAX_IDS_PER_REQUEST = 100

MessageKind = graphene.Enum(
    "MessageKind",
    [(kind.name, kind.value) for kind in Message.Kind],
    description="消息类型：EXPIRY 到期提醒、APPLICATION 检定申请、NOTICE 通知公告、"
    "INTERACTION 咨询投诉、TASK 待办任务、SYSTEM 系统消息",
)


class MessageType(graphene.ObjectType):
    id = graphene.ID(required=True, description="消息编号")
    kind = graphene.Field(MessageKind, required=True, description="消息类型")
    kind_label = graphene.String(required=True, description="消息类型的中文名称")
    title = graphene.String(required=True, description="标题")
    body = graphene.String(required=True, description="内容")
    link = graphene.String(
        required=True, description="相关对象在前端的路径，例如 /workbench/ledger/42；没有相关对象时为空"
    )
    created_at = graphene.DateTime(required=True, description="发送时间")
    read_at = graphene.DateTime(description="阅读时间，未读时为 null")
    is_read = graphene.Boolean(required=True, description="是否已读")

    class Meta:
        name = "Message"
        description = "一条站内消息"

    @staticmethod
    def from_message(message: Message) -> "MessageType":
        return MessageType(
            id=str(message.pk),
            kind=message.kind,
            kind_label=message.get_kind_display(),
            title=message.title,
            body=message.body,
            link=message.link,
            created_at=message.created_at,
            read_at=message.read_at,
            is_read=message.read_at is not None,
        )


MessagePage = page_type(MessageType, "MessagePage", "一页站内消息")


def _message_ids(values) -> list[int] | None:
    """Decode message ids; None when one of them is not a positive integer string."""
    ids = []
    for value in values:
        if not (isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18):
            return None
        number = int(value)
        if number <= 0:
            return None
        ids.append(number)
    return ids


class MarkMessagesRead(graphene.Mutation):
    class Meta:
        name = "MarkMessagesReadPayload"
        description = "标记已读的结果"

    class Arguments:
        ids = graphene.List(
            graphene.NonNull(graphene.ID),
            required=True,
            description=f"要标记为已读的消息编号，1 至 {MAX_IDS_PER_REQUEST} 个",
        )

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    marked_count = graphene.Int(required=True, description="本次由未读变为已读的条数")
    unread_count = graphene.Int(required=True, description="标记后剩余的未读条数")

    @staticmethod
    def mutate(root, info, ids):
        user = require_business_user(info)
        require_permission(user, PERMISSION)

        problem = _check_ids(ids)
        if problem:
            return MarkMessagesRead(
                errors=field_errors([problem]), marked_count=0, unread_count=services.unread_count(user)
            )
        try:
            marked = services.mark_read(
                user, _message_ids(ids), request_info=audit.request_info_from(info.context, _channel(info))
            )
        except services.MessageNotFoundError:
            problem = ("ids", "部分消息不存在或已被删除，请刷新消息列表后重试。", "NOT_FOUND")
            return MarkMessagesRead(
                errors=field_errors([problem]), marked_count=0, unread_count=services.unread_count(user)
            )
        return MarkMessagesRead(errors=[], marked_count=marked, unread_count=services.unread_count(user))


def _check_ids(ids) -> tuple[str, str, str] | None:
    if not ids:
        return ("ids", "请至少选择一条消息。", "REQUIRED")
    if len(ids) > MAX_IDS_PER_REQUEST:
        return ("ids", f"一次最多标记 {MAX_IDS_PER_REQUEST} 条消息，请分批操作。", "TOO_MANY")
    if _message_ids(ids) is None:
        return ("ids", "消息编号无效，应为正整数，请刷新消息列表后重试。", "INVALID_ID")
    return None


def _channel(info) -> str:
    return "mobile" if getattr(info.context, "access_token", None) is not None else "pc"


class MarkAllMessagesRead(graphene.Mutation):
    class Meta:
        name = "MarkAllMessagesReadPayload"
        description = "全部标记已读的结果"

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    marked_count = graphene.Int(required=True, description="本次由未读变为已读的条数")
    unread_count = graphene.Int(required=True, description="标记后剩余的未读条数")

    @staticmethod
    def mutate(root, info):
        user = require_business_user(info)
        require_permission(user, PERMISSION)
        marked = services.mark_all_read(
            user, request_info=audit.request_info_from(info.context, _channel(info))
        )
        return MarkAllMessagesRead(errors=[], marked_count=marked, unread_count=0)


class MessageQuery(graphene.ObjectType):
    messages = graphene.Field(
        MessagePage,
        required=True,
        unread_only=graphene.Boolean(default_value=False, description="只返回未读消息"),
        kind=graphene.Argument(MessageKind, description="只返回这一类型的消息"),
        **page_arguments(),
        description="当前用户自己的站内消息，新的在前。",
    )
    unread_message_count = graphene.Int(required=True, description="当前用户的未读消息条数")

    @staticmethod
    def resolve_messages(root, info, unread_only=False, kind=None, page=1, page_size=20):
        user = require_business_user(info)
        require_permission(user, PERMISSION)

        filters = {"unread_only": unread_only}
        if kind is not None:
            filters["kind"] = getattr(kind, "value", kind)
        filterset = MessageFilter(filters, queryset=services.messages_of(user))
        if not filterset.is_valid():
            raise PublicError("消息类型无效，请从列表中选择。", code="INVALID_ARGUMENT")

        result = paginate(filterset.qs, page, page_size)
        result["items"] = [MessageType.from_message(message) for message in result["items"]]
        return MessagePage(**result)

    @staticmethod
    def resolve_unread_message_count(root, info):
        user = require_business_user(info)
        require_permission(user, PERMISSION)
        return services.unread_count(user)


class MessageMutation(graphene.ObjectType):
    mark_messages_read = MarkMessagesRead.Field(description="把自己的若干条消息标记为已读")
    mark_all_messages_read = MarkAllMessagesRead.Field(description="把自己的全部未读消息标记为已读")
