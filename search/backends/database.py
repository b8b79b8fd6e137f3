"""Search in the SearchDocument table: PostgreSQL gram index or plain substring match.

PostgreSQL (and KingbaseES in PostgreSQL mode) has no Chinese text-search
configuration without an extension. The grams are therefore built in Python and
written as a tsvector literal, so no parser, dictionary or extension is involved. The GIN index on
that column narrows the candidates and a LIKE on the normalised text then keeps only
rows that contain every query term as a substring.
"""

from django.contrib.postgres.search import SearchQueryField
from django.db import connection
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

from cms.readership import audience_filter

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

    def visible(self, query: ParsedQuery):
        """Return the rows the reader may see, narrowed to the requested kind and section."""
        rows = SearchDocument.objects.filter(audience_filter(query.reader))
        if query.kind:
            rows = rows.filter(kind=query.kind)
        if query.section:
            rows = rows.filter(kind=SearchDocument.Kind.PAGE, section=query.section)
        return rows

    def filtered(self, query: ParsedQuery, *, use_vector: bool | None = None):
        use_vector = self.use_vector if use_vector is None else use_vector
        rows = self.visible(query)

        condition = Q(pk__in=[])
        text_condition, tsquery = _text_condition(query, use_vector=use_vector)
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
        counted = self.count(rows, query)
        page = self.candidates(rows, query, counted)
        page = self.ordered(page, query, tsquery).defer("search_text", "search_vector")
        page = page[query.offset : query.offset + query.limit]

        hits = [
            SearchHit(
                kind=row.kind,
                object_id=row.object_id,
                title=row.title,
                url=row.url,
                body=row.body,
                updated_at=row.updated_at,
                section=row.section,
            )
            for row in page
        ]
        return BackendResults(
            hits=hits, total=min(counted, TOTAL_CAP), total_is_capped=counted > TOTAL_CAP
        )


    def count(self, rows, query: ParsedQuery) -> int:
        return rows.order_by().values("pk")[: TOTAL_CAP + 1].count()

    def candidates(self, rows, query: ParsedQuery, counted: int):
        """Return the rows the results page is ranked from: all matches here."""
        return rows


class PostgresBackend(DatabaseBackend):
    """Gram search through the GIN-indexed tsvector column, ranked by ts_rank and age.

    A broad query (more than RANK_WINDOW matches, typical for one or two common
    characters) is ranked among its RANK_WINDOW newest matches only. Ranking every
    match costs one ts_rank per row, which took over a second for 80,000 matches of
    100,000 documents, while the newest matches come from the updated_at index and
    the exact substring check alone.
    """

    use_vector = True
    RANK_WINDOW = 200

    def count(self, rows, query: ParsedQuery) -> int:
        """Count text matches and certificate matches apart, each through its own index.

        Counted together, the OR of both conditions becomes a filter that PostgreSQL
        evaluates on every fetched row, decompressing each row's tsvector (about 90 ms
        for 10,000 matches). Counted apart, the tsvector condition stays an index
        condition. The planner also costs "search_vector @@ query" as cheap and would
        pick a sequential scan for common grams, so sequential scans are switched off
        for the text count.
        """
        visible = self.visible(query)
        total = 0
        text_condition, _ = _text_condition(query, use_vector=True)
        if text_condition is not None:
            text_rows = visible.exclude(kind=SearchDocument.Kind.CERTIFICATE).filter(text_condition)
            with connection.cursor() as cursor:
                cursor.execute("SET enable_seqscan = off")
                try:
                    total += super().count(text_rows, query)
                finally:
                    cursor.execute("RESET enable_seqscan")
        if query.exact_key:
            certificates = visible.filter(
                kind=SearchDocument.Kind.CERTIFICATE, exact_key=query.exact_key
            )
            total += super().count(certificates, query)
        return total

    def candidates(self, rows, query: ParsedQuery, counted: int):
        window = max(self.RANK_WINDOW, query.offset + query.limit)
        if counted <= window:
            return rows
        newest, _ = self.filtered(query, use_vector=False)
        ids = list(newest.order_by("-updated_at", "-id").values_list("pk", flat=True)[:window])
        return SearchDocument.objects.filter(pk__in=ids)

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
