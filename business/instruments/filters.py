"""Combined filters of the ledger list and export (器具台账查询)."""

import django_filters
from django.db import connection
from django.db.models import BooleanField, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from business.reference.models import Division, Usage

from .models import CertificateProblem, CertificateState, Instrument

# Text fields searched by the fuzzy search box.
SEARCH_FIELDS = ("name", "model", "serial_number", "manufacturer", "installation_place")
MAX_SEARCH_LENGTH = 100
MAX_SEARCH_TERMS = 5

# The searchable text as migration 0005 builds the grams from: SEARCH_FIELDS joined
# by spaces, lower-cased. Terms hold no spaces, so a term found in it lies inside
# one field.
_SEARCH_TEXT = (
    "lower("
    + " || ' ' || ".join(f'"instruments_instrument"."{field}"' for field in SEARCH_FIELDS)
    + ")"
)
# Every character pair of the term through the GIN-indexed gram column, then the
# term itself (the pairs may also lie apart in the text).
_TERM_MATCH = (
    '"instruments_instrument"."search_grams" @@ instrument_query(lower(%s)) '
    f"AND strpos({_SEARCH_TEXT}, lower(%s)) > 0"
)


MANDATORY_IN_USE = Q(status=Instrument.Status.IN_USE, catalogue_item__isnull=False)


def expired_condition(today) -> Q:
    return Q(certificate_state=CertificateState.VALID, certificate_valid_until__lt=today)


def flagged_condition(today) -> Q:
    """Mandatory instruments in use whose latest certificate is missing, void, failed or expired.

    Uses the stored copy of the latest certificate (see certificate_state.py), which
    the partial index instrument_certificate_flag covers.
    """
    return MANDATORY_IN_USE & (~Q(certificate_state=CertificateState.VALID) | expired_condition(today))


def problem_condition(problem: str, today) -> Q:
    """Mandatory instruments in use with the CertificateProblem ``problem``."""
    by_problem = {
        CertificateProblem.MISSING: Q(certificate_state=CertificateState.NONE),
        CertificateProblem.VOID: Q(certificate_state=CertificateState.VOID),
        CertificateProblem.RESULT_NOTICE: Q(certificate_state=CertificateState.RESULT_NOTICE),
        CertificateProblem.EXPIRED: expired_condition(today),
        CertificateProblem.VALID: Q(certificate_state=CertificateState.VALID)
        & (Q(certificate_valid_until__isnull=True) | Q(certificate_valid_until__gte=today)),
    }
    return MANDATORY_IN_USE & by_problem[problem]


class InstrumentFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Instrument.Status.choices)
    usage = django_filters.ChoiceFilter(choices=Usage.choices)
    delivery_mode = django_filters.ChoiceFilter(choices=Instrument.DeliveryMode.choices)
    catalogue_item = django_filters.NumberFilter(field_name="catalogue_item_id")
    enterprise = django_filters.NumberFilter(field_name="enterprise_id")
    mandatory = django_filters.BooleanFilter(method="filter_mandatory")
    flagged = django_filters.BooleanFilter(method="filter_flagged")
    certificate_problem = django_filters.ChoiceFilter(
        choices=CertificateProblem.choices, method="filter_certificate_problem"
    )
    division = django_filters.CharFilter(method="filter_division")
    service_life_end_before = django_filters.DateFilter(
        field_name="service_life_end", lookup_expr="lte"
    )
    search = django_filters.CharFilter(method="filter_search")

    class Meta:
        model = Instrument
        fields = []

    def filter_queryset(self, queryset):
        if self.contradicts_ledger_rules():
            return queryset.none()
        return super().filter_queryset(queryset)

    def contradicts_ledger_rules(self) -> bool:
        """Tell whether the filters exclude each other by the ledger's own rules.

        Flagged instruments and certificate problems are among mandatory instruments
        in use only, and a usage or catalogue item makes an instrument mandatory
        (validation._check_mandatory_pair). PostgreSQL cannot see that such filters
        exclude each other and reads the whole scope to find nothing.
        """
        data = self.form.cleaned_data
        needs_mandatory_in_use = data.get("flagged") is True or bool(data.get("certificate_problem"))
        implies_mandatory = needs_mandatory_in_use or bool(data.get("usage")) or bool(
            data.get("catalogue_item")
        )
        if implies_mandatory and data.get("mandatory") is False:
            return True
        status = data.get("status")
        return needs_mandatory_in_use and bool(status) and status != Instrument.Status.IN_USE

    def filter_mandatory(self, queryset, name, value):
        # Two thirds of a ledger is mandatory, so the catalogue item's index cannot
        # narrow the rows. Written as a comparison, the condition cannot use that
        # index: at 1,000,000 instruments PostgreSQL was seen to AND a bitmap of
        # 670,000 rows from it into a text search, which cost 50 ms and removed nothing.
        has_item = GreaterThan(Coalesce("catalogue_item_id", Value(0)), 0)
        return queryset.filter(has_item) if value else queryset.exclude(has_item)

    def filter_flagged(self, queryset, name, value):
        condition = flagged_condition(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_certificate_problem(self, queryset, name, value):
        # Only mandatory instruments in use need a certificate, so the problem is
        # looked for among them.
        return queryset.filter(problem_condition(value, timezone.localdate()))

    def filter_division(self, queryset, name, value):
        """Keep instruments used in the division ``value`` or any division below it."""
        code = value.strip()
        if not code:
            return queryset
        return queryset.filter(division_id__in=Division.collect_descendant_codes(code))

    def filter_search(self, queryset, name, value):
        """Keep rows where each space-separated term appears in one of SEARCH_FIELDS.

        On PostgreSQL the gram index first keeps the rows whose text contains every
        character pair of the term (its only character, for a one-character term),
        and a substring test then keeps those that contain the term. Elsewhere each
        field is tested with ILIKE.
        """
        terms = value[:MAX_SEARCH_LENGTH].split()[:MAX_SEARCH_TERMS]
        for term in terms:
            if connection.vendor == "postgresql":
                match = RawSQL(_TERM_MATCH, [term, term], output_field=BooleanField())
                queryset = queryset.filter(match)
                continue
            condition = Q()
            for field_name in SEARCH_FIELDS:
                condition |= Q(**{f"{field_name}__icontains": term})
            queryset = queryset.filter(condition)
        return queryset
