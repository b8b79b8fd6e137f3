"""Clear the cached portal home whenever content it may show changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import home


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def clear_home_on_page_change(sender, instance, **kwargs):
    home.invalidate()


@receiver(post_delete)
def clear_home_on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page | Image | Document):
        home.invalidate()


@receiver(post_save, sender=Image)
@receiver(post_save, sender=Document)
def clear_home_on_media_change(sender, instance, **kwargs):
    home.invalidate()
