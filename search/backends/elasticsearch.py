"""Elasticsearch back end (elasticsearch 8.x client and its bundled ``elasticsearch.dsl``).

Fields of Chinese text use the built-in ``cjk`` analyzer (overlapping bigrams) and
carry a ``grams`` sub-field that also keeps single characters, because ``cjk``
indexes no unigrams and a one-character query would otherwise find nothing.

Index names start with ``SEARCH_INDEX_PREFIX`` (default ``metrology-<PLATFORM_ENV>``)
so that environments sharing a cluster never write into each other's index. Searches
go through an alias, and a rebuild fills a new index and then moves the alias in one
request, so readers never see a half-built index.
"""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from elasticsearch import Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import Date, Document, Keyword, Q, Search, Text, analyzer, token_filter

from cms.readership import Audience, Reader, unpack_codes

from .. import text
from ..models import SearchDocument
from .base import TOTAL_CAP, BackendResults, DocumentData, ParsedQuery, SearchBackend, SearchHit

logger = logging.getLogger(__name__)

REQUEST_TIMEOUT_SECONDS = 10
SNIPPET_LENGTH = 120

cjk_grams = analyzer(
    "cjk_grams",
    tokenizer="standard",
    filter=[
        "cjk_width",
        "lowercase",
        token_filter("cjk_unigrams_and_bigrams", type="cjk_bigram", output_unigrams=True),
    ],
)


def _chinese_text():
    return Text(analyzer="cjk", fields={"grams": Text(analyzer=cjk_grams)})


class IndexedDocument(Document):
    """One SearchDocument row as stored in Elasticsearch, with the id "<kind>:<object_id>"."""

    kind = Keyword()
    object_id = Keyword()
    title = _chinese_text()
    body = _chinese_text()
    url = Keyword(index=False)
    updated_at = Date()
    exact_key = Keyword()
    section = Keyword()
    audience = Keyword()
    # Lists of organisation kinds and division codes; absent when the page sets no limit.
    audience_kinds = Keyword(multi=True)
    audience_divisions = Keyword(multi=True)

    class Index:
        settings = {"number_of_shards": 1}


def index_prefix() -> str:
    default = f"metrology-{getattr(settings, 'PLATFORM_ENV', 'development')}"
    return getattr(settings, "SEARCH_INDEX_PREFIX", "") or default


def alias_name(prefix: str | None = None) -> str:
    return f"{prefix or index_prefix()}-search"


def document_id(kind: str, object_id: str) -> str:
    return f"{kind}:{object_id}"


def source_values(row) -> dict:
    """Return the stored fields of a SearchDocument row or a DocumentData."""
    return {
        "kind": row.kind,
        "object_id": row.object_id,
        "title": row.title,
        "body": row.body,
        "url": row.url,
        "updated_at": row.updated_at,
        "exact_key": row.exact_key,
        "section": row.section,
        "audience": row.audience,
        "audience_kinds": unpack_codes(row.audience_kinds),
        "audience_divisions": unpack_codes(row.audience_divisions),
    }


def _unset_or(field: str, condition) -> Q:
    unset = Q("bool", must_not=[Q("exists", field=field)])
    return Q("bool", should=[unset, condition], minimum_should_match=1)


def readership_query(reader: Reader) -> Q:
    """Return the filter that keeps documents ``reader`` may read (see cms.readership)."""
    public = Q("term", audience=Audience.PUBLIC)
    if not reader.signed_in:
        return public
    restricted = Q(
        "bool",
        filter=[
            Q("term", audience=Audience.RESTRICTED),
            _unset_or("audience_kinds", Q("term", audience_kinds=reader.organisation_kind)),
            _unset_or("audience_divisions", Q("terms", audience_divisions=sorted(reader.division_chain))),
        ],
    )
    return Q(
        "bool",
        should=[public, Q("term", audience=Audience.SIGNED_IN), restricted],
        minimum_should_match=1,
    )


def build_search(query: ParsedQuery, alias: str) -> Search:
    """Build the request for ``query``: all terms must match, certificates by number only.

    multi_match analyses its input as plain text, so Lucene syntax such as
    ``title:(a OR b)^2`` is searched as words and never parsed.
    """
    has_grams = any(text.query_grams(term) for term in query.terms)
    alternatives = []
    if has_grams:
        term_queries = [
            Q(
                "multi_match",
                query=term,
                fields=["title^3", "title.grams^2", "body", "body.grams"],
                type="best_fields",
                operator="and",
            )
            for term in query.terms
            if text.query_grams(term)
        ]
        alternatives.append(
            Q("bool", must=term_queries, must_not=[Q("term", kind=SearchDocument.Kind.CERTIFICATE)])
        )
    if query.exact_key:
        alternatives.append(
            Q(
                "bool",
                filter=[
                    Q("term", kind=SearchDocument.Kind.CERTIFICATE),
                    Q("term", exact_key=query.exact_key),
                ],
            )
        )

    filters = [readership_query(query.reader)]
    if query.kind:
        filters.append(Q("term", kind=query.kind))
    if query.section:
        filters.append(Q("term", kind=SearchDocument.Kind.PAGE))
        filters.append(Q("term", section=query.section))
    if not alternatives:
        combined = Q("bool", must_not=[Q("match_all")])
    else:
        combined = Q("bool", should=alternatives, minimum_should_match=1, filter=filters)

    search = Search(index=alias).query(combined)
    search = search.sort({"_score": "desc"}, {"updated_at": "desc"})
    search = search.highlight_options(
        pre_tags=["<mark>"],
        post_tags=["</mark>"],
        encoder="html",
        fragment_size=SNIPPET_LENGTH,
        number_of_fragments=1,
    )
    search = search.highlight("body", "body.grams")
    search = search.extra(track_total_hits=TOTAL_CAP, from_=query.offset, size=query.limit)
    return search


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, prefix: str | None = None, refresh: bool = False):
        self.client = client
        self.alias = alias_name(prefix)
        # Tests pass refresh=True so that a search right after indexing finds the change.
        self.refresh = refresh

    @classmethod
    def from_settings(cls) -> "ElasticsearchBackend":
        url = getattr(settings, "ELASTICSEARCH_URL", "")
        if not url:
            raise ImproperlyConfigured("SEARCH_BACKEND is elasticsearch but ELASTICSEARCH_URL is empty.")
        client = Elasticsearch(url, request_timeout=REQUEST_TIMEOUT_SECONDS)
        return cls(client, refresh=getattr(settings, "SEARCH_REFRESH_ON_WRITE", False))

    def search(self, query: ParsedQuery) -> BackendResults:
        response = build_search(query, self.alias).using(self.client).execute()
        hits = []
        for hit in response:
            highlights = getattr(hit.meta, "highlight", None)
            fragment = None
            if highlights is not None:
                for field in ("body", "body.grams"):
                    if field in highlights:
                        fragment = highlights[field][0]
                        break
            hits.append(
                SearchHit(
                    kind=hit.kind,
                    object_id=hit.object_id,
                    title=hit.title,
                    url=hit.url or "",
                    body=hit.body or "",
                    updated_at=hit.updated_at,
                    section=getattr(hit, "section", "") or "",
                    engine_snippet=fragment,
                )
            )
        total = response.hits.total
        return BackendResults(
            hits=hits, total=min(total.value, TOTAL_CAP), total_is_capped=total.relation == "gte"
        )

    def _action(self, index: str, kind: str, object_id: str, values: dict) -> dict:
        return {"_op_type": "index", "_index": index, "_id": document_id(kind, object_id), **values}

    def _alias_exists(self) -> bool:
        """Check the alias before writing: writing to a missing alias would make
        Elasticsearch create a concrete index of that name with a guessed mapping."""
        if self.client.indices.exists_alias(name=self.alias):
            return True
        logger.warning("Elasticsearch alias %s is missing; run rebuild_search_index", self.alias)
        return False

    def documents_saved(self, documents: list[DocumentData]) -> None:
        if not self._alias_exists():
            return
        actions = [
            self._action(self.alias, document.kind, document.object_id, source_values(document))
            for document in documents
        ]
        helpers.bulk(self.client, actions, refresh=self.refresh)

    def documents_removed(self, keys: list[tuple[str, str]]) -> None:
        if not self._alias_exists():
            return
        for kind, object_id in keys:
            try:
                self.client.delete(
                    index=self.alias, id=document_id(kind, object_id), refresh=self.refresh
                )
            except NotFoundError:
                pass  # Never indexed, or already removed.

    def rebuild(self) -> int:
        """Fill a new index from the SearchDocument table, then point the alias at it."""
        new_index = f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        IndexedDocument.init(index=new_index, using=self.client)

        def actions():
            for row in SearchDocument.objects.iterator(chunk_size=500):
                yield self._action(new_index, row.kind, row.object_id, source_values(row))

        count, _errors = helpers.bulk(self.client, actions(), chunk_size=500)
        self.client.indices.refresh(index=new_index)

        old_indices = []
        if self.client.indices.exists_alias(name=self.alias):
            old_indices = list(self.client.indices.get_alias(name=self.alias).keys())
        swap = [{"remove": {"index": old, "alias": self.alias}} for old in old_indices]
        swap.append({"add": {"index": new_index, "alias": self.alias}})
        self.client.indices.update_aliases(actions=swap)
        for old in old_indices:
            self.client.indices.delete(index=old)
        logger.info("Rebuilt Elasticsearch index %s with %s document(s)", new_index, count)
        return count
