"""Search in the SearchDocument table: PostgreSQL gram index or plain substring match.

PostgreSQL (and KingbaseES in PostgreSQL mode) has no Chinese text-search
configuration without an extension. The grams are therefore built in Python and
written as a tsvector literal, so no parser, dictionary or extension is involved. The GIN index on
that column narrows the candidates and a LIKE on the normalised text then keeps only
rows that contain every query term as a substring.
"""

from django.contrib.postgres.search import SearchQueryField
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast

from .. import text
from ..models import SearchDocument
from .base import TOTAL_CAP, BackendResults, ParsedQuery, SearchBackend, SearchHit

SECONDS_PER_YEAR = 365 * 86400


class _Matches(Func):
    """``tsvector @@ tsquery`` as a boolean expression."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class _AgeSeconds(Func):
    template = "GREATEST(EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP - %(expressions)s)), 0)"
    output_field = FloatField()


def _text_condition(query: ParsedQuery, *, use_vector: bool) -> tuple[Q | None, str | None]:
    """Return the filter for pages, institutions and regulations and the tsquery literal.

    Both are None when no term contains a letter, digit or Chinese character: such a
    query can only match punctuation, which the index does not cover.
    """
    grams: list[text.QueryGram] = []
    for term in query.terms:
        grams.extend(gram for gram in text.query_grams(term) if gram not in grams)
    if not grams:
        return None, None

    condition = Q()
    for term in query.terms:
        condition &= Q(search_text__contains=term)
    tsquery = text.tsquery_literal(grams)
    if use_vector:
        condition &= Q(_Matches(F("search_vector"), Cast(Value(tsquery), SearchQueryField())))
    return condition, tsquery


class DatabaseBackend(SearchBackend):
    """Substring search without an index: fine for the SQLite demo database."""

    name = "database"
    use_vector = False

    def filtered(self, query: ParsedQuery):
        rows = SearchDocument.objects.filter(visibility=SearchDocument.Visibility.PUBLIC)
        if query.kind:
            rows = rows.filter(kind=query.kind)

        condition = Q(pk__in=[])
        text_condition, tsquery = _text_condition(query, use_vector=self.use_vector)
        if text_condition is not None:
            condition |= ~Q(kind=SearchDocument.Kind.CERTIFICATE) & text_condition
        if query.exact_key:
            condition |= Q(kind=SearchDocument.Kind.CERTIFICATE, exact_key=query.exact_key)
        return rows.filter(condition), tsquery

    def ordered(self, rows, query: ParsedQuery, tsquery: str | None):
        title_hit = Case(
            When(title__icontains=query.terms[0], then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        return rows.annotate(title_hit=title_hit).order_by("-title_hit", "-updated_at", "-id")

    def search(self, query: ParsedQuery) -> BackendResults:
        rows, tsquery = self.filtered(query)

        # Counting stops at TOTAL_CAP + 1 rows: an exact count of a broad match is the
        # slow part of a search, and "10000+" is all a reader needs.
        counted = rows.order_by().values("pk")[: TOTAL_CAP + 1].count()
        page = self.ordered(rows, query, tsquery).defer("search_text", "search_vector")
        page = page[query.offset : query.offset + query.limit]

        hits = [
            SearchHit(
                kind=row.kind,
                object_id=row.object_id,
                title=row.title,
                url=row.url,
                body=row.body,
                updated_at=row.updated_at,
            )
            for row in page
        ]
        return BackendResults(
            hits=hits, total=min(counted, TOTAL_CAP), total_is_capped=counted > TOTAL_CAP
        )


class PostgresBackend(DatabaseBackend):
    """Gram search through the GIN-indexed tsvector column, ranked by ts_rank and age."""

    use_vector = True

    def ordered(self, rows, query: ParsedQuery, tsquery: str | None):
        if tsquery is None:
            # Only an exact certificate number can match: newest first is enough.
            return rows.order_by("-updated_at", "-id")

        rank = Func(
            F("search_vector"),
            Cast(Value(tsquery), SearchQueryField()),
            function="ts_rank",
            output_field=FloatField(),
        )
        # A document one year old scores half as much as one updated now. Certificates
        # have no grams in their vector, so an exact number match gets rank 1 instead.
        score = Case(
            When(kind=SearchDocument.Kind.CERTIFICATE, then=Value(1.0)),
            default=rank,
            output_field=FloatField(),
        ) / (Value(1.0) + _AgeSeconds(F("updated_at")) / Value(float(SECONDS_PER_YEAR)))
        return rows.annotate(score=score).order_by("-score", "-updated_at", "-id")
