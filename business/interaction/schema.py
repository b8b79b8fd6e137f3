"""GraphQL API of the interaction centre (互动交流).

Anonymous visitors submit with a captcha and look their matter up by number and
query code. Signed-in business users submit without a captcha and list their own
matters. Regulators and institutions handle the matters routed to them. Public
types carry masked personal data only, while handlers get the full contact details.
"""

import django_filters
import graphene

from business.access import has_permission, require_permission
from business.accounts.permissions import require_business_user
from business.audit import services as audit
from business.core import masking
from business.core.api.errors import FieldError, PublicError, field_errors
from business.core.api.pagination import page_arguments, page_type, paginate
from business.organisations.models import Organisation

from . import services
from .models import Interaction, InteractionStep

SEARCH_MAX_LENGTH = 50


def _channel(request) -> str:
    return "mobile" if getattr(request, "access_token", None) is not None else "pc"


def _request_info(info):
    return audit.request_info_from(info.context, _channel(info.context))


def _positive_id(value, noun: str) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        number = int(value)
        if number > 0:
            return number
    raise PublicError(f"{noun}编号无效，请刷新列表后重试。", code="INVALID_ID")


InteractionKind = graphene.Enum(
    "InteractionKind",
    [(kind.name, kind.value) for kind in Interaction.Kind],
    description="咨询投诉类型：投诉举报、业务咨询、工作建议",
)
InteractionStatus = graphene.Enum(
    "InteractionStatus",
    [(status.name, status.value) for status in Interaction.Status],
    description="办理状态",
)


class InteractionStepType(graphene.ObjectType):
    action = graphene.String(required=True, description="操作：submit、transfer、reply、close")
    action_label = graphene.String(required=True, description="操作名称")
    organisation_name = graphene.String(required=True, description="办理单位，匿名提交时为空")
    target_organisation_name = graphene.String(required=True, description="转至或分派到的单位")
    comment = graphene.String(required=True, description="说明或答复内容")
    created_at = graphene.DateTime(required=True)

    class Meta:
        name = "InteractionStep"
        description = "办理记录中的一步"

    @staticmethod
    def from_step(step: InteractionStep) -> "InteractionStepType":
        return InteractionStepType(
            action=step.action,
            action_label=step.get_action_display(),
            organisation_name=step.organisation.name if step.organisation else "",
            target_organisation_name=(
                step.target_organisation.name if step.target_organisation else ""
            ),
            comment=step.comment,
            created_at=step.created_at,
        )


def _steps(interaction: Interaction) -> list[InteractionStepType]:
    steps = interaction.steps.select_related("organisation", "target_organisation")
    return [InteractionStepType.from_step(step) for step in steps]


class _InteractionFields:
    id = graphene.ID(required=True)
    number = graphene.String(required=True, description="受理编号")
    kind = graphene.Field(InteractionKind, required=True)
    kind_label = graphene.String(required=True)
    title = graphene.String(required=True)
    body = graphene.String(required=True, description="内容，按纯文本显示")
    status = graphene.Field(InteractionStatus, required=True)
    status_label = graphene.String(required=True)
    division_name = graphene.String(required=True, description="事项所在地")
    handling_organisation_name = graphene.String(required=True, description="承办单位")
    contact_name_masked = graphene.String(required=True, description="联系人姓名（脱敏）")
    reply = graphene.String(required=True, description="答复内容，未答复时为空")
    replied_at = graphene.DateTime()
    created_at = graphene.DateTime(required=True)


def _common(interaction: Interaction) -> dict:
    return {
        "id": str(interaction.pk),
        "number": interaction.number,
        "kind": str(interaction.kind),
        "kind_label": interaction.get_kind_display(),
        "title": interaction.title,
        "body": interaction.body,
        "status": str(interaction.status),
        "status_label": interaction.get_status_display(),
        "division_name": interaction.division.name,
        "handling_organisation_name": interaction.handling_organisation.name,
        "contact_name_masked": masking.mask_name(interaction.contact_name),
        "reply": interaction.reply,
        "replied_at": interaction.replied_at,
        "created_at": interaction.created_at,
    }


class PublicInteractionType(_InteractionFields, graphene.ObjectType):
    contact_phone_masked = graphene.String(required=True, description="联系电话（脱敏）")
    steps = graphene.List(graphene.NonNull(InteractionStepType), required=True)

    class Meta:
        name = "PublicInteraction"
        description = "按受理编号和查询码查到的本人事项，或本人提交的事项（个人信息脱敏）"

    @staticmethod
    def build(interaction: Interaction, with_steps: bool = True) -> "PublicInteractionType":
        return PublicInteractionType(
            **_common(interaction),
            contact_phone_masked=masking.mask_phone(interaction.contact_phone),
            steps=_steps(interaction) if with_steps else [],
        )


class PublishedReplyType(graphene.ObjectType):
    number = graphene.String(required=True)
    kind_label = graphene.String(required=True)
    title = graphene.String(required=True)
    body = graphene.String(required=True)
    contact_name_masked = graphene.String(required=True)
    handling_organisation_name = graphene.String(required=True)
    reply = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    replied_at = graphene.DateTime()

    class Meta:
        name = "PublishedReply"
        description = "提交人同意公开的已答复事项"


class HandledInteractionType(_InteractionFields, graphene.ObjectType):
    contact_name = graphene.String(required=True, description="联系人姓名（完整，仅承办人员可见）")
    contact_phone = graphene.String(required=True, description="联系电话（完整，仅承办人员可见）")
    id_number_masked = graphene.String(required=True, description="身份证号码（脱敏），未填时为空")
    about_institution_name = graphene.String(required=True)
    submitter_organisation_name = graphene.String(required=True, description="提交单位，匿名时为空")
    publish_consent = graphene.Boolean(required=True)
    steps = graphene.List(graphene.NonNull(InteractionStepType), required=True)

    class Meta:
        name = "HandledInteraction"
        description = "承办单位看到的咨询投诉事项"

    @staticmethod
    def build(interaction: Interaction, with_steps: bool = False) -> "HandledInteractionType":
        return HandledInteractionType(
            **_common(interaction),
            contact_name=interaction.contact_name,
            contact_phone=interaction.contact_phone,
            id_number_masked=masking.mask_id_number(interaction.id_number) or "",
            about_institution_name=(
                interaction.about_institution.name if interaction.about_institution else ""
            ),
            submitter_organisation_name=(
                interaction.submitter_organisation.name
                if interaction.submitter_organisation
                else ""
            ),
            publish_consent=interaction.publish_consent,
            steps=_steps(interaction) if with_steps else [],
        )


PublishedReplyPage = page_type(PublishedReplyType, "PublishedReplyPage", "一页公开答复")
HandledInteractionPage = page_type(
    HandledInteractionType, "HandledInteractionPage", "一页待办或已办的咨询投诉"
)
MyInteractionPage = page_type(PublicInteractionType, "MyInteractionPage", "一页本人提交的咨询投诉")


class InteractionFilter(django_filters.FilterSet):
    """Filters of the handling and own lists: kind, status and a fuzzy search."""

    kind = django_filters.ChoiceFilter(choices=Interaction.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Interaction.Status.choices)
    search = django_filters.CharFilter(method="filter_search")

    class Meta:
        model = Interaction
        fields = ["kind", "status"]

    def filter_search(self, queryset, name, value):
        value = value.strip()[:SEARCH_MAX_LENGTH]
        if not value:
            return queryset
        return queryset.filter(title__icontains=value) | queryset.filter(number=value.upper())


def _enum_value(member) -> str:
    """Return the string value of a graphene enum argument (graphene 3 passes the member)."""
    return getattr(member, "value", member) or ""


def _filtered(queryset, kind, status, search):
    data = {"kind": _enum_value(kind), "status": _enum_value(status), "search": search or ""}
    filterset = InteractionFilter(data=data, queryset=queryset)
    if not filterset.is_valid():
        raise PublicError("筛选条件无效，请重新选择类型或状态。", code="INVALID_FILTER")
    return filterset.qs


def _list_arguments() -> dict:
    return {
        **page_arguments(),
        "kind": graphene.Argument(InteractionKind),
        "status": graphene.Argument(InteractionStatus),
        "search": graphene.String(description="标题关键字或受理编号"),
    }


class InteractionQuery(graphene.ObjectType):
    published_replies = graphene.Field(
        PublishedReplyPage,
        required=True,
        **page_arguments(),
        description="公开的咨询答复：提交人同意公开且已答复的事项，个人信息脱敏。无需登录。",
    )
    my_interaction_lookup = graphene.Field(
        PublicInteractionType,
        required=True,
        number=graphene.String(required=True, description="受理编号"),
        query_code=graphene.String(required=True, description="提交成功时给出的查询码"),
        description="凭受理编号和查询码查询本人提交的事项和办理进度。"
        "无需登录；同一地址查询过于频繁时返回 RATE_LIMITED。",
    )
    my_interactions = graphene.Field(
        MyInteractionPage,
        required=True,
        **_list_arguments(),
        description="本人（单位管理员为本单位）提交的咨询投诉",
    )
    handled_interactions = graphene.Field(
        HandledInteractionPage,
        required=True,
        **_list_arguments(),
        description="本单位承办的咨询投诉：监管部门为辖区内的事项，技术机构为关于本机构的咨询",
    )
    handled_interaction = graphene.Field(
        HandledInteractionType,
        required=True,
        id=graphene.ID(required=True),
        description="一项承办的咨询投诉及其办理记录",
    )
    interaction_transfer_targets = graphene.List(
        graphene.NonNull(lambda: TransferTargetType),
        required=True,
        search=graphene.String(description="单位名称关键字"),
        description="可接收转办的监管部门和技术机构（最多 20 个）",
    )

    @staticmethod
    def resolve_published_replies(root, info, page, page_size):
        queryset = services.public_replies().select_related("handling_organisation")
        result = paginate(queryset, page, page_size)
        result["items"] = [
            PublishedReplyType(
                number=item.number,
                kind_label=item.get_kind_display(),
                title=item.title,
                body=item.body,
                contact_name_masked=masking.mask_name(item.contact_name),
                handling_organisation_name=item.handling_organisation.name,
                reply=item.reply,
                created_at=item.created_at,
                replied_at=item.replied_at,
            )
            for item in result["items"]
        ]
        return PublishedReplyPage(**result)

    @staticmethod
    def resolve_my_interaction_lookup(root, info, number, query_code):
        try:
            interaction = services.look_up(info.context, number, query_code)
        except services.InteractionRateLimited:
            raise PublicError("查询过于频繁，请稍后再试。", code="RATE_LIMITED") from None
        except services.LookupFailed:
            raise PublicError(services.LOOKUP_FAILED_MESSAGE, code="NOT_FOUND") from None
        return PublicInteractionType.build(interaction)

    @staticmethod
    def resolve_my_interactions(root, info, page, page_size, kind=None, status=None, search=None):
        user = require_business_user(info)
        queryset = services.submitted_interactions(user).select_related(
            "division", "handling_organisation"
        )
        queryset = _filtered(queryset, kind, status, search).order_by("-created_at", "-pk")
        result = paginate(queryset, page, page_size)
        result["items"] = [PublicInteractionType.build(item) for item in result["items"]]
        return MyInteractionPage(**result)

    @staticmethod
    def resolve_handled_interactions(
        root, info, page, page_size, kind=None, status=None, search=None
    ):
        user = require_business_user(info)
        queryset = services.handled_interactions(user).select_related(
            "division", "handling_organisation", "about_institution", "submitter_organisation"
        )
        queryset = _filtered(queryset, kind, status, search).order_by("-created_at", "-pk")
        result = paginate(queryset, page, page_size)
        result["items"] = [HandledInteractionType.build(item) for item in result["items"]]
        return HandledInteractionPage(**result)

    @staticmethod
    def resolve_handled_interaction(root, info, id):
        user = require_business_user(info)
        interaction = services.get_handled(user, _positive_id(id, "事项"))
        return HandledInteractionType.build(interaction, with_steps=True)

    @staticmethod
    def resolve_interaction_transfer_targets(root, info, search=None):
        user = require_business_user(info)
        if not has_permission(user, "interactions.answer"):
            require_permission(user, "interactions.handle")
        queryset = Organisation.objects.filter(
            kind__in=[Organisation.Kind.REGULATOR, Organisation.Kind.INSTITUTION], is_active=True
        ).exclude(pk=user.organisation_id)
        text = (search or "").strip()[:SEARCH_MAX_LENGTH]
        if text:
            queryset = queryset.filter(name__icontains=text)
        return [
            TransferTargetType(id=str(item.pk), name=item.name, kind=item.get_kind_display())
            for item in queryset.order_by("kind", "name")[:20]
        ]


class TransferTargetType(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    kind = graphene.String(required=True, description="单位类型名称")

    class Meta:
        name = "InteractionTransferTarget"
        description = "可接收转办的单位"


class SubmitInteractionInput(graphene.InputObjectType):
    kind = InteractionKind(required=True)
    title = graphene.String(required=True, description="标题，最多 100 字")
    body = graphene.String(required=True, description="内容，最多 2000 字，按纯文本保存")
    division_code = graphene.String(required=True, description="事项所在县区的 6 位区划代码")
    about_institution_id = graphene.ID(description="业务咨询所涉技术机构的编号，可不填")
    contact_name = graphene.String(description="联系人姓名；登录用户不填时取本人姓名")
    contact_phone = graphene.String(required=True, description="联系电话（11 位手机号码）")
    id_number = graphene.String(description="身份证号码，投诉举报时可填，可不填")
    publish_consent = graphene.Boolean(description="是否同意答复后公开（个人信息脱敏）")
    captcha_id = graphene.String(description="图形验证码编号；未登录时必填")
    captcha_answer = graphene.String(description="图形验证码答案；未登录时必填")

    class Meta:
        description = "提交的咨询、建议或投诉"


class SubmitInteraction(graphene.Mutation):
    class Meta:
        name = "SubmitInteractionPayload"
        description = "提交结果：受理编号和查询码只显示这一次，请提示提交人记下"

    class Arguments:
        input = SubmitInteractionInput(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    number = graphene.String(description="受理编号")
    query_code = graphene.String(description="查询码，与受理编号一起查询办理进度")

    @staticmethod
    def mutate(root, info, input):
        request = info.context
        user = getattr(request, "business_user", None)
        try:
            if user is None:
                services.check_anonymous_request(
                    request, input.captcha_id or "", input.captcha_answer or ""
                )
            else:
                user = require_business_user(info)
                require_permission(user, "interactions.submit")
            about = input.about_institution_id
            submission = services.submit_interaction(
                kind=_enum_value(input.kind),
                title=input.title,
                body=input.body,
                division_code=input.division_code,
                contact_name=input.contact_name or (user.display_name if user else ""),
                contact_phone=input.contact_phone,
                id_number=input.id_number or "",
                about_institution_id=_positive_id(about, "技术机构") if about else None,
                publish_consent=bool(input.publish_consent),
                submitter=user,
                request_info=_request_info(info),
            )
        except services.InteractionRateLimited:
            raise PublicError(services.RATE_LIMITED_MESSAGE, code="RATE_LIMITED") from None
        except services.InteractionError as error:
            return SubmitInteraction(errors=field_errors(error.errors))
        return SubmitInteraction(
            errors=[],
            number=submission.interaction.number,
            query_code=submission.query_code,
        )


class _HandlingMutation(graphene.Mutation):
    class Meta:
        abstract = True

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    interaction = graphene.Field(HandledInteractionType)

    @classmethod
    def run(cls, info, id, action):
        user = require_business_user(info)
        interaction = services.get_handled(user, _positive_id(id, "事项"))
        try:
            changed = action(interaction, user, _request_info(info))
        except services.InteractionError as error:
            return cls(errors=field_errors(error.errors))
        return cls(errors=[], interaction=HandledInteractionType.build(changed, with_steps=True))


class ReplyInteraction(_HandlingMutation):
    class Meta:
        name = "ReplyInteractionPayload"
        description = "答复结果"

    class Arguments:
        id = graphene.ID(required=True)
        reply = graphene.String(required=True, description="答复内容，最多 2000 字")

    @classmethod
    def mutate(cls, root, info, id, reply):
        return cls.run(
            info,
            id,
            lambda item, user, request_info: services.reply_interaction(
                item, user, reply, request_info=request_info
            ),
        )


class TransferInteraction(_HandlingMutation):
    class Meta:
        name = "TransferInteractionPayload"
        description = "转办结果"

    class Arguments:
        id = graphene.ID(required=True)
        target_organisation_id = graphene.ID(required=True, description="接收单位编号")
        comment = graphene.String(required=True, description="转办说明")

    @classmethod
    def mutate(cls, root, info, id, target_organisation_id, comment):
        target = _positive_id(target_organisation_id, "接收单位")
        return cls.run(
            info,
            id,
            lambda item, user, request_info: services.transfer_interaction(
                item, user, target, comment, request_info=request_info
            ),
        )


class CloseInteraction(_HandlingMutation):
    class Meta:
        name = "CloseInteractionPayload"
        description = "办结结果"

    class Arguments:
        id = graphene.ID(required=True)
        comment = graphene.String(description="办结说明；未答复的事项必填")

    @classmethod
    def mutate(cls, root, info, id, comment=""):
        return cls.run(
            info,
            id,
            lambda item, user, request_info: services.close_interaction(
                item, user, comment or "", request_info=request_info
            ),
        )


class InteractionMutation(graphene.ObjectType):
    submit_interaction = SubmitInteraction.Field(
        description="提交咨询、建议或投诉。未登录时须带图形验证码，同一地址提交过于频繁时返回 RATE_LIMITED。"
    )
    reply_interaction = ReplyInteraction.Field(description="承办单位答复事项")
    transfer_interaction = TransferInteraction.Field(
        description="把事项转交其他监管部门或技术机构办理"
    )
    close_interaction = CloseInteraction.Field(description="办结事项")
