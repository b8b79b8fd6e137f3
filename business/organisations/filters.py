"""django-filter FilterSets of the organisation and business-user lists.

The GraphQL resolvers pass their filter input as the FilterSet's data. Attribute
filters are applied separately (``filter_by_attributes``) because they are a list.
"""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from business.access.models import RoleAssignment
from business.accounts.models import BusinessUser
from business.core.api.errors import PublicError
from business.reference.models import Division

from . import attributes as attribute_values
from .models import Organisation, OrganisationAttribute

KEYWORD_MAX_LENGTH = 100


class OrganisationFilter(django_filters.FilterSet):
    keyword = django_filters.CharFilter(method="filter_keyword", max_length=KEYWORD_MAX_LENGTH)
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices)
    division_code = django_filters.CharFilter(method="filter_division")
    include_subdivisions = django_filters.BooleanFilter(method="ignore")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Organisation
        fields = ["kind", "is_active"]

    def filter_keyword(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value))

    def filter_division(self, queryset, name, value):
        if not value:
            return queryset
        if self.data.get("include_subdivisions"):
            return queryset.filter(division_id__in=Division.collect_descendant_codes(value))
        return queryset.filter(division_id=value)

    def ignore(self, queryset, name, value):
        return queryset


class BusinessUserFilter(django_filters.FilterSet):
    keyword = django_filters.CharFilter(method="filter_keyword", max_length=KEYWORD_MAX_LENGTH)
    organisation_id = django_filters.NumberFilter(field_name="organisation_id")
    is_active = django_filters.BooleanFilter()
    locked = django_filters.BooleanFilter(method="filter_locked")
    role_id = django_filters.NumberFilter(method="filter_role")

    class Meta:
        model = BusinessUser
        fields = ["is_active"]

    def filter_keyword(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(username__icontains=value) | Q(display_name__icontains=value))

    def filter_role(self, queryset, name, value):
        # EXISTS instead of a join: a join repeats users and needs DISTINCT over every
        # column, which sorted the whole filtered list for each page.
        assignments = RoleAssignment.objects.filter(user=OuterRef("pk"), role_id=value)
        return queryset.filter(Exists(assignments))

    def filter_locked(self, queryset, name, value):
        condition = Q(locked_until__gt=timezone.now())
        return queryset.filter(condition) if value else queryset.exclude(condition)


def apply(filterset_class, queryset, data: dict):
    """Filter ``queryset`` with ``data``, raising a PublicError that names a rejected field."""
    filterset = filterset_class(
        data={k: v for k, v in data.items() if v is not None}, queryset=queryset
    )
    if not filterset.is_valid():
        fields = "、".join(filterset.errors)
        raise PublicError(f"查询条件无效：{fields}，请修改后重试。", code="INVALID_FILTER")
    return filterset.qs


def filter_by_attributes(queryset, conditions) -> object:
    """Keep organisations whose attribute values match every ``(key, value)`` condition."""
    if not conditions:
        return queryset
    by_key = {attribute.key: attribute for attribute in OrganisationAttribute.objects.all()}
    for key, value in conditions:
        if value is None or str(value).strip() == "":
            continue
        attribute = by_key.get(key)
        if attribute is None:
            raise PublicError(
                f"查询条件中的属性 {key} 不存在，请刷新后重试。", code="INVALID_FILTER"
            )
        try:
            condition = attribute_values.filter_condition(attribute, value)
        except ValueError as error:
            raise PublicError(str(error), code="INVALID_FILTER") from None
        queryset = queryset.filter(condition, kind=attribute.organisation_kind)
    return queryset
