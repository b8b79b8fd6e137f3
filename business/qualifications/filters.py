"""Filters of the qualification lists (django-filter), and the capability look-up's."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone

from business.reference.models import Division

from .models import AuthorisationCertificate, AuthorisedItem, FeeStandard, StaffQualification

VALIDITY_CHOICES = [
    ("valid", "有效"),
    ("expiring", "90 天内到期"),
    ("expired", "已过期"),
    ("revoked", "已撤销或注销"),
]
EXPIRING_DAYS = 90


def filter_validity(queryset, value, *, revoked_field="is_revoked", until_field="valid_until"):
    """Filter rows with a validity period and a revoked flag by the VALIDITY_CHOICES value."""
    today = timezone.localdate()
    if value == "valid":
        return queryset.filter(**{revoked_field: False, f"{until_field}__gte": today})
    if value == "expiring":
        return queryset.filter(
            **{
                revoked_field: False,
                f"{until_field}__gte": today,
                f"{until_field}__lte": today + datetime.timedelta(days=EXPIRING_DAYS),
            }
        )
    if value == "expired":
        return queryset.filter(**{revoked_field: False, f"{until_field}__lt": today})
    if value == "revoked":
        return queryset.filter(**{revoked_field: True})
    return queryset


def terms_filter(queryset, text: str, lookups: list[str]):
    """Every whitespace-separated term must match at least one of ``lookups`` (icontains)."""
    for term in text.split():
        condition = Q()
        for lookup in lookups:
            condition |= Q(**{f"{lookup}__icontains": term})
        queryset = queryset.filter(condition)
    return queryset


class AuthorisationFilter(django_filters.FilterSet):
    keyword = django_filters.CharFilter(method="filter_keyword", label="关键词")
    validity = django_filters.ChoiceFilter(
        choices=VALIDITY_CHOICES, method="filter_validity", label="状态"
    )

    class Meta:
        model = AuthorisationCertificate
        fields = []

    def filter_keyword(self, queryset, name, value):
        matching = terms_filter(
            AuthorisedItem.objects.all(),
            value,
            [
                "instrument_name",
                "catalogue_item__item_name",
                "regulation__code",
                "regulation__name",
            ],
        ).values("authorisation_id")
        return queryset.filter(
            Q(number__icontains=value) | Q(issuing_authority__icontains=value) | Q(pk__in=matching)
        )

    def filter_validity(self, queryset, name, value):
        return filter_validity(queryset, value)


class StaffQualificationFilter(django_filters.FilterSet):
    keyword = django_filters.CharFilter(method="filter_keyword", label="姓名或证书编号")
    kind = django_filters.ChoiceFilter(choices=StaffQualification.Kind.choices, label="资格类型")
    user_id = django_filters.NumberFilter(field_name="user_id", label="人员")
    catalogue_item_id = django_filters.NumberFilter(
        field_name="catalogue_items__id", label="项目", distinct=True
    )
    validity = django_filters.ChoiceFilter(
        choices=VALIDITY_CHOICES, method="filter_validity", label="状态"
    )

    class Meta:
        model = StaffQualification
        fields = []

    def filter_keyword(self, queryset, name, value):
        return terms_filter(queryset, value, ["user__display_name", "number"])

    def filter_validity(self, queryset, name, value):
        return filter_validity(queryset, value)


class FeeStandardFilter(django_filters.FilterSet):
    keyword = django_filters.CharFilter(method="filter_keyword", label="收费项目")
    active_only = django_filters.BooleanFilter(method="filter_active_only", label="只看执行中")

    class Meta:
        model = FeeStandard
        fields = []

    def filter_keyword(self, queryset, name, value):
        return terms_filter(queryset, value, ["item_name", "catalogue_item__item_name", "basis"])

    def filter_active_only(self, queryset, name, value):
        return queryset.filter(is_active=True) if value else queryset


class CapabilityFilter(django_filters.FilterSet):
    """The capability look-up: each dimension narrows, text terms match any field."""

    keyword = django_filters.CharFilter(method="filter_keyword", label="关键词")
    instrument_name = django_filters.CharFilter(method="filter_instrument", label="器具名称")
    catalogue_item_id = django_filters.NumberFilter(
        method="filter_catalogue_item", label="目录项目"
    )
    division_code = django_filters.CharFilter(method="filter_division", label="所在地区（含下级）")
    institution_id = django_filters.NumberFilter(
        field_name="authorisation__institution_id", label="技术机构"
    )
    institution_name = django_filters.CharFilter(
        field_name="authorisation__institution__name", lookup_expr="icontains", label="机构名称"
    )
    measuring_range = django_filters.CharFilter(
        field_name="measuring_range", lookup_expr="icontains", label="测量范围"
    )

    class Meta:
        model = AuthorisedItem
        fields = []

    def filter_keyword(self, queryset, name, value):
        return terms_filter(
            queryset,
            value,
            [
                "instrument_name",
                "catalogue_item__item_name",
                "catalogue_item__kinds",
                "regulation__code",
                "regulation__name",
                "measuring_range",
                "authorisation__institution__name",
                "authorisation__institution__division__name",
            ],
        )

    def filter_instrument(self, queryset, name, value):
        return terms_filter(
            queryset,
            value,
            ["instrument_name", "catalogue_item__item_name", "catalogue_item__kinds"],
        )

    def filter_catalogue_item(self, queryset, name, value):
        item_id = int(value)
        return queryset.filter(
            Q(catalogue_item_id=item_id)
            | Q(catalogue_item__isnull=True, regulation__catalogue_items__id=item_id)
        ).distinct()

    def filter_division(self, queryset, name, value):
        return queryset.filter(
            authorisation__institution__division__in=Division.collect_descendant_codes(value)
        )
