"""GraphQL API of enterprise registration: submitting, listing and reviewing.

``registerEnterprise`` is open to anonymous visitors. The review operations need a
signed-in business user of a regulator and only reach registrations in that
regulator's division and below (see ``registration.reviewable_registrations``).
Registration ids are the plain integer primary keys, sent as strings.
"""

import base64

import graphene

from business.accounts.permissions import require_business_user
from business.audit import services as audit
from business.core import masking
from business.core.api.errors import FieldError, PublicError, field_errors

from . import registration as services
from . import uploads
from .models import EnterpriseRegistration

MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 20


def _channel(request) -> str:
    return "mobile" if getattr(request, "access_token", None) is not None else "pc"


def _registration_id(value) -> int:
    """Decode a registration id; anything but a positive integer string is rejected."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        number = int(value)
        if number > 0:
            return number
    raise PublicError("注册申请编号无效，应为正整数，请刷新列表后重试。", code="INVALID_ID")


class RegistrationStatus(graphene.Enum):
    """注册申请状态"""

    PENDING = EnterpriseRegistration.Status.PENDING.value
    APPROVED = EnterpriseRegistration.Status.APPROVED.value
    REJECTED = EnterpriseRegistration.Status.REJECTED.value


class EnterpriseRegistrationType(graphene.ObjectType):
    id = graphene.ID(required=True, description="注册申请编号")
    enterprise_name = graphene.String(required=True, description="企业名称")
    credit_code = graphene.String(required=True, description="统一社会信用代码")
    division_code = graphene.String(required=True, description="所在县区的行政区划代码")
    division_name = graphene.String(required=True, description="所在县区名称")
    address = graphene.String(required=True, description="地址")
    contact_name = graphene.String(required=True, description="联系人姓名")
    contact_phone_masked = graphene.String(
        required=True, description="联系人手机号码，中间 4 位以 * 遮盖"
    )
    username = graphene.String(required=True, description="申请的用户名")
    licence_content_type = graphene.String(
        required=True, description="营业执照扫描件类型：image/jpeg、image/png 或 application/pdf"
    )
    status = graphene.Field(RegistrationStatus, required=True, description="状态")
    review_comment = graphene.String(required=True, description="审核意见，未审核时为空")
    reviewed_at = graphene.DateTime(description="审核时间，未审核时为 null")
    created_at = graphene.DateTime(required=True, description="提交时间")

    class Meta:
        name = "EnterpriseRegistration"
        description = "企业注册申请（不含密码）"

    @staticmethod
    def from_registration(registration: EnterpriseRegistration) -> "EnterpriseRegistrationType":
        return EnterpriseRegistrationType(
            id=str(registration.pk),
            enterprise_name=registration.enterprise_name,
            credit_code=registration.credit_code,
            division_code=registration.division_id,
            division_name=registration.division.name,
            address=registration.address,
            contact_name=registration.contact_name,
            contact_phone_masked=masking.mask_phone(registration.contact_phone),
            username=registration.username,
            licence_content_type=registration.licence_content_type,
            status=EnterpriseRegistration.Status(registration.status).value,
            review_comment=registration.review_comment,
            reviewed_at=registration.reviewed_at,
            created_at=registration.created_at,
        )


class RegistrationPage(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(EnterpriseRegistrationType), required=True)
    total_count = graphene.Int(required=True, description="符合条件的申请总数")

    class Meta:
        description = "一页注册申请"


class EnterpriseRegistrationInput(graphene.InputObjectType):
    enterprise_name = graphene.String(required=True, description="企业名称，与营业执照一致")
    credit_code = graphene.String(required=True, description="18 位统一社会信用代码")
    division_code = graphene.String(
        required=True, description="企业所在县（市、区）的 6 位行政区划代码"
    )
    address = graphene.String(required=True, description="企业地址")
    contact_name = graphene.String(required=True, description="联系人姓名，审核通过后作为用户姓名")
    contact_phone = graphene.String(required=True, description="联系人手机号码，11 位")
    username = graphene.String(required=True, description="申请的登录用户名")
    password = graphene.String(required=True, description="登录密码，须符合密码规则")

    class Meta:
        description = "企业注册信息"


class RegisterEnterprise(graphene.Mutation):
    class Meta:
        name = "RegisterEnterprisePayload"
        description = "企业注册申请的提交结果"

    class Arguments:
        input = EnterpriseRegistrationInput(required=True)
        business_licence_base64 = graphene.String(
            required=True,
            description=f"营业执照扫描件的 Base64 编码（JPEG、PNG 或 PDF，"
            f"不超过 {uploads.MAX_LICENCE_MEGABYTES} MB）",
        )
        business_licence_file_name = graphene.String(
            required=True, description="原文件名，仅供记录，不用来判断文件类型"
        )

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    registration_id = graphene.ID(description="提交成功时返回的注册申请编号")

    @staticmethod
    def mutate(root, info, input, business_licence_base64: str, business_licence_file_name: str):
        request = info.context
        try:
            licence_content = uploads.decode_base64(business_licence_base64)
        except uploads.LicenceFileError as error:
            return RegisterEnterprise(
                errors=[FieldError(field=uploads.FIELD, message=error.message, code=error.code)]
            )

        try:
            registration = services.submit_registration(
                enterprise_name=input.enterprise_name,
                credit_code=input.credit_code,
                division_code=input.division_code,
                address=input.address,
                contact_name=input.contact_name,
                contact_phone=input.contact_phone,
                username=input.username,
                password=input.password,
                licence_content=licence_content,
                request_info=audit.request_info_from(request, _channel(request)),
            )
        except services.RegistrationRateLimited:
            raise PublicError(services.RATE_LIMITED_MESSAGE, code="RATE_LIMITED") from None
        except services.RegistrationError as error:
            return RegisterEnterprise(errors=field_errors(error.errors))
        return RegisterEnterprise(errors=[], registration_id=str(registration.pk))


class ApproveRegistration(graphene.Mutation):
    class Meta:
        name = "ApproveRegistrationPayload"
        description = "审核通过结果：已创建企业和企业用户"

    class Arguments:
        id = graphene.ID(required=True, description="注册申请编号")
        comment = graphene.String(description="审核意见，可不填")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    registration = graphene.Field(EnterpriseRegistrationType)
    initial_password = graphene.String(
        description="企业用户的一次性初始密码，只返回这一次；请告知联系人，首次登录后须修改"
    )

    @staticmethod
    def mutate(root, info, id, comment=""):
        reviewer = require_business_user(info)
        registration = services.get_reviewable_registration(reviewer, _registration_id(id))
        request = info.context
        try:
            approval = services.approve_registration(
                registration,
                reviewer,
                comment or "",
                audit.request_info_from(request, _channel(request)),
            )
        except services.RegistrationError as error:
            return ApproveRegistration(errors=field_errors(error.errors))
        return ApproveRegistration(
            errors=[],
            registration=EnterpriseRegistrationType.from_registration(approval.registration),
            initial_password=approval.initial_password,
        )


class RejectRegistration(graphene.Mutation):
    class Meta:
        name = "RejectRegistrationPayload"
        description = "驳回结果"

    class Arguments:
        id = graphene.ID(required=True, description="注册申请编号")
        comment = graphene.String(required=True, description="驳回原因和修改建议，必填")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    registration = graphene.Field(EnterpriseRegistrationType)

    @staticmethod
    def mutate(root, info, id, comment):
        reviewer = require_business_user(info)
        registration = services.get_reviewable_registration(reviewer, _registration_id(id))
        request = info.context
        try:
            registration = services.reject_registration(
                registration,
                reviewer,
                comment,
                audit.request_info_from(request, _channel(request)),
            )
        except services.RegistrationError as error:
            return RejectRegistration(errors=field_errors(error.errors))
        return RejectRegistration(
            errors=[], registration=EnterpriseRegistrationType.from_registration(registration)
        )


class RegistrationLicence(graphene.ObjectType):
    content_type = graphene.String(
        required=True, description="文件类型：image/jpeg、image/png 或 application/pdf"
    )
    content_base64 = graphene.String(required=True, description="文件内容的 Base64 编码")

    class Meta:
        description = "注册申请的营业执照扫描件"


class RegistrationQuery(graphene.ObjectType):
    enterprise_registration = graphene.Field(
        EnterpriseRegistrationType,
        required=True,
        id=graphene.ID(required=True, description="注册申请编号"),
        description="本辖区内的一份注册申请（任何状态），需要“审核企业注册”权限",
    )
    registration_licence = graphene.Field(
        RegistrationLicence,
        required=True,
        id=graphene.ID(required=True, description="注册申请编号"),
        description="本辖区内注册申请的营业执照扫描件，需要“审核企业注册”权限；每次查看都记入审计日志",
    )

    pending_registrations = graphene.Field(
        RegistrationPage,
        required=True,
        first=graphene.Int(description=f"每页条数，默认 {DEFAULT_PAGE_SIZE}，最多 {MAX_PAGE_SIZE}"),
        offset=graphene.Int(description="跳过的条数，默认 0"),
        description="本监管部门辖区（本级及下级区划）内待审核的企业注册申请，新提交的在前。"
        "仅监管部门用户可查询。",
    )

    @staticmethod
    def resolve_enterprise_registration(root, info, id):
        reviewer = require_business_user(info)
        registration = services.get_reviewable_registration(reviewer, _registration_id(id))
        return EnterpriseRegistrationType.from_registration(registration)

    @staticmethod
    def resolve_registration_licence(root, info, id):
        reviewer = require_business_user(info)
        registration = services.get_reviewable_registration(reviewer, _registration_id(id))
        content = services.read_licence(
            registration, reviewer, audit.request_info_from(info.context, _channel(info.context))
        )
        return RegistrationLicence(
            content_type=registration.licence_content_type,
            content_base64=base64.b64encode(content).decode("ascii"),
        )

    @staticmethod
    def resolve_pending_registrations(root, info, first=None, offset=None):
        reviewer = require_business_user(info)
        page_size = DEFAULT_PAGE_SIZE if first is None else first
        offset = offset or 0
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise PublicError(
                f"每页条数应在 1 至 {MAX_PAGE_SIZE} 之间，请修改 first 参数。", code="INVALID_ARGUMENT"
            )
        if offset < 0:
            raise PublicError("offset 不能为负数。", code="INVALID_ARGUMENT")

        pending = (
            services.reviewable_registrations(reviewer)
            .filter(status=EnterpriseRegistration.Status.PENDING)
            .select_related("division")
            .order_by("-created_at", "-pk")
        )
        items = pending[offset : offset + page_size]
        return RegistrationPage(
            items=[EnterpriseRegistrationType.from_registration(item) for item in items],
            total_count=pending.count(),
        )


class RegistrationMutation(graphene.ObjectType):
    register_enterprise = RegisterEnterprise.Field(
        description="企业自助注册：提交后由企业所在地监管部门审核，审核通过前不能登录。"
        "同一地址提交过于频繁时返回 RATE_LIMITED。"
    )
    approve_registration = ApproveRegistration.Field(
        description="监管部门审核通过注册申请，创建企业和企业用户"
    )
    reject_registration = RejectRegistration.Field(
        description="监管部门驳回注册申请，须填写审核意见"
    )
