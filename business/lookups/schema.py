"""Public convenience look-ups (便民服务): paginated lists with fuzzy filters, no sign-in.

Every query is rate-limited per client address. Only public facts are returned:
institutions and enterprises by name and division, people by name and employer.
Certificate authenticity and measurement results are checked by the existing
``certificateCheck`` query.
"""

import django_filters
import graphene
from django.apps import apps
from django.conf import settings
from django.db.models import Q

from business.core import ratelimit
from business.core.api.errors import PublicError, RateLimitedError
from business.core.api.pagination import page_arguments, page_type, paginate
from business.organisations.models import Organisation
from business.reference.models import Division

from .models import CommitteeExpert, Manufacturer, SelfDeclaration

KEYWORD_MAX_LENGTH = 50


def _check_rate(info) -> None:
    allowed = ratelimit.hit(
        "lookups",
        ratelimit.client_ip(info.context),
        limit=settings.LOOKUP_RATE_LIMIT,
        window_seconds=settings.LOOKUP_RATE_WINDOW_SECONDS,
    )
    if not allowed:
        raise RateLimitedError()


def _keyword(value) -> str:
    value = (value or "").strip()
    if len(value) > KEYWORD_MAX_LENGTH:
        raise PublicError(
            f"查询关键字最多 {KEYWORD_MAX_LENGTH} 个字，请缩短后重试。", code="INVALID_ARGUMENT"
        )
    return value


def _within(division_code) -> frozenset[str] | None:
    """Return the codes of a division and those below it, or None when no division was chosen."""
    code = (division_code or "").strip()
    if not code:
        return None
    if not Division.objects.filter(code=code).exists():
        raise PublicError("所选行政区划不存在，请重新选择。", code="INVALID_ARGUMENT")
    return Division.collect_descendant_codes(code)


class LookupFilter(django_filters.FilterSet):
    """Fuzzy name filter plus division-and-below, shared by the organisation look-ups."""

    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Organisation
        fields = ["name"]


InstitutionService = graphene.Enum(
    "LookupInstitutionService",
    [("VERIFICATION", "verification"), ("CALIBRATION", "calibration")],
    description="服务类型：法定计量检定或校准",
)


class LookupInstitutionType(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    division_name = graphene.String(required=True)
    address = graphene.String(required=True)
    authorisation_number = graphene.String(required=True, description="计量授权证书号")
    offers_verification = graphene.Boolean(required=True)
    offers_calibration = graphene.Boolean(required=True)
    service_scope = graphene.String(required=True)
    service_phone = graphene.String(required=True, description="单位业务咨询电话（座机）")

    class Meta:
        name = "LookupInstitution"
        description = "技术机构或校准机构"


class LookupOrganisationType(graphene.ObjectType):
    name = graphene.String(required=True)
    division_name = graphene.String(required=True)

    class Meta:
        name = "LookupInstrumentUser"
        description = "计量器具使用单位（只含名称和所在地）"


class LookupExpertType(graphene.ObjectType):
    name = graphene.String(required=True)
    committee = graphene.String(required=True)
    specialty = graphene.String(required=True)
    employer = graphene.String(required=True)
    title = graphene.String(required=True)

    class Meta:
        name = "LookupExpert"
        description = "计量技术委员会专家"


class LookupStaffType(graphene.ObjectType):
    name = graphene.String(required=True)
    institution_name = graphene.String(required=True)
    qualification = graphene.String(required=True, description="资格类型")

    class Meta:
        name = "LookupTechnicalStaff"
        description = "技术人员（只含姓名、所在机构和资格类型）"


class LookupManufacturerType(graphene.ObjectType):
    name = graphene.String(required=True)
    division_name = graphene.String(required=True)
    products = graphene.String(required=True)
    pattern_approval_numbers = graphene.String(required=True)

    class Meta:
        name = "LookupManufacturer"
        description = "计量器具生产企业"


class LookupDeclarationType(graphene.ObjectType):
    enterprise_name = graphene.String(required=True)
    division_name = graphene.String(required=True)
    products = graphene.String(required=True)
    declaration_number = graphene.String(required=True)
    declared_on = graphene.Date(required=True)
    status_label = graphene.String(required=True)

    class Meta:
        name = "LookupSelfDeclaration"
        description = "定量包装商品生产企业计量保证能力自我声明"


InstitutionPage = page_type(LookupInstitutionType, "LookupInstitutionPage", "一页技术机构")
InstrumentUserPage = page_type(LookupOrganisationType, "LookupInstrumentUserPage", "一页使用单位")
ExpertPage = page_type(LookupExpertType, "LookupExpertPage", "一页专家")
StaffPage = page_type(LookupStaffType, "LookupTechnicalStaffPage", "一页技术人员")
ManufacturerPage = page_type(LookupManufacturerType, "LookupManufacturerPage", "一页生产企业")
DeclarationPage = page_type(LookupDeclarationType, "LookupSelfDeclarationPage", "一页自我声明")


def _name_and_division_arguments(name_description: str) -> dict:
    return {
        **page_arguments(),
        "name": graphene.String(description=name_description),
        "division_code": graphene.String(description="行政区划代码，含下级区划"),
    }


def _organisations(kind, name, division_code):
    queryset = Organisation.objects.filter(kind=kind, is_active=True)
    queryset = LookupFilter(data={"name": _keyword(name)}, queryset=queryset).qs
    codes = _within(division_code)
    if codes is not None:
        queryset = queryset.filter(division__in=codes)
    return queryset.select_related("division").order_by("name", "pk")


def _institution(item: Organisation) -> LookupInstitutionType:
    profile = getattr(item, "lookup_profile", None)
    return LookupInstitutionType(
        id=str(item.pk),
        name=item.name,
        division_name=item.division.name,
        address=item.address,
        authorisation_number=item.authorisation_number,
        # Without a profile an institution counts as a legal verification institution.
        offers_verification=profile.offers_verification if profile else True,
        offers_calibration=profile.offers_calibration if profile else False,
        service_scope=profile.service_scope if profile else "",
        service_phone=profile.service_phone if profile else "",
    )


class LookupQuery(graphene.ObjectType):
    lookup_institutions = graphene.Field(
        InstitutionPage,
        required=True,
        **_name_and_division_arguments("机构名称关键字"),
        service=graphene.Argument(InstitutionService),
        description="技术机构和校准机构查询",
    )
    lookup_instrument_users = graphene.Field(
        InstrumentUserPage,
        required=True,
        **_name_and_division_arguments("单位名称关键字"),
        description="计量器具使用单位查询（只返回名称和所在地）",
    )
    lookup_experts = graphene.Field(
        ExpertPage,
        required=True,
        **page_arguments(),
        name=graphene.String(description="姓名关键字"),
        specialty=graphene.String(description="专业领域或委员会关键字"),
        description="计量技术委员会专家查询",
    )
    lookup_technical_staff = graphene.Field(
        StaffPage,
        required=True,
        **page_arguments(),
        name=graphene.String(description="姓名关键字"),
        institution=graphene.String(description="机构名称关键字"),
        description="技术机构持证人员查询（只返回姓名、机构和资格类型）",
    )
    lookup_manufacturers = graphene.Field(
        ManufacturerPage,
        required=True,
        **_name_and_division_arguments("企业名称关键字"),
        product=graphene.String(description="产品关键字"),
        description="计量器具生产企业查询",
    )
    lookup_self_declarations = graphene.Field(
        DeclarationPage,
        required=True,
        **_name_and_division_arguments("企业名称关键字"),
        product=graphene.String(description="商品关键字"),
        description="定量包装商品自我声明查询",
    )

    @staticmethod
    def resolve_lookup_institutions(
        root, info, page, page_size, name=None, division_code=None, service=None
    ):
        _check_rate(info)
        queryset = _organisations(Organisation.Kind.INSTITUTION, name, division_code)
        service = getattr(service, "value", service)
        if service == "calibration":
            queryset = queryset.filter(lookup_profile__offers_calibration=True)
        elif service == "verification":
            queryset = queryset.filter(
                Q(lookup_profile__isnull=True) | Q(lookup_profile__offers_verification=True)
            )
        result = paginate(queryset.select_related("lookup_profile"), page, page_size)
        result["items"] = [_institution(item) for item in result["items"]]
        return InstitutionPage(**result)

    @staticmethod
    def resolve_lookup_instrument_users(root, info, page, page_size, name=None, division_code=None):
        _check_rate(info)
        queryset = _organisations(Organisation.Kind.ENTERPRISE, name, division_code)
        result = paginate(queryset, page, page_size)
        result["items"] = [
            LookupOrganisationType(name=item.name, division_name=item.division.name)
            for item in result["items"]
        ]
        return InstrumentUserPage(**result)

    @staticmethod
    def resolve_lookup_experts(root, info, page, page_size, name=None, specialty=None):
        _check_rate(info)
        queryset = CommitteeExpert.objects.filter(is_active=True)
        if text := _keyword(name):
            queryset = queryset.filter(name__icontains=text)
        if text := _keyword(specialty):
            queryset = queryset.filter(Q(specialty__icontains=text) | Q(committee__icontains=text))
        result = paginate(queryset.order_by("committee", "name", "pk"), page, page_size)
        result["items"] = [
            LookupExpertType(
                name=item.name,
                committee=item.committee,
                specialty=item.specialty,
                employer=item.employer,
                title=item.title,
            )
            for item in result["items"]
        ]
        return ExpertPage(**result)

    @staticmethod
    def resolve_lookup_technical_staff(root, info, page, page_size, name=None, institution=None):
        _check_rate(info)
        name, institution = _keyword(name), _keyword(institution)
        if not apps.is_installed("business.qualifications"):
            # TODO: list staff once the qualifications app (staff qualifications) is installed.
            return StaffPage(items=[], total_count=0, page=page, page_size=page_size)
        from business.qualifications.models import StaffQualification

        queryset = StaffQualification.objects.filter(
            is_revoked=False, user__organisation__kind=Organisation.Kind.INSTITUTION
        ).select_related("user__organisation")
        if name:
            queryset = queryset.filter(user__display_name__icontains=name)
        if institution:
            queryset = queryset.filter(user__organisation__name__icontains=institution)
        result = paginate(queryset.order_by("user__display_name", "pk"), page, page_size)
        result["items"] = [
            LookupStaffType(
                name=item.user.display_name,
                institution_name=item.user.organisation.name,
                qualification=item.get_kind_display(),
            )
            for item in result["items"]
        ]
        return StaffPage(**result)

    @staticmethod
    def resolve_lookup_manufacturers(
        root, info, page, page_size, name=None, division_code=None, product=None
    ):
        _check_rate(info)
        queryset = Manufacturer.objects.select_related("division")
        if text := _keyword(name):
            queryset = queryset.filter(name__icontains=text)
        if text := _keyword(product):
            queryset = queryset.filter(products__icontains=text)
        codes = _within(division_code)
        if codes is not None:
            queryset = queryset.filter(division__in=codes)
        result = paginate(queryset.order_by("name", "pk"), page, page_size)
        result["items"] = [
            LookupManufacturerType(
                name=item.name,
                division_name=item.division.name,
                products=item.products,
                pattern_approval_numbers=item.pattern_approval_numbers,
            )
            for item in result["items"]
        ]
        return ManufacturerPage(**result)

    @staticmethod
    def resolve_lookup_self_declarations(
        root, info, page, page_size, name=None, division_code=None, product=None
    ):
        _check_rate(info)
        queryset = SelfDeclaration.objects.select_related("division")
        if text := _keyword(name):
            queryset = queryset.filter(enterprise_name__icontains=text)
        if text := _keyword(product):
            queryset = queryset.filter(products__icontains=text)
        codes = _within(division_code)
        if codes is not None:
            queryset = queryset.filter(division__in=codes)
        result = paginate(queryset.order_by("-declared_on", "pk"), page, page_size)
        result["items"] = [
            LookupDeclarationType(
                enterprise_name=item.enterprise_name,
                division_name=item.division.name,
                products=item.products,
                declaration_number=item.declaration_number,
                declared_on=item.declared_on,
                status_label=item.get_status_display(),
            )
            for item in result["items"]
        ]
        return DeclarationPage(**result)
