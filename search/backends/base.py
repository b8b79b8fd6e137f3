"""Interface, inputs and results shared by the search back ends."""

import datetime
from dataclasses import dataclass, field

from cms.readership import ANONYMOUS, Reader

# Most results one request may return, deepest offset it may ask for, and the total
# above which the back ends stop counting (the API then shows "1000+"). Counting
# further is pointless: no offset beyond MAX_OFFSET can be asked for.
MAX_LIMIT = 50
MAX_OFFSET = 1000
TOTAL_CAP = 1000


@dataclass(frozen=True)
class ParsedQuery:
    """A validated query: its normalised terms (all must occur) and filters."""

    terms: list[str]
    kind: str | None
    limit: int
    offset: int
    # Portal section of pages to search ("notices"…); None searches everything.
    section: str | None = None
    # Who searches: rows whose readership excludes this reader are never returned.
    reader: Reader = ANONYMOUS

    @property
    def exact_key(self) -> str | None:
        """Certificate number to match exactly, when the query is a single term."""
        return self.terms[0] if len(self.terms) == 1 else None


@dataclass
class SearchHit:
    kind: str
    object_id: str
    title: str
    url: str
    body: str
    updated_at: datetime.datetime | None = None
    section: str = ""
    # Highlighted HTML fragment from the engine (already escaped), when it returns one.
    engine_snippet: str | None = None


@dataclass
class BackendResults:
    hits: list[SearchHit]
    total: int
    total_is_capped: bool


@dataclass
class DocumentData:
    """The values of one SearchDocument row before it is written."""

    kind: str
    object_id: str
    title: str
    body: str
    url: str
    updated_at: datetime.datetime
    exact_key: str = ""
    # Texts searched by substring, empty for certificates (they match exact_key only).
    searchable: list[str] = field(default_factory=list)
    section: str = ""
    audience: str = "public"
    audience_kinds: str = ""
    audience_divisions: str = ""


class SearchBackend:
    name = ""

    def search(self, query: ParsedQuery) -> BackendResults:
        raise NotImplementedError

    def documents_saved(self, documents: list[DocumentData]) -> None:
        """Copy saved rows into an external engine. Database back ends do nothing here."""

    def documents_removed(self, keys: list[tuple[str, str]]) -> None:
        """Remove (kind, object_id) rows from an external engine."""

    def rebuild(self) -> int:
        """Rebuild an external engine's index from the SearchDocument table."""
        return 0
