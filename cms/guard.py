"""One check for every page and document the API or the document view hands out.

Grapple's generic fields (``page``, ``pages``, a page's ``parent`` and ``children``,
a site's ``pages``, a redirect's ``page``, page and document chooser blocks,
``documents``) know nothing of readership, and some of them do not even filter on
``live``. ``PageReadershipMiddleware`` therefore inspects the result of every
resolver and drops pages and documents the requesting visitor may not see, whichever
field produced them. Our own portal queries filter in SQL first and pass the same
check afterwards.

A page is visible when it is live, not expired, not the tree root, has no Wagtail
view restriction on itself or an ancestor, and its readership admits the reader. The
portal does not use Wagtail view restrictions, so any such restriction hides the page
from the API.
A document is visible when it is attached to a visible page, or linked from the
rich text of a visible page that has no unpublished changes (so a link that exists
only in a draft does not publish the file).
"""

from django.db.models import QuerySet
from modelsearch.backends.base import BaseSearchResults
from wagtail.documents.models import AbstractDocument
from wagtail.models import Page, PageViewRestriction, ReferenceIndex

from .readership import Reader, reader_for_request

_RESTRICTED_PATHS_ATTRIBUTE = "_portal_restricted_paths"


def _restricted_paths(request) -> tuple[str, ...]:
    """Return the tree paths of pages with a Wagtail view restriction, once per request."""
    cached = getattr(request, _RESTRICTED_PATHS_ATTRIBUTE, None) if request else None
    if cached is not None:
        return cached
    paths = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    if request is not None:
        setattr(request, _RESTRICTED_PATHS_ATTRIBUTE, paths)
    return paths


def page_visible(page: Page, reader: Reader, restricted_paths: tuple[str, ...]) -> bool:
    from .models import ReadershipMixin

    if page.depth <= 1 or not page.live or page.expired:
        return False
    if any(page.path.startswith(path) for path in restricted_paths):
        return False
    specific = page.specific if type(page) is Page else page
    if isinstance(specific, ReadershipMixin):
        return specific.readable_by(reader)
    return True


def page_visible_to_request(page: Page, request) -> bool:
    return page_visible(page, reader_for_request(request), _restricted_paths(request))


def visible_pages(pages, request) -> list:
    reader = reader_for_request(request)
    paths = _restricted_paths(request)
    return [page for page in pages if page_visible(page, reader, paths)]


def _linking_pages(documents) -> dict[int, list[Page]]:
    """Return, per document id, the pages that attach it or link to it in rich text."""
    from .models import PageAttachment

    ids = [document.pk for document in documents]
    attached = set(
        PageAttachment.objects.filter(document_id__in=ids).values_list("document_id", "page_id")
    )
    references = ReferenceIndex.get_references_to_in_bulk(documents).filter(
        base_content_type__app_label="wagtailcore", base_content_type__model="page"
    )
    linked = {
        (int(document_id), int(page_id))
        for document_id, page_id in references.values_list("to_object_id", "object_id")
    }

    page_ids = {page_id for _, page_id in attached | linked}
    pages = Page.objects.filter(pk__in=page_ids).specific().in_bulk()
    by_document: dict[int, list[Page]] = {pk: [] for pk in ids}
    for document_id, page_id in attached | linked:
        page = pages.get(page_id)
        if page is None:
            continue
        # The reference index follows the latest revision, so a link counts only
        # while the live content equals it. Attachment rows are written on publish.
        if (document_id, page_id) not in attached and page.has_unpublished_changes:
            continue
        by_document.setdefault(document_id, []).append(page)
    return by_document


def visible_documents(documents, request) -> list:
    documents = list(documents)
    if not documents:
        return []
    reader = reader_for_request(request)
    paths = _restricted_paths(request)
    pages_by_document = _linking_pages(documents)
    return [
        document
        for document in documents
        if any(page_visible(page, reader, paths) for page in pages_by_document.get(document.pk, []))
    ]


# Results grapple may return for a list field: a queryset, a list, or Wagtail search
# results (``pages(searchQuery: …)``).
_LIST_TYPES = (QuerySet, BaseSearchResults, list, tuple)


def _list_model(value):
    """Return the model class of a list result, or None when it contains no model rows."""
    if isinstance(value, QuerySet | BaseSearchResults):
        return value.model
    items = list(value)
    return type(items[0]) if items else None


def _is_subclass(model, base) -> bool:
    return isinstance(model, type) and issubclass(model, base)


class PageReadershipMiddleware:
    """Graphene middleware that removes pages and documents the visitor may not see."""

    def resolve(self, next_resolver, root, info, **arguments):
        result = next_resolver(root, info, **arguments)
        if not isinstance(result, (Page, AbstractDocument, *_LIST_TYPES)):
            return result

        request = info.context
        if isinstance(result, Page):
            return result if page_visible_to_request(result, request) else None
        if isinstance(result, AbstractDocument):
            return result if visible_documents([result], request) else None
        model = _list_model(result)
        if _is_subclass(model, Page):
            return visible_pages(result, request)
        if _is_subclass(model, AbstractDocument):
            return visible_documents(result, request)
        return result
