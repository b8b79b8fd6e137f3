"""The one entry point for portal search, whatever back end is configured."""

import logging
from dataclasses import dataclass

from cms.models import SECTION_MODELS
from cms.readership import ANONYMOUS, Reader

from . import text
from .backends import get_backend
from .backends.base import MAX_LIMIT, MAX_OFFSET, ParsedQuery
from .models import SearchDocument

logger = logging.getLogger(__name__)

MIN_QUERY_LENGTH = 1
MAX_QUERY_LENGTH = 200
DEFAULT_LIMIT = 10


class SearchQueryError(ValueError):
    """An invalid search input, with a Chinese message safe to show to the user."""

    def __init__(self, field: str, message: str, code: str):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code


@dataclass
class SearchResultItem:
    kind: str
    object_id: str
    title: str
    url: str
    # Escaped HTML in which matches are wrapped in <mark>.
    highlighted_title: str
    snippet: str
    section: str = ""


@dataclass
class SearchResults:
    items: list[SearchResultItem]
    total: int
    total_is_capped: bool


def parse_query(
    query: str,
    kind: str | None,
    limit: int,
    offset: int,
    section: str | None = None,
    reader: Reader = ANONYMOUS,
) -> ParsedQuery:
    """Validate the inputs and split the query into terms, or raise SearchQueryError."""
    stripped = (query or "").strip()
    if len(stripped) < MIN_QUERY_LENGTH:
        raise SearchQueryError("query", "请输入检索词。", "required")
    if len(stripped) > MAX_QUERY_LENGTH:
        raise SearchQueryError(
            "query",
            f"检索词过长：最多 {MAX_QUERY_LENGTH} 个字符，当前 {len(stripped)} 个，请缩短后重试。",
            "too_long",
        )
    if kind is not None and kind not in SearchDocument.Kind.values:
        raise SearchQueryError("kind", f"不支持的检索类型：{kind}。", "invalid_kind")
    if section is not None and section not in SECTION_MODELS:
        raise SearchQueryError("section", f"不支持的栏目：{section}。", "invalid_section")
    if offset < 0 or offset > MAX_OFFSET:
        raise SearchQueryError(
            "offset",
            f"起始位置须在 0 到 {MAX_OFFSET} 之间；更靠后的结果请缩小检索范围后查看。",
            "offset_out_of_range",
        )
    limit = max(1, min(limit, MAX_LIMIT))
    return ParsedQuery(
        terms=text.split_terms(stripped),
        kind=kind,
        limit=limit,
        offset=offset,
        section=section,
        reader=reader,
    )


def search(
    query: str,
    kind: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    *,
    section: str | None = None,
    reader: Reader = ANONYMOUS,
) -> SearchResults:
    """Search what ``reader`` may read. ``limit`` is clamped to 1–50, and ``offset`` outside 0–1000 raises.

    Every term of the query (terms are separated by whitespace) must occur in the
    document. A certificate matches only its full number. ``section`` keeps only
    portal pages of that section.
    """
    parsed = parse_query(query, kind, limit, offset, section, reader)
    found = get_backend().search(parsed)

    items = []
    for hit in found.hits:
        snippet = hit.engine_snippet or text.snippet(hit.body, parsed.terms)
        items.append(
            SearchResultItem(
                kind=hit.kind,
                object_id=hit.object_id,
                title=hit.title,
                url=hit.url,
                highlighted_title=text.highlight(hit.title, parsed.terms),
                snippet=snippet,
                section=hit.section,
            )
        )
    logger.debug(
        "Search %r kind=%s section=%s returned %s of %s",
        parsed.terms, kind, section, len(items), found.total,
    )
    return SearchResults(items=items, total=found.total, total_is_capped=found.total_is_capped)
