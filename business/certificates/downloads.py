"""Download of a certificate's PDF by the signed-in owner of the instrument.

The view checks ``certificates.view`` with its data scope, like the GraphQL list, and
returns 404 for certificates outside it. The first download renders the PDF with
``pdf.render_certificate_pdf`` (about a second of WeasyPrint work) and keeps the file
in private storage, so later downloads only read it. The cache name contains the
certificate's status, so voiding a certificate leads to a fresh rendering.
"""

import io
import logging

from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_GET

from business.access import NotFoundError, PermissionDeniedError, get_in_scope
from business.organisations.models import PrivateStorage

from . import pdf
from .models import Certificate

logger = logging.getLogger(__name__)

CACHE_FOLDER = "certificate_pdfs"


def cached_pdf_name(certificate: Certificate) -> str:
    return f"{CACHE_FOLDER}/{certificate.number}-{certificate.status}.pdf"


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    """Return the PDF of ``certificate``, rendering and caching it on first use.

    Raises pdf.CertificatePdfError when the certificate fails its signature check.
    """
    storage = PrivateStorage()
    name = cached_pdf_name(certificate)
    if storage.exists(name):
        with storage.open(name, "rb") as cached:
            return cached.read()

    content = pdf.render_certificate_pdf(certificate)
    # Two first downloads at once may both render; the second save gets another
    # name from the storage and is simply never read again.
    storage.save(name, ContentFile(content))
    logger.info("Cached the PDF of certificate %s", certificate.pk)
    return content


def _plain_text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@require_GET
def certificate_pdf(request, certificate_id: int):
    """Send the certificate's PDF as an attachment, or 401/403/404 with a Chinese message."""
    user = getattr(request, "business_user", None)
    if user is None:
        return _plain_text("尚未登录或登录已过期，请重新登录后下载。", 401)
    if user.password_change_required:
        return _plain_text("请先修改密码再下载证书。", 403)
    try:
        certificate = get_in_scope(
            Certificate.objects.all(), user, "certificates.view", certificate_id, noun="证书"
        )
    except PermissionDeniedError as error:
        return _plain_text(error.message, 403)
    except NotFoundError:
        raise Http404("证书不存在或不在您的数据范围内") from None

    try:
        content = certificate_pdf_bytes(certificate)
    except pdf.CertificatePdfError as error:
        return _plain_text(error.message, 409)

    logger.info("Business user %s downloaded certificate %s", user.pk, certificate.pk)
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
