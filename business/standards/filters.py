"""Filters of the measurement-standard, equipment and regulation-library lists."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone

from business.qualifications.filters import EXPIRING_DAYS, VALIDITY_CHOICES, terms_filter
from business.reference.models import Regulation

from .models import MeasurementStandard, RegulationStatus, StandardEquipment


def _validity(queryset, value, until_field, retired_field="is_retired"):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=EXPIRING_DAYS)
    if value == "valid":
        return queryset.filter(**{retired_field: False, f"{until_field}__gte": today})
    if value == "expiring":
        return queryset.filter(
            **{retired_field: False, f"{until_field}__gte": today, f"{until_field}__lte": soon}
        )
    if value == "expired":
        return queryset.filter(**{retired_field: False, f"{until_field}__lt": today})
    if value == "revoked":
        return queryset.filter(**{retired_field: True})
    return queryset


class MeasurementStandardFilter(django_filters.FilterSet):
    keyword = django_filters.CharFilter(method="filter_keyword", label="名称或证书号")
    validity = django_filters.ChoiceFilter(choices=VALIDITY_CHOICES, method="filter_validity")
    catalogue_item_id = django_filters.NumberFilter(field_name="catalogue_items__id", distinct=True)

    class Meta:
        model = MeasurementStandard
        fields = []

    def filter_keyword(self, queryset, name, value):
        return terms_filter(
            queryset, value, ["name", "certificate_number", "code", "measuring_range"]
        )

    def filter_validity(self, queryset, name, value):
        return _validity(queryset, value, "valid_until")


class StandardEquipmentFilter(django_filters.FilterSet):
    keyword = django_filters.CharFilter(method="filter_keyword", label="名称、编号或溯源证书号")
    standard_id = django_filters.NumberFilter(field_name="standard_id")
    role = django_filters.ChoiceFilter(choices=StandardEquipment.Role.choices)
    validity = django_filters.ChoiceFilter(choices=VALIDITY_CHOICES, method="filter_validity")

    class Meta:
        model = StandardEquipment
        fields = []

    def filter_keyword(self, queryset, name, value):
        return terms_filter(
            queryset, value, ["name", "model", "serial_number", "traceability_certificate_number"]
        )

    def filter_validity(self, queryset, name, value):
        return _validity(queryset, value, "due_on")


class RegulationLibraryFilter(django_filters.FilterSet):
    keyword = django_filters.CharFilter(method="filter_keyword", label="规程号或名称")
    kind = django_filters.CharFilter(field_name="kind")
    status = django_filters.ChoiceFilter(choices=RegulationStatus.choices, method="filter_status")

    class Meta:
        model = Regulation
        fields = []

    def filter_keyword(self, queryset, name, value):
        return terms_filter(queryset, value, ["code", "name"])

    def filter_status(self, queryset, name, value):
        # A regulation without a library entry counts as in force.
        if value == RegulationStatus.IN_FORCE:
            return queryset.filter(
                Q(library_entry__isnull=True) | Q(library_entry__status=RegulationStatus.IN_FORCE)
            )
        return queryset.filter(library_entry__status=value)
