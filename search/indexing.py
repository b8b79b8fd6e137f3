"""Writing objects into the search index and removing them again."""

import logging

from django.db import connection, transaction

from . import sources, text
from .backends import get_backend
from .backends.base import DocumentData
from .models import SearchDocument

logger = logging.getLogger(__name__)

BATCH_SIZE = 500

# Longest normalised text indexed per document. A tsvector may not exceed 1 MB, and
# about 50,000 Chinese characters stay well below that. Text beyond it is not
# searchable.
MAX_SEARCH_TEXT = 50_000


def _row_values(document: DocumentData) -> dict:
    searchable = [text.normalise(part) for part in document.searchable if part]
    search_text = "\n".join(searchable)[:MAX_SEARCH_TEXT]
    values = {
        "title": document.title[:255],
        "body": document.body,
        "url": document.url,
        "updated_at": document.updated_at,
        "section": document.section,
        "audience": document.audience,
        "audience_kinds": document.audience_kinds,
        "audience_divisions": document.audience_divisions,
        "search_text": search_text,
        "exact_key": document.exact_key,
        "search_vector": None,
    }
    if connection.vendor == "postgresql":
        # Title grams get weight A, the rest D, so ts_rank prefers title matches.
        weighted = [("A", searchable[0])] if searchable else []
        weighted += [("D", part) for part in searchable[1:]]
        clipped, remaining = [], MAX_SEARCH_TEXT
        for weight, part in weighted:
            clipped.append((weight, part[:remaining]))
            remaining = max(0, remaining - len(part))
        values["search_vector"] = text.tsvector_literal(clipped)
    return values


# Every column the indexer writes, updated in place when the row already exists.
UPSERT_FIELDS = [
    "title",
    "body",
    "url",
    "updated_at",
    "section",
    "audience",
    "audience_kinds",
    "audience_divisions",
    "search_text",
    "exact_key",
    "search_vector",
]


def save_documents(documents: list[DocumentData]) -> None:
    """Insert or update the rows of ``documents``, BATCH_SIZE rows per statement.

    One INSERT … ON CONFLICT per batch replaces a SELECT and a write per document,
    which made search indexing about three quarters of the time spent issuing
    certificates on a loaded machine.
    """
    # ON CONFLICT cannot update one row twice in a statement, so the last version
    # of a repeated object wins.
    latest = {(document.kind, document.object_id): document for document in documents}
    rows = [
        SearchDocument(kind=document.kind, object_id=document.object_id, **_row_values(document))
        for document in latest.values()
    ]
    SearchDocument.objects.bulk_create(
        rows,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=UPSERT_FIELDS,
    )
    if documents:
        _after_commit(lambda: get_backend().documents_saved(documents))


def remove_documents(keys: list[tuple[str, str]]) -> None:
    for kind, object_id in keys:
        SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()
    if keys:
        _after_commit(lambda: get_backend().documents_removed(keys))


def _after_commit(callback) -> None:
    """Run an external-engine update after the database commit and log a failure.

    The SearchDocument row is already current, so a failed engine update is repaired
    by the next ``rebuild_search_index``.
    """

    def run():
        try:
            callback()
        except Exception:
            logger.exception("Search engine update failed; run rebuild_search_index")

    transaction.on_commit(run)


def update_object(instance) -> None:
    """Index ``instance`` if it is public, otherwise remove it from the index."""
    document = sources.document_for(instance)
    if document is None:
        remove_documents([(sources.kind_of(instance), str(instance.pk))])
    else:
        save_documents([document])


def remove_object(instance) -> None:
    remove_documents([(sources.kind_of(instance), str(instance.pk))])


def rebuild_kind(kind: str) -> int:
    """Replace every row of ``kind`` with fresh documents in batches and return the count."""
    count = 0
    with transaction.atomic():
        SearchDocument.objects.filter(kind=kind).delete()
        batch: list[SearchDocument] = []
        for instance in sources.all_objects(kind).iterator(chunk_size=BATCH_SIZE):
            document = sources.document_for(instance)
            if document is None:
                continue
            batch.append(
                SearchDocument(
                    kind=document.kind, object_id=document.object_id, **_row_values(document)
                )
            )
            if len(batch) >= BATCH_SIZE:
                SearchDocument.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        SearchDocument.objects.bulk_create(batch)
        count += len(batch)
    logger.info("Rebuilt search rows of kind %s: %s document(s)", kind, count)
    return count
