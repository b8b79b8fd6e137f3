"""Render sheets of instrument QR labels as an A4 PDF.

Fonts follow the certificate PDF (business/certificates/pdf.py): Noto Sans CJK SC by
fontconfig family name, then HanaMinB for rare characters that Noto lacks.
"""

import gc
import logging
import time

import segno
import weasyprint
import weasyprint.urls
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from . import services
from .sheets import GAP_MM, SHEET_MARGIN_MM, LabelSize

logger = logging.getLogger(__name__)

# Level M survives a scuffed corner of a label.
QR_ERROR_LEVEL = "m"


def qr_svg(url: str) -> str:
    """Return the QR code of ``url`` as an inline SVG element sized by the CSS."""
    return segno.make(url, error=QR_ERROR_LEVEL, micro=False).svg_inline(
        scale=4, border=2, omitsize=True, svgclass="qr", lineclass=None
    )


def enterprise_short_name(enterprise) -> str:
    # Organisations have no short name yet; the full name is cut by the CSS.
    return getattr(enterprise, "short_name", "") or enterprise.name


def labels_html(instruments, tokens: dict[int, str], size: LabelSize) -> str:
    """Render the HTML of the sheets. User-entered text is autoescaped by the template."""
    labels = [
        {
            "name": instrument.name,
            "serial_number": instrument.serial_number,
            "enterprise": enterprise_short_name(instrument.enterprise),
            # segno builds the SVG from the URL alone, which holds only the random token.
            "qr_svg": mark_safe(qr_svg(services.status_url(tokens[instrument.pk]))),
        }
        for instrument in instruments
    ]
    sheets = [labels[start : start + size.per_sheet] for start in range(0, len(labels), size.per_sheet)]
    qr_mm = min(size.height_mm - 2, size.width_mm // 2)
    context = {
        "sheets": sheets,
        "size": size,
        "margin_mm": SHEET_MARGIN_MM,
        "gap_mm": GAP_MM,
        "qr_mm": qr_mm,
        "text_left_mm": qr_mm + 2,
        # Small labels get small type so that a serial number fits the narrow column.
        "font_pt": round(min(9.0, (size.width_mm - qr_mm) / 3.0), 1),
    }
    return render_to_string("labels/label_sheet.html", context)


def render_labels_pdf(instruments, tokens: dict[int, str], size: LabelSize) -> bytes:
    started = time.perf_counter()
    html = labels_html(instruments, tokens, size)
    # The page embeds everything, so no URL scheme is fetched at all.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf()
    # WeasyPrint keeps loaded fonts in reference cycles (see the certificate PDF).
    gc.collect()
    logger.info(
        "Rendered %d %s labels as PDF: %d bytes in %.2f s",
        len(instruments),
        size.code,
        len(pdf),
        time.perf_counter() - started,
    )
    return pdf
