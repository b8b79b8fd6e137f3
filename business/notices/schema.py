"""GraphQL API of notices: publishing for regulators, the inbox for enterprises and institutions."""

import base64

import django_filters
import graphene
from django.db.models import Count, Exists, OuterRef

from business.access import require_permission
from business.accounts.permissions import require_business_user
from business.audit import services as audit
from business.core.api.errors import FieldError, PublicError, field_errors
from business.core.api.pagination import page_arguments, page_type, paginate

from . import attachments, services
from .models import Notice, NoticeAttachment, NoticeReceipt


def _request_info(info):
    channel = "mobile" if getattr(info.context, "access_token", None) is not None else "pc"
    return audit.request_info_from(info.context, channel)


def _id(value, noun: str) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        number = int(value)
        if number > 0:
            return number
    raise PublicError(f"{noun}编号无效，请刷新列表后重试。", code="INVALID_ID")


NoticeStatus = graphene.Enum(
    "NoticeStatus", [(s.name, s.value) for s in Notice.Status], description="通知状态"
)


class NoticeAttachmentType(graphene.ObjectType):
    id = graphene.ID(required=True)
    file_name = graphene.String(required=True)
    content_type = graphene.String(required=True)
    size = graphene.Int(required=True, description="字节数")

    class Meta:
        name = "NoticeAttachment"
        description = "通知附件"

    @staticmethod
    def build(item: NoticeAttachment) -> "NoticeAttachmentType":
        return NoticeAttachmentType(
            id=str(item.pk),
            file_name=item.file_name,
            content_type=item.content_type,
            size=item.size,
        )


class NoticeType(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    body = graphene.String(required=True, description="正文，按纯文本显示")
    publisher_name = graphene.String(required=True)
    for_enterprises = graphene.Boolean(required=True)
    for_institutions = graphene.Boolean(required=True)
    target_division_code = graphene.String(required=True)
    target_division_name = graphene.String(required=True)
    status = graphene.Field(NoticeStatus, required=True)
    status_label = graphene.String(required=True)
    published_at = graphene.DateTime()
    created_at = graphene.DateTime(required=True)
    read = graphene.Boolean(description="当前用户是否已读，仅收件列表返回")
    read_count = graphene.Int(description="已读人数，仅发布管理返回")
    attachments = graphene.List(graphene.NonNull(NoticeAttachmentType), required=True)

    class Meta:
        name = "Notice"
        description = "监管部门发给企业和技术机构的通知"

    @staticmethod
    def build(notice: Notice, *, read=None, read_count=None, with_attachments=False):
        return NoticeType(
            id=str(notice.pk),
            title=notice.title,
            body=notice.body,
            publisher_name=notice.publisher.name,
            for_enterprises=notice.for_enterprises,
            for_institutions=notice.for_institutions,
            target_division_code=notice.target_division_id,
            target_division_name=notice.target_division.name,
            status=str(notice.status),
            status_label=notice.get_status_display(),
            published_at=notice.published_at,
            created_at=notice.created_at,
            read=read,
            read_count=read_count,
            attachments=[NoticeAttachmentType.build(a) for a in notice.attachments.all()]
            if with_attachments
            else [],
        )


class NoticeReceiptType(graphene.ObjectType):
    reader_name = graphene.String(required=True)
    organisation_name = graphene.String(required=True)
    read_at = graphene.DateTime(required=True)

    class Meta:
        name = "NoticeReceipt"
        description = "阅读回执"


class NoticeReceiptsType(graphene.ObjectType):
    recipient_count = graphene.Int(required=True, description="应读人数")
    read_count = graphene.Int(required=True)
    receipts = graphene.List(
        graphene.NonNull(NoticeReceiptType), required=True, description="最近 200 条回执"
    )

    class Meta:
        name = "NoticeReceipts"
        description = "通知的阅读情况"


class NoticeFileType(graphene.ObjectType):
    file_name = graphene.String(required=True)
    content_type = graphene.String(required=True)
    content_base64 = graphene.String(required=True)

    class Meta:
        name = "NoticeFile"
        description = "附件内容"


NoticeListPage = page_type(NoticeType, "NoticeListPage", "一页通知")


class NoticeFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains")
    status = django_filters.ChoiceFilter(choices=Notice.Status.choices)

    class Meta:
        model = Notice
        fields = ["title", "status"]


def _filter(queryset, **data):
    filterset = NoticeFilter(data=data, queryset=queryset)
    if not filterset.is_valid():
        raise PublicError("筛选条件无效，请重新选择。", code="INVALID_FILTER")
    return filterset.qs


class NoticeQuery(graphene.ObjectType):
    my_notices = graphene.Field(
        NoticeListPage,
        required=True,
        **page_arguments(),
        title=graphene.String(description="标题关键字"),
        unread_only=graphene.Boolean(description="只看未读"),
        description="发给本单位的通知（按单位类型和所在区划），含已读状态",
    )
    my_notice = graphene.Field(
        NoticeType, required=True, id=graphene.ID(required=True), description="一条发给本单位的通知"
    )
    managed_notices = graphene.Field(
        NoticeListPage,
        required=True,
        **page_arguments(),
        title=graphene.String(),
        status=graphene.Argument(NoticeStatus),
        description="本部门及辖区内下级部门的通知",
    )
    managed_notice = graphene.Field(NoticeType, required=True, id=graphene.ID(required=True))
    notice_receipts = graphene.Field(
        NoticeReceiptsType, required=True, id=graphene.ID(required=True), description="阅读回执"
    )
    notice_attachment_file = graphene.Field(
        NoticeFileType,
        required=True,
        id=graphene.ID(required=True),
        description="下载附件：通知的读者或发布部门可下载",
    )

    @staticmethod
    def resolve_my_notices(root, info, page, page_size, title=None, unread_only=False):
        user = require_business_user(info)
        read = NoticeReceipt.objects.filter(notice=OuterRef("pk"), reader=user)
        queryset = _filter(
            services.readable_notices(user), title=(title or "")[:50], status=""
        ).annotate(is_read=Exists(read))
        if unread_only:
            queryset = queryset.filter(is_read=False)
        queryset = queryset.select_related("publisher", "target_division").order_by(
            "-published_at", "-pk"
        )
        result = paginate(queryset, page, page_size)
        result["items"] = [NoticeType.build(item, read=item.is_read) for item in result["items"]]
        return NoticeListPage(**result)

    @staticmethod
    def resolve_my_notice(root, info, id):
        user = require_business_user(info)
        notice = services.get_readable(user, _id(id, "通知"))
        read = NoticeReceipt.objects.filter(notice=notice, reader=user).exists()
        return NoticeType.build(notice, read=read, with_attachments=True)

    @staticmethod
    def resolve_managed_notices(root, info, page, page_size, title=None, status=None):
        user = require_business_user(info)
        queryset = _filter(
            services.managed_notices(user),
            title=(title or "")[:50],
            status=getattr(status, "value", status) or "",
        )
        queryset = (
            queryset.annotate(receipt_total=Count("receipts"))
            .select_related("publisher", "target_division")
            .order_by("-created_at", "-pk")
        )
        result = paginate(queryset, page, page_size)
        result["items"] = [
            NoticeType.build(item, read_count=item.receipt_total) for item in result["items"]
        ]
        return NoticeListPage(**result)

    @staticmethod
    def resolve_managed_notice(root, info, id):
        user = require_business_user(info)
        notice = services.get_managed(user, _id(id, "通知"))
        return NoticeType.build(notice, with_attachments=True)

    @staticmethod
    def resolve_notice_receipts(root, info, id):
        user = require_business_user(info)
        notice = services.get_managed(user, _id(id, "通知"))
        receipts = notice.receipts.select_related("reader__organisation").order_by("-read_at")
        return NoticeReceiptsType(
            recipient_count=services.recipients(notice).count(),
            read_count=receipts.count(),
            receipts=[
                NoticeReceiptType(
                    reader_name=receipt.reader.display_name,
                    organisation_name=receipt.reader.organisation.name,
                    read_at=receipt.read_at,
                )
                for receipt in receipts[:200]
            ],
        )

    @staticmethod
    def resolve_notice_attachment_file(root, info, id):
        user = require_business_user(info)
        attachment = services.attachment_for(user, _id(id, "附件"))
        with attachment.file.open("rb") as handle:
            content = handle.read()
        return NoticeFileType(
            file_name=attachment.file_name,
            content_type=attachment.content_type,
            content_base64=base64.b64encode(content).decode("ascii"),
        )


class NoticeInput(graphene.InputObjectType):
    title = graphene.String(required=True)
    body = graphene.String(required=True)
    for_enterprises = graphene.Boolean(required=True)
    for_institutions = graphene.Boolean(required=True)
    target_division_code = graphene.String(
        required=True, description="发放范围：本辖区或下级区划代码"
    )

    class Meta:
        description = "通知内容"


class _NoticePayload(graphene.Mutation):
    class Meta:
        abstract = True

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    notice = graphene.Field(NoticeType)


class SaveNotice(_NoticePayload):
    class Meta:
        name = "SaveNoticePayload"
        description = "保存通知草稿"

    class Arguments:
        id = graphene.ID(description="修改草稿时传入")
        input = NoticeInput(required=True)

    @staticmethod
    def mutate(root, info, input, id=None):
        user = require_business_user(info)
        require_permission(user, "notices.publish")
        notice = services.get_managed(user, _id(id, "通知")) if id else None
        try:
            notice = services.save_notice(
                user,
                notice=notice,
                title=input.title,
                body=input.body,
                for_enterprises=input.for_enterprises,
                for_institutions=input.for_institutions,
                target_division_code=input.target_division_code,
                request_info=_request_info(info),
            )
        except services.NoticeError as error:
            return SaveNotice(errors=field_errors(error.errors))
        return SaveNotice(errors=[], notice=NoticeType.build(notice, with_attachments=True))


class AddNoticeAttachment(_NoticePayload):
    class Meta:
        name = "AddNoticeAttachmentPayload"
        description = "上传附件（按文件内容判断类型）"

    class Arguments:
        id = graphene.ID(required=True, description="通知编号")
        file_name = graphene.String(required=True)
        content_base64 = graphene.String(
            required=True,
            description=f"文件内容的 Base64 编码，不超过 {attachments.MAX_ATTACHMENT_MEGABYTES} MB",
        )

    @staticmethod
    def mutate(root, info, id, file_name, content_base64):
        user = require_business_user(info)
        notice = services.get_managed(user, _id(id, "通知"))
        try:
            services.add_attachment(
                notice,
                user,
                file_name=file_name,
                content_base64=content_base64,
                request_info=_request_info(info),
            )
        except services.NoticeError as error:
            return AddNoticeAttachment(errors=field_errors(error.errors))
        return AddNoticeAttachment(
            errors=[], notice=NoticeType.build(notice, with_attachments=True)
        )


class PublishNotice(_NoticePayload):
    class Meta:
        name = "PublishNoticePayload"
        description = "发布通知并向接收单位用户发送站内消息"

    class Arguments:
        id = graphene.ID(required=True)

    @staticmethod
    def mutate(root, info, id):
        user = require_business_user(info)
        notice = services.get_managed(user, _id(id, "通知"))
        try:
            notice = services.publish_notice(notice, user, request_info=_request_info(info))
        except services.NoticeError as error:
            return PublishNotice(errors=field_errors(error.errors))
        return PublishNotice(errors=[], notice=NoticeType.build(notice))


class WithdrawNotice(_NoticePayload):
    class Meta:
        name = "WithdrawNoticePayload"
        description = "撤回已发布的通知"

    class Arguments:
        id = graphene.ID(required=True)

    @staticmethod
    def mutate(root, info, id):
        user = require_business_user(info)
        notice = services.get_managed(user, _id(id, "通知"))
        try:
            notice = services.withdraw_notice(notice, user, request_info=_request_info(info))
        except services.NoticeError as error:
            return WithdrawNotice(errors=field_errors(error.errors))
        return WithdrawNotice(errors=[], notice=NoticeType.build(notice))


class MarkNoticeRead(_NoticePayload):
    class Meta:
        name = "MarkNoticeReadPayload"
        description = "标记已读并留下阅读回执"

    class Arguments:
        id = graphene.ID(required=True)

    @staticmethod
    def mutate(root, info, id):
        user = require_business_user(info)
        notice = services.get_readable(user, _id(id, "通知"))
        services.mark_read(notice, user, request_info=_request_info(info))
        return MarkNoticeRead(errors=[], notice=NoticeType.build(notice, read=True))


class NoticeMutation(graphene.ObjectType):
    save_notice = SaveNotice.Field(description="新建或修改通知草稿")
    add_notice_attachment = AddNoticeAttachment.Field()
    publish_notice = PublishNotice.Field()
    withdraw_notice = WithdrawNotice.Field()
    mark_notice_read = MarkNoticeRead.Field()
