"""Filters of the application list, applied after the data scope."""

import django_filters
from django.db.models import Q

from .models import ApplicationStatus, VerificationApplication


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ApplicationStatus.choices)
    search = django_filters.CharFilter(method="filter_search")
    out_of_province = django_filters.BooleanFilter()
    submitted_from = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__gte")
    submitted_to = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte")

    class Meta:
        model = VerificationApplication
        fields = ["status", "out_of_province"]

    def filter_search(self, queryset, name, value):
        """Match the application number, the enterprise or the institution by part of the name."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(institution__name__icontains=value)
            | Q(external_institution_name__icontains=value)
        )
