from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from business.core.api.view import PlatformGraphQLView

from .frontend import frontend_app

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("graphql/", PlatformGraphQLView.as_view(), name="graphql"),
    # Signed-in downloads of enterprise attachments and certificate PDFs.
    path("downloads/", include("business.enterprises.urls")),
    # Wagtail serves nothing public itself: the frontend renders every portal page.
    # Its URLs stay mounted under /cms/ only for previews and document links.
    path("cms/", include(wagtail_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every other path belongs to the single-page app, which routes it in the browser.
urlpatterns.append(re_path(r"^(?!static/|media/).*$", frontend_app, name="frontend"))
