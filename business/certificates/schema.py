"""GraphQL API of certificates: the public authenticity check."""

import graphene
from django.conf import settings

from business.core import ratelimit
from business.core.api.errors import FieldError, RateLimitedError, field_errors

from . import services
from .models import Certificate

CertificateCheckStatus = graphene.Enum.from_enum(
    services.CheckStatus, description="证书验伪结果"
)


class PublicCertificate(graphene.ObjectType):
    """The fields of a certificate anyone may see: no personal data (such as the
    names of the verifier, checker and approver) is included."""

    number = graphene.String(required=True, description="证书编号")
    kind_label = graphene.String(required=True, description="证书类型")
    institution_name = graphene.String(required=True, description="检定机构")
    client_name = graphene.String(required=True, description="委托单位")
    instrument_name = graphene.String(required=True, description="器具名称")
    model = graphene.String(required=True, description="型号规格")
    serial_number = graphene.String(required=True, description="出厂编号")
    conclusion = graphene.String(required=True, description="结论")
    verification_date = graphene.Date(required=True, description="检定日期")
    valid_until = graphene.Date(description="有效期至；检定结果通知书和校准证书为空")
    issued_at = graphene.DateTime(required=True, description="签发时间")
    status_label = graphene.String(required=True, description="证书状态")
    void_reason = graphene.String(description="作废原因")
    reissued_as_number = graphene.String(
        description="已作废证书重新签发后的新证书编号；未重新签发时为空"
    )
    replaces_number = graphene.String(description="本证书代替的已作废证书编号；不是重新签发时为空")

    @staticmethod
    def from_certificate(certificate: Certificate) -> "PublicCertificate":
        return PublicCertificate(
            number=certificate.number,
            kind_label=certificate.get_kind_display(),
            institution_name=certificate.institution_name,
            client_name=certificate.client_name,
            instrument_name=certificate.instrument_name,
            model=certificate.model,
            serial_number=certificate.serial_number,
            conclusion=certificate.conclusion,
            verification_date=certificate.verification_date,
            valid_until=certificate.valid_until,
            issued_at=certificate.issued_at,
            status_label=certificate.get_status_display(),
            void_reason=certificate.void_reason or None,
            reissued_as_number=_reissued_as_number(certificate),
            replaces_number=certificate.replaces.number if certificate.replaces_id else None,
        )


def _reissued_as_number(certificate: Certificate) -> str | None:
    # Only a voided certificate can have been reissued, so valid ones cost no query.
    if certificate.status != Certificate.Status.VOID:
        return None
    replacement = Certificate.objects.filter(replaces=certificate).only("number").first()
    return replacement.number if replacement else None


class CertificateCheckResult(graphene.ObjectType):
    status = graphene.Field(CertificateCheckStatus, required=True)
    message = graphene.String(required=True, description="给查询者的中文结论说明")
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    certificate = graphene.Field(PublicCertificate, description="证书真实或已作废时返回")


class CertificateQuery(graphene.ObjectType):
    certificate_check = graphene.Field(
        CertificateCheckResult,
        required=True,
        number=graphene.String(required=True, description="证书编号"),
        check_code=graphene.String(required=True, description="证书上印制的校验码"),
        description="电子证书验伪：按证书编号和校验码核验证书真伪，按客户端地址限制查询频率。",
    )

    @staticmethod
    def resolve_certificate_check(root, info, number: str, check_code: str):
        allowed = ratelimit.hit(
            "certificate-check",
            ratelimit.client_ip(info.context),
            limit=settings.CERTIFICATE_CHECK_RATE_LIMIT,
            window_seconds=settings.CERTIFICATE_CHECK_RATE_WINDOW_SECONDS,
        )
        if not allowed:
            raise RateLimitedError()

        outcome = services.check_certificate(number, check_code)

        certificate = None
        if outcome.certificate is not None:
            certificate = PublicCertificate.from_certificate(outcome.certificate)
        return CertificateCheckResult(
            status=outcome.status,
            message=outcome.message,
            errors=field_errors(outcome.errors),
            certificate=certificate,
        )
