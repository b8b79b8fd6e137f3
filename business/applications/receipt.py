"""The acceptance receipt (受理回执): a PDF listing the received instruments and their
sample numbers, printed by the institution and downloadable by the enterprise."""

import logging
from zoneinfo import ZoneInfo

import weasyprint
import weasyprint.urls
from django.template.loader import render_to_string

from .models import ApplicationStatus, VerificationApplication

logger = logging.getLogger(__name__)

BEIJING = ZoneInfo("Asia/Shanghai")
RECEIVED_STATUSES = (
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.IN_VERIFICATION,
    ApplicationStatus.COMPLETED,
)


def receipt_html(application: VerificationApplication) -> str:
    """Render the receipt page. Django autoescapes every name, since users typed them."""
    receiver = application.received_by
    context = {
        "application": application,
        "items": list(application.items.select_related("instrument")),
        "appointment_date": application.appointment_date.isoformat()
        if application.appointment_date
        else "—",
        "received_at": application.received_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M"),
        "receiver": receiver.display_name if receiver else "—",
    }
    return render_to_string("applications/receipt.html", context)


def render_receipt_pdf(application: VerificationApplication) -> bytes:
    """Return the receipt of a received application as PDF bytes.

    Raises ValueError before the instruments are received, because there is nothing
    to acknowledge yet.
    """
    if application.status not in RECEIVED_STATUSES or application.received_at is None:
        raise ValueError("the application has not been received yet")
    # The page embeds everything, so the fetcher allows no URL scheme at all.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    pdf = weasyprint.HTML(
        string=receipt_html(application), url_fetcher=fetcher, base_url=None
    ).write_pdf()
    logger.info("Rendered receipt of application %s: %d bytes", application.pk, len(pdf))
    return pdf
