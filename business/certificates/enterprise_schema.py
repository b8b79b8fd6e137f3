"""GraphQL API of the certificates of an enterprise's own instruments (证书查询).

Enterprises list and view the certificates of their instruments; regulators see those
of the enterprises in their division. Everything goes through ``certificates.view`` and
its data scope. The PDF itself is downloaded from ``downloads.certificate_pdf``.
"""

import django_filters
import graphene
from django.db.models import Q

from business.access import get_in_scope, scoped
from business.accounts.permissions import require_business_user
from business.core.api.errors import PublicError
from business.core.api.pagination import page_arguments, page_type, paginate

from .models import Certificate

MAX_SEARCH_LENGTH = 100

CertificateKind = graphene.Enum.from_enum(
    Certificate.Kind, name="CertificateKind", description="证书类型"
)
CertificateStatus = graphene.Enum.from_enum(
    Certificate.Status, name="CertificateStatus", description="证书状态"
)


def pdf_download_url(certificate: Certificate) -> str:
    return f"/downloads/certificates/{certificate.pk}/pdf/"


class EnterpriseCertificate(graphene.ObjectType):
    """A certificate as the instrument's owner sees it, with the signers' names printed on it."""

    id = graphene.ID(required=True, description="证书记录编号")
    number = graphene.String(required=True, description="证书编号")
    kind = graphene.Field(CertificateKind, required=True, description="证书类型")
    kind_label = graphene.String(required=True, description="证书类型名称")
    status = graphene.Field(CertificateStatus, required=True, description="证书状态")
    status_label = graphene.String(required=True, description="证书状态名称")
    instrument_id = graphene.ID(required=True, description="计量器具编号")
    instrument_name = graphene.String(required=True, description="器具名称")
    model = graphene.String(required=True, description="型号规格")
    serial_number = graphene.String(required=True, description="出厂编号")
    manufacturer = graphene.String(required=True, description="制造单位")
    institution_name = graphene.String(required=True, description="检定机构")
    client_name = graphene.String(required=True, description="委托单位")
    regulation = graphene.String(required=True, description="依据规程")
    conclusion = graphene.String(required=True, description="结论")
    verification_date = graphene.Date(required=True, description="检定日期")
    valid_until = graphene.Date(description="有效期至；检定结果通知书和校准证书为空")
    issued_at = graphene.DateTime(required=True, description="签发时间")
    verifier_name = graphene.String(required=True, description="检定员")
    checker_name = graphene.String(required=True, description="核验员")
    approver_name = graphene.String(required=True, description="批准人")
    void_reason = graphene.String(required=True, description="作废原因，未作废时为空")
    check_code = graphene.String(required=True, description="验伪校验码")
    pdf_url = graphene.String(required=True, description="下载 PDF 的地址（需登录）")

    class Meta:
        description = "本单位器具的检定证书"

    @staticmethod
    def resolve_id(certificate, info):
        return str(certificate.pk)

    @staticmethod
    def resolve_instrument_id(certificate, info):
        return str(certificate.instrument_id)

    @staticmethod
    def resolve_kind(certificate, info):
        return str(certificate.kind)

    @staticmethod
    def resolve_status(certificate, info):
        return str(certificate.status)

    @staticmethod
    def resolve_kind_label(certificate, info):
        return certificate.get_kind_display()

    @staticmethod
    def resolve_status_label(certificate, info):
        return certificate.get_status_display()

    @staticmethod
    def resolve_pdf_url(certificate, info):
        return pdf_download_url(certificate)


EnterpriseCertificatePage = page_type(EnterpriseCertificate, "EnterpriseCertificatePage", "一页证书")


class CertificateFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Certificate.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Certificate.Status.choices)
    instrument = django_filters.NumberFilter(field_name="instrument_id")
    verified_from = django_filters.DateFilter(field_name="verification_date", lookup_expr="gte")
    verified_to = django_filters.DateFilter(field_name="verification_date", lookup_expr="lte")
    search = django_filters.CharFilter(method="filter_search")

    class Meta:
        model = Certificate
        fields = []

    def filter_search(self, queryset, name, value):
        text = value.strip()[:MAX_SEARCH_LENGTH]
        if not text:
            return queryset
        return queryset.filter(
            Q(number__icontains=text)
            | Q(instrument_name__icontains=text)
            | Q(serial_number__icontains=text)
            | Q(institution_name__icontains=text)
        )


class CertificateFilterInput(graphene.InputObjectType):
    kind = CertificateKind(description="证书类型")
    status = CertificateStatus(description="证书状态")
    instrument_id = graphene.ID(description="只看这台器具的证书")
    verified_from = graphene.Date(description="检定日期起")
    verified_to = graphene.Date(description="检定日期止")
    search = graphene.String(description="模糊查询：证书编号、器具名称、出厂编号或检定机构")

    class Meta:
        description = "证书查询条件"


def _enum_value(value):
    return getattr(value, "value", value)


def filter_certificates(queryset, filter_input) -> "django_filters.FilterSet.qs":
    """Apply ``filter_input`` through CertificateFilterSet; invalid values raise PublicError."""
    data = {}
    for key, value in dict(filter_input or {}).items():
        if value is None or value == "":
            continue
        name = "instrument" if key == "instrument_id" else key
        data[name] = _enum_value(value)
    filterset = CertificateFilterSet(data=data, queryset=queryset)
    if not filterset.is_valid():
        raise PublicError("证书查询条件无效，请检查后重试。", code="INVALID_FILTER")
    return filterset.qs


def certificate_id(value) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    raise PublicError("证书记录编号无效，请刷新列表后重试。", code="INVALID_ID")


class EnterpriseCertificateQuery(graphene.ObjectType):
    my_certificates = graphene.Field(
        EnterpriseCertificatePage,
        required=True,
        filter=CertificateFilterInput(),
        **page_arguments(),
        description="本单位（监管部门为辖区内企业）器具的检定证书，新签发的在前",
    )
    my_certificate = graphene.Field(
        EnterpriseCertificate,
        required=True,
        id=graphene.ID(required=True),
        description="一张证书的详情；不在数据范围内时返回 NOT_FOUND",
    )

    @staticmethod
    def resolve_my_certificates(root, info, filter=None, page=1, page_size=20):
        user = require_business_user(info)
        certificates = scoped(Certificate.objects.all(), user, "certificates.view")
        certificates = filter_certificates(certificates, filter).order_by("-issued_at", "-pk")
        return EnterpriseCertificatePage(**paginate(certificates, page, page_size))

    @staticmethod
    def resolve_my_certificate(root, info, id):
        user = require_business_user(info)
        return get_in_scope(
            Certificate.objects.all(), user, "certificates.view", certificate_id(id), noun="证书"
        )
