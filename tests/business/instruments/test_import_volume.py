"""A full-size import: 10,000 rows, the maximum one file may carry."""

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from business.instruments.excel import MAX_IMPORT_ROWS, archive, import_instruments
from business.instruments.excel.columns import DATA_SHEET_TITLE, HEADERS
from business.instruments.models import Instrument, InstrumentStatusChange
from tests import factories

from .helpers import ROW

pytestmark = pytest.mark.django_db


def ledger_file(row_count: int) -> bytes:
    """Write ``row_count`` valid rows with openpyxl's write-only mode.

    Such files carry no sheet dimension, so openpyxl scans the sheet once more when
    it opens it. Files saved by Excel open faster.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(DATA_SHEET_TITLE)
    sheet.append(list(HEADERS))
    for number in range(row_count):
        values = {
            **ROW,
            "出厂编号": f"JS{number:08d}",
            "安装使用地点": f"{number % 40 + 1} 号收银台",
        }
        sheet.append([values.get(header) for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_import_maximum_rows(capsys):
    factories.catalogue_item()
    enterprise = factories.enterprise()
    file_bytes = ledger_file(MAX_IMPORT_ROWS)
    with zipfile.ZipFile(io.BytesIO(file_bytes)) as xlsx:
        sheet = xlsx.getinfo("xl/worksheets/sheet1.xml")

    started = time.perf_counter()
    result = import_instruments(enterprise, file_bytes, actor=None)
    elapsed = time.perf_counter() - started

    assert result.ok, [str(error) for error in result.errors[:5]]
    assert len(result.created) == MAX_IMPORT_ROWS
    assert Instrument.objects.filter(enterprise=enterprise).count() == MAX_IMPORT_ROWS
    assert InstrumentStatusChange.objects.count() == MAX_IMPORT_ROWS
    assert len(file_bytes) < archive.MAX_FILE_BYTES
    ratio = sheet.file_size / sheet.compress_size
    assert ratio < archive.MAX_COMPRESSION_RATIO
    # Timing is reported, not asserted: it depends on the machine and the database.
    with capsys.disabled():
        print(
            f"\n{MAX_IMPORT_ROWS} rows: {len(file_bytes) / 1024:.0f} KiB, sheet ratio "
            f"{ratio:.1f}:1, import {elapsed:.2f} s"
        )
