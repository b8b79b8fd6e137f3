"""GraphQL API of certificate templates, and voiding and reissuing certificates.

Templates need certificates.manage_templates (own institution). Voiding and
reissuing need certificates.void and reach only certificates the user's institution
issued (institution_certificates scope through Certificate.scope_paths).
"""

import graphene
from django.core.exceptions import ValidationError
from django.db import transaction

from business.access import get_in_scope
from business.audit import services as audit
from business.certificates import reissue
from business.certificates import services as certificate_services
from business.certificates.models import Certificate
from business.core.api.errors import FieldError, field_errors
from business.core.api.pagination import page_arguments, page_type, paginate
from business.qualifications import api

from .models import DEFAULT_STATEMENTS, DEFAULT_TITLES, CertificateTemplate

MANAGE = "certificates.manage_templates"
VOID = "certificates.void"
TEXT_FIELDS = (
    "name",
    "title",
    "address",
    "post_code",
    "phone",
    "fax",
    "email",
    "statement",
    "end_mark",
)

CertificateKindEnum = graphene.Enum(
    "CertificateTemplateKind",
    [(kind.name, kind.value) for kind in Certificate.Kind],
    description="证书类型：VERIFICATION 检定证书、RESULT_NOTICE 检定结果通知书、CALIBRATION 校准证书",
)


class CertificateTemplateType(graphene.ObjectType):
    id = graphene.ID(required=True)
    kind = graphene.Field(CertificateKindEnum, required=True)
    kind_label = graphene.String(required=True, description="证书类型名称")
    name = graphene.String(required=True, description="模板名称")
    title = graphene.String(required=True, description="证书标题")
    address = graphene.String(required=True, description="地址")
    post_code = graphene.String(required=True, description="邮政编码")
    phone = graphene.String(required=True, description="电话")
    fax = graphene.String(required=True, description="传真")
    email = graphene.String(required=True, description="电子邮箱")
    statement = graphene.String(required=True, description="声明")
    end_mark = graphene.String(required=True, description="终结标志")
    is_active = graphene.Boolean(required=True, description="启用")
    updated_at = graphene.DateTime(required=True, description="修改时间")

    class Meta:
        name = "CertificateTemplate"
        description = "证书模板"

    @staticmethod
    def of(row: CertificateTemplate) -> "CertificateTemplateType":
        return CertificateTemplateType(
            id=str(row.pk),
            kind=row.kind,
            kind_label=row.get_kind_display(),
            is_active=row.is_active,
            updated_at=row.updated_at,
            **{name: getattr(row, name) for name in TEXT_FIELDS},
        )


CertificateTemplatePage = page_type(
    CertificateTemplateType, "CertificateTemplatePage", "一页证书模板"
)


class CertificateTemplateInput(graphene.InputObjectType):
    id = graphene.ID(description="修改时填写；新增时留空")
    kind = graphene.Field(CertificateKindEnum, required=True, description="证书类型")
    name = graphene.String(required=True, description="模板名称")
    title = graphene.String(description="证书标题，留空用该类型的标准标题")
    address = graphene.String(description="地址")
    post_code = graphene.String(description="邮政编码（6 位数字）")
    phone = graphene.String(description="电话")
    fax = graphene.String(description="传真")
    email = graphene.String(description="电子邮箱")
    statement = graphene.String(description="声明，留空用该类型的默认声明")
    end_mark = graphene.String(description="终结标志，默认“以下空白”")
    is_active = graphene.Boolean(
        description="启用；同一类型只能启用一个模板，启用本模板会停用其他模板"
    )


class SaveCertificateTemplate(graphene.Mutation):
    class Meta:
        name = "SaveCertificateTemplatePayload"
        description = "保存证书模板的结果"

    class Arguments:
        input = CertificateTemplateInput(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    template = graphene.Field(CertificateTemplateType)

    @staticmethod
    def mutate(root, info, input):
        user = api.current_user(info, MANAGE)
        if input.get("id"):
            row = api.load(CertificateTemplate, user, MANAGE, input["id"], "证书模板")
        else:
            row = CertificateTemplate(institution=api.own_institution(user))
        fields = ["kind", *TEXT_FIELDS, "is_active"]
        before = api.snapshot(row, fields) if row.pk else {}
        kind = input["kind"]
        row.kind = kind.value if hasattr(kind, "value") else kind
        for name in TEXT_FIELDS:
            setattr(row, name, (input.get(name) or "").strip())
        row.title = row.title or DEFAULT_TITLES[row.kind]
        row.statement = row.statement or DEFAULT_STATEMENTS[row.kind]
        row.end_mark = row.end_mark or "以下空白"
        row.is_active = input.get("is_active", True) is not False
        row.updated_by = user
        try:
            row.full_clean(exclude=["institution", "updated_by"], validate_constraints=False)
        except ValidationError as error:
            return SaveCertificateTemplate(
                errors=field_errors(api.validation_problems(error)), template=None
            )
        with transaction.atomic():
            if row.is_active:
                # One active template per kind: activating this one retires the others.
                CertificateTemplate.objects.filter(
                    institution=row.institution, kind=row.kind, is_active=True
                ).exclude(pk=row.pk).update(is_active=False)
            created = row.pk is None
            row.save()
            api.audit_event(
                info,
                user,
                "certificate.template." + ("create" if created else "update"),
                row,
                api.changes_between(before, api.snapshot(row, fields)),
            )
        return SaveCertificateTemplate(errors=[], template=CertificateTemplateType.of(row))


class CertificateActionPayload(graphene.ObjectType):
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    number = graphene.String(description="作废的证书编号，或重新签发的新证书编号")
    status_label = graphene.String(description="证书状态")

    class Meta:
        description = "作废或重新签发证书的结果"


def _certificate(user, number: str) -> Certificate:
    number = (number or "").strip()
    certificate = Certificate.objects.filter(number=number).only("pk").first()
    return get_in_scope(
        Certificate.objects.select_related("signing_key"),
        user,
        VOID,
        certificate.pk if certificate else 0,
        noun="证书",
    )


def _request_info(info):
    return audit.request_info_from(info.context, api.channel(info))


def _failure(error: certificate_services.CertificateError, field: str | None = None):
    return CertificateActionPayload(
        errors=field_errors([(field, error.message, error.code.upper())])
    )


def resolve_void_certificate(root, info, number, reason):
    user = api.current_user(info, VOID)
    certificate = _certificate(user, number)
    try:
        voided = certificate_services.void_certificate(
            certificate,
            reason or "",
            actor=audit.business_actor(user),
            request_info=_request_info(info),
        )
    except certificate_services.CertificateError as error:
        return _failure(error, "reason" if error.code == "missing_reason" else "number")
    return CertificateActionPayload(
        errors=[], number=voided.number, status_label=voided.get_status_display()
    )


def resolve_reissue_certificate(root, info, number, reason=None):
    """Reissue a voided certificate; with ``reason`` a valid one is voided first in the same step."""
    user = api.current_user(info, VOID)
    certificate = _certificate(user, number)
    actor, request_info = audit.business_actor(user), _request_info(info)
    try:
        if certificate.status == Certificate.Status.VALID and (reason or "").strip():
            new = reissue.void_and_reissue(
                certificate, reason, actor=actor, request_info=request_info
            )
        else:
            new = reissue.reissue_certificate(certificate, actor=actor, request_info=request_info)
    except certificate_services.CertificateError as error:
        return _failure(error, "number")
    return CertificateActionPayload(
        errors=[], number=new.number, status_label=new.get_status_display()
    )


class CertificateTemplateQuery(graphene.ObjectType):
    certificate_templates = graphene.Field(
        CertificateTemplatePage,
        required=True,
        kind=CertificateKindEnum(),
        **page_arguments(),
        description="本机构的证书模板",
    )

    @staticmethod
    def resolve_certificate_templates(root, info, page, page_size, kind=None):
        from business.access import scoped

        user = api.current_user(info, MANAGE)
        rows = scoped(CertificateTemplate.objects.all(), user, MANAGE)
        if kind is not None:
            rows = rows.filter(kind=kind.value if hasattr(kind, "value") else kind)
        result = paginate(rows.order_by("kind", "-is_active", "name", "pk"), page, page_size)
        result["items"] = [CertificateTemplateType.of(row) for row in result["items"]]
        return CertificateTemplatePage(**result)


class CertificateTemplateMutation(graphene.ObjectType):
    save_certificate_template = SaveCertificateTemplate.Field(description="新增或修改证书模板")
    void_certificate = graphene.Field(
        CertificateActionPayload,
        required=True,
        number=graphene.String(required=True, description="证书编号"),
        reason=graphene.String(required=True, description="作废原因"),
        resolver=resolve_void_certificate,
        description="作废本机构签发的证书（已作废的不能再次作废）",
    )
    reissue_certificate = graphene.Field(
        CertificateActionPayload,
        required=True,
        number=graphene.String(required=True, description="已作废（或同时作废）的证书编号"),
        reason=graphene.String(description="证书仍有效时填写作废原因，作废与重新签发一并完成"),
        resolver=resolve_reissue_certificate,
        description="重新签发：按台账和检定记录的当前数据出具新证书，并关联被作废的证书",
    )
