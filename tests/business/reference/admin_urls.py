"""URLs for the admin tests: only the Wagtail admin, independent of the project's URLconf."""

from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [path("admin/", include(wagtailadmin_urls))]
