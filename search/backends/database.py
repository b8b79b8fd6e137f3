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

from business.core.statistics import element_frequencies
from cms.readership import audience_filter

from .. import text
from ..models import SearchDocument
from .base import TOTAL_CAP, BackendResults, ParsedQuery, SearchBackend, SearchHit

SECONDS_PER_YEAR = 365 * 86400


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
        # slow part of a search, and "1000+" is all a reader needs.
        counted = rows.order_by().values("pk")[: TOTAL_CAP + 1].count()
        return self.results(self.ordered(rows, query, tsquery), query, counted)

    def results(self, ordered_rows, query: ParsedQuery, counted: int) -> BackendResults:
        """Build the results from the requested page of ``ordered_rows`` and the capped count."""
        page = ordered_rows.defer("search_text", "search_vector")
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
            for row in page[query.offset : query.offset + query.limit]
        ]
        return BackendResults(
            hits=hits, total=min(counted, TOTAL_CAP), total_is_capped=counted > TOTAL_CAP
        )


class PostgresBackend(DatabaseBackend):
    """Gram search through the GIN-indexed tsvector column, ranked by ts_rank and age.

    Results are ranked among at most RANK_WINDOW candidates, chosen one of two ways:

    * A broad query (its grams occur in at least BROAD_SHARE of the documents by the
      planner's statistics, typical for one or two common characters) takes the
      newest matches: the newest WALK_ROWS visible rows are read in updated_at order
      and tested with the substring check alone, which stops after RANK_WINDOW
      matches, a few hundred rows in. Its total is shown as TOTAL_CAP or more.
    * Any other query, or a broad one whose newest rows hold too few matches, reads
      up to TOTAL_CAP + 1 matches through the GIN index and keeps the newest.

    Through the index, a broad query costs a bitmap of every matching row before the
    first one is returned (over 200 ms at 1,000,000 documents); reading the newest
    rows in order costs a few milliseconds. The other way round, a rare term would
    read all WALK_ROWS rows and find nothing, so the statistics pick the way first.
    """

    use_vector = True
    RANK_WINDOW = 200
    WALK_ROWS = 10_000
    BROAD_SHARE = 0.02
    def search(self, query: ParsedQuery) -> BackendResults:
        window = max(self.RANK_WINDOW, query.offset + query.limit)
        text_condition, tsquery = _text_condition(query, use_vector=True)
        ids, counted = self.text_matches(query, text_condition, window)
        if query.exact_key:
            certificates = self.visible(query).filter(
                kind=SearchDocument.Kind.CERTIFICATE, exact_key=query.exact_key
            )
            certificate_ids = list(certificates.values_list("pk", flat=True)[: TOTAL_CAP + 1])
            ids += certificate_ids
            counted += len(certificate_ids)

        candidates = SearchDocument.objects.filter(pk__in=ids)
        return self.results(self.ordered(candidates, query, tsquery), query, counted)

    def text_matches(self, query: ParsedQuery, text_condition, window: int) -> tuple[list[int], int]:
        """Return the ids of up to ``window`` candidate pages, institutions and regulations, and their count.

        ``text_condition`` comes from _text_condition(); the count stops at TOTAL_CAP + 1.
        """
        if text_condition is None:
            return [], 0
        rows = self.visible(query).exclude(kind=SearchDocument.Kind.CERTIFICATE)

        if self.looks_broad(query):
            newest = self.newest_matches(rows, query, window + 1)
            if len(newest) > window:
                return newest[:window], TOTAL_CAP + 1

        with connection.cursor() as cursor:
            # The planner costs "search_vector @@ query" as cheap and would read
            # every row in turn, decompressing each vector, instead of the index.
            cursor.execute("SET enable_seqscan = off")
            try:
                matches = list(
                    rows.filter(text_condition)
                    .order_by()
                    .values_list("pk", "updated_at")[: TOTAL_CAP + 1]
                )
            finally:
                cursor.execute("RESET enable_seqscan")
        matches.sort(key=lambda match: (match[1], match[0]), reverse=True)
        return [pk for pk, _ in matches[:window]], len(matches)

    def newest_matches(self, rows, query: ParsedQuery, limit: int) -> list[int]:
        """Return the ids of the newest ``limit`` rows among the newest WALK_ROWS that contain every term.

        Only the substring check runs on each row, in updated_at order, so PostgreSQL
        stops reading as soon as ``limit`` rows have matched.
        """
        recent = rows.order_by("-updated_at", "-id").values("id", "updated_at", "search_text")
        recent_sql, params = recent[: self.WALK_ROWS].query.sql_with_params()
        conditions = " AND ".join("recent.search_text LIKE %s ESCAPE '\\'" for _ in query.terms)
        patterns = ["%" + _escape_like(term) + "%" for term in query.terms]
        sql = (
            f"SELECT recent.id FROM ({recent_sql}) AS recent WHERE {conditions} "
            "ORDER BY recent.updated_at DESC, recent.id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *patterns, limit])
            return [pk for (pk,) in cursor.fetchall()]

    def looks_broad(self, query: ParsedQuery) -> bool:
        """Guess from the gram frequencies whether BROAD_SHARE of the documents match.

        A term is as frequent as its rarest gram, and terms are taken as independent.
        Grams missing from the statistics are rarer than every gram listed there.
        """
        frequencies = self.gram_frequencies()
        share = 1.0
        for term in query.terms:
            grams = text.query_grams(term)
            if not grams:
                continue
            share *= min(frequencies.get(gram.lexeme, 0.0) for gram in grams)
        return share >= self.BROAD_SHARE

    @classmethod
    def gram_frequencies(cls) -> dict[str, float]:
        """Return the share of documents containing each common gram, from ANALYZE's statistics."""
        return element_frequencies(SearchDocument._meta.db_table, "search_vector")

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
