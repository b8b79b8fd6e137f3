"""Keep the search index current as pages are published and business data changes.

Article pages enter the index when published and leave it when unpublished,
deleted or given a view restriction. Institutions, regulations and certificates are
updated on save and delete.

NOTE: QuerySet.update() and bulk_create() send no signals. Certificates issued by
business.certificates.services.issue_certificates are written with bulk_create, so
they reach the index only through ``rebuild_search_index`` or an explicit
``search.indexing.update_object`` call.
"""

import logging

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from business.certificates.models import Certificate
from business.certificates.signals import certificates_issued
from business.organisations.models import Organisation
from business.reference.models import Regulation
from cms.models import ArticlePage

from . import indexing, sources
from .models import SearchDocument

logger = logging.getLogger(__name__)


@receiver(page_published)
def index_published_page(sender, instance, **kwargs):
    if isinstance(instance, ArticlePage):
        indexing.update_object(instance)


@receiver(page_unpublished)
def remove_unpublished_page(sender, instance, **kwargs):
    if isinstance(instance, ArticlePage):
        indexing.remove_object(instance)


@receiver(post_delete)
def remove_deleted_object(sender, instance, **kwargs):
    # Deleting a page sends post_delete for the specific model and for Page itself;
    # both remove the same row, which is harmless.
    if isinstance(instance, Page):
        indexing.remove_documents([(SearchDocument.Kind.PAGE, str(instance.pk))])
    elif isinstance(instance, Organisation | Regulation | Certificate):
        indexing.remove_object(instance)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def reindex_restricted_pages(sender, instance, **kwargs):
    """Re-check a page and its descendants when a view restriction changes."""
    try:
        page = Page.objects.get(pk=instance.page_id)
    except Page.DoesNotExist:
        return  # The page itself is being deleted.
    for descendant in Page.objects.descendant_of(page, inclusive=True).type(ArticlePage):
        indexing.update_object(descendant)


@receiver(certificates_issued, sender=Certificate)
def index_issued_certificates(sender, certificates, **kwargs):
    indexing.save_documents([sources.certificate_document(item) for item in certificates])


@receiver(post_save, sender=Organisation)
@receiver(post_save, sender=Regulation)
@receiver(post_save, sender=Certificate)
def index_saved_object(sender, instance, raw=False, **kwargs):
    if raw:
        return  # Fixture loading: run rebuild_search_index afterwards.
    indexing.update_object(instance)
