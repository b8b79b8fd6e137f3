"""Export of ledger rows to .xlsx, with the latest certificate of each instrument."""

import io

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from business.certificates.models import Certificate

from ..models import CertificateProblem, Instrument
from .columns import COLUMNS, DATA_SHEET_TITLE, FORMULA_PREFIXES, HEADERS

EXPORT_HEADERS = HEADERS + (
    "状态",
    "最近检定证书编号",
    "证书类型",
    "证书状态",
    "有效期至",
    "强制检定证书情况",
)
CHUNK_SIZE = 2000


def neutralise_formula(value):
    """Prefix text that a spreadsheet would run as a formula with an apostrophe.

    Ledger values come from enterprise users, so a serial number such as
    ``=HYPERLINK(...)`` must reach the person who opens the export as text.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _with_latest_certificate(queryset: QuerySet) -> QuerySet:
    latest = Certificate.objects.filter(
        instrument=OuterRef("pk"),
        kind__in=[Certificate.Kind.VERIFICATION, Certificate.Kind.RESULT_NOTICE],
    ).order_by("-verification_date", "-issued_at", "-pk")
    return queryset.annotate(
        latest_number=Subquery(latest.values("number")[:1]),
        latest_kind=Subquery(latest.values("kind")[:1]),
        latest_status=Subquery(latest.values("status")[:1]),
        latest_valid_until=Subquery(latest.values("valid_until")[:1]),
    )


def _row(instrument: Instrument) -> list:
    catalogue_item = instrument.catalogue_item
    ledger_values = {
        "name": instrument.name,
        "kind": instrument.kind,
        "service_life_end": instrument.service_life_end,
        "catalogue_item": catalogue_item.number if catalogue_item is not None else None,
        "usage": instrument.get_usage_display(),
        "model": instrument.model,
        "measuring_range": instrument.measuring_range,
        "accuracy_class": instrument.accuracy_class,
        "serial_number": instrument.serial_number,
        "manufacturer": instrument.manufacturer,
        "installation_place": instrument.installation_place,
        "division": instrument.division_id,
        "delivery_mode": instrument.get_delivery_mode_display(),
    }
    # Only mandatory instruments in use need a valid certificate.
    problem = ""
    if catalogue_item is not None and instrument.status == Instrument.Status.IN_USE:
        problem = CertificateProblem(instrument.certificate_problem).label
    certificate_values = [
        instrument.get_status_display(),
        instrument.latest_number,
        Certificate.Kind(instrument.latest_kind).label if instrument.latest_kind else None,
        Certificate.Status(instrument.latest_status).label if instrument.latest_status else None,
        instrument.latest_valid_until,
        problem,
    ]
    return [ledger_values[column.field] for column in COLUMNS] + certificate_values


def export_instruments(queryset: QuerySet, *, today=None) -> bytes:
    """Write the instruments of ``queryset`` to an .xlsx file and return its bytes.

    The first columns match the import template; status and the latest
    verification certificate follow. ``today`` (default: the local date) decides
    whether a certificate has expired. Text that a spreadsheet would read as a
    formula is prefixed with an apostrophe.
    """
    today = today or timezone.localdate()
    instruments = _with_latest_certificate(
        queryset.select_related("catalogue_item").with_certificate_problem(today)
    ).order_by("pk")

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(DATA_SHEET_TITLE)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width

    header_cells = []
    for header in EXPORT_HEADERS:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)

    for instrument in instruments.iterator(chunk_size=CHUNK_SIZE):
        sheet.append([neutralise_formula(value) for value in _row(instrument)])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
