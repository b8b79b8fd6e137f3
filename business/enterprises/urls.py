"""Authenticated downloads of enterprise files, mounted under /downloads/."""

from django.urls import path

from business.certificates.downloads import certificate_pdf

from .views import attachment_download

urlpatterns = [
    path("attachments/<int:version_id>/", attachment_download, name="attachment-download"),
    path("certificates/<int:certificate_id>/pdf/", certificate_pdf, name="certificate-pdf"),
]
