"""Search documents built from pages, institutions, regulations and certificates.

Indexed are live article pages with their readership (queries filter on it), active
technical institutions, regulations, and of certificates only the number, instrument
name, issuing institution and status. Names of people (verifier, checker, approver)
and the client never enter the index.
"""

import html
from urllib.parse import quote

from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Page

from business.certificates.models import Certificate
from business.organisations.models import Organisation
from business.reference.models import Regulation
from cms.models import ArticlePage

from . import text
from .backends.base import DocumentData
from .models import SearchDocument

Kind = SearchDocument.Kind


def plain_text(rich_text: str) -> str:
    """Turn stored rich-text HTML into plain text with block boundaries as spaces."""
    spaced = rich_text.replace("</p>", "</p> ").replace("<br/>", " ").replace("<br>", " ")
    return " ".join(html.unescape(strip_tags(spaced)).split())


def is_indexable_page(page: Page) -> bool:
    """Return whether a page belongs in the index: a live, unexpired portal article.

    Pages under a Wagtail view restriction stay out, because the portal API hides
    them from everyone. A page's own readership does not keep it out: its row
    carries the readership and every query filters on it.
    """
    return (
        isinstance(page, ArticlePage)
        and page.live
        and not page.expired
        and not page.get_view_restrictions().exists()
    )


def page_document(page: Page) -> DocumentData | None:
    """Return the document of an indexable page, or None if it must not be indexed."""
    page = page.specific
    if not is_indexable_page(page):
        return None
    body = " ".join(
        part for part in (page.summary, plain_text(page.body), *page.extra_search_text()) if part
    )
    return DocumentData(
        kind=Kind.PAGE,
        object_id=str(page.pk),
        title=page.title,
        body=body,
        url=f"/articles/{page.pk}",
        updated_at=page.last_published_at or timezone.now(),
        searchable=[page.title, page.publisher, body],
        section=page.section_key,
        audience=page.audience,
        audience_kinds=page.audience_kinds,
        audience_divisions=page.audience_divisions,
    )


def institution_document(organisation: Organisation) -> DocumentData | None:
    if organisation.kind != Organisation.Kind.INSTITUTION or not organisation.is_active:
        return None
    parts = [organisation.division.name, organisation.address]
    if organisation.authorisation_number:
        parts.append(f"计量授权证书号：{organisation.authorisation_number}")
    body = " ".join(part for part in parts if part)
    return DocumentData(
        kind=Kind.INSTITUTION,
        object_id=str(organisation.pk),
        title=organisation.name,
        body=body,
        # NOTE: the frontend has no institution screen yet, so results carry no link.
        url="",
        updated_at=organisation.created_at or timezone.now(),
        searchable=[organisation.name, body],
    )


def regulation_document(regulation: Regulation) -> DocumentData:
    title = f"{regulation.code} {regulation.name}"
    body = regulation.get_kind_display()
    return DocumentData(
        kind=Kind.REGULATION,
        object_id=str(regulation.pk),
        title=title,
        body=body,
        # NOTE: the frontend has no regulation screen yet, so results carry no link.
        url="",
        updated_at=timezone.now(),
        searchable=[title, body],
    )


def certificate_document(certificate: Certificate) -> DocumentData:
    body = (
        f"{certificate.instrument_name} · {certificate.institution_name} · "
        f"{certificate.get_status_display()}"
    )
    return DocumentData(
        kind=Kind.CERTIFICATE,
        object_id=str(certificate.pk),
        title=certificate.number,
        body=body,
        url=f"/certificate-check?number={quote(certificate.number)}",
        updated_at=certificate.voided_at or certificate.issued_at,
        exact_key=text.normalise(certificate.number),
    )


def document_for(instance) -> DocumentData | None:
    if isinstance(instance, Page):
        return page_document(instance)
    if isinstance(instance, Organisation):
        return institution_document(instance)
    if isinstance(instance, Regulation):
        return regulation_document(instance)
    if isinstance(instance, Certificate):
        return certificate_document(instance)
    raise TypeError(f"no search document for {type(instance).__name__}")


def kind_of(instance) -> str:
    if isinstance(instance, Page):
        return Kind.PAGE
    if isinstance(instance, Organisation):
        return Kind.INSTITUTION
    if isinstance(instance, Regulation):
        return Kind.REGULATION
    if isinstance(instance, Certificate):
        return Kind.CERTIFICATE
    raise TypeError(f"no search kind for {type(instance).__name__}")


def all_objects(kind: str):
    """Return a queryset of every object of ``kind`` that may be indexed."""
    if kind == Kind.PAGE:
        return Page.objects.live().type(ArticlePage).specific().order_by("pk")
    if kind == Kind.INSTITUTION:
        return (
            Organisation.objects.filter(kind=Organisation.Kind.INSTITUTION, is_active=True)
            .select_related("division")
            .order_by("pk")
        )
    if kind == Kind.REGULATION:
        return Regulation.objects.order_by("pk")
    if kind == Kind.CERTIFICATE:
        return Certificate.objects.only(
            "pk", "number", "instrument_name", "institution_name", "status",
            "issued_at", "voided_at",
        ).order_by("pk")
    raise ValueError(f"unknown search kind {kind!r}")
