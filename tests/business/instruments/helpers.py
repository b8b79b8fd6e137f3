"""Builders for ledger tests: filled-in templates and raw .xlsx files."""

import io
import zipfile

from openpyxl import Workbook, load_workbook

from business.instruments.excel import build_import_template
from business.instruments.excel.columns import DATA_SHEET_TITLE, HEADERS
from business.instruments.models import Instrument, InstrumentStatusChange

ROW = {
    "器具名称": "电子计价秤",
    "强制检定目录序号": 9,
    "器具种类": "电子计价秤",
    "用途": "贸易结算",
    "型号规格": "ACS-15",
    "测量范围": "(0～15) kg",
    "准确度等级": "Ⅲ级",
    "出厂编号": "JS2026000001",
    "制造单位": "上海示例衡器有限公司",
    "安装使用地点": "一楼生鲜区 3 号柜台",
    "使用地区划代码": "410105",
    "检定方式": "送检",
}


def row(**changes) -> dict:
    """Return a valid template row; keyword names are the Chinese headers."""
    return {**ROW, **changes}


def fill_template(rows: list[dict]) -> bytes:
    """Fill the platform's own template with ``rows`` (dicts keyed by header)."""
    workbook = load_workbook(io.BytesIO(build_import_template()))
    sheet = workbook[DATA_SHEET_TITLE]
    for row_number, values in enumerate(rows, start=2):
        for column_number, header in enumerate(HEADERS, start=1):
            value = values.get(header)
            if value is not None:
                sheet.cell(row=row_number, column=column_number, value=value)
    return save(workbook)


def workbook_bytes(header: list, rows: list[list]) -> bytes:
    """Build a plain workbook with ``header`` and ``rows`` on its only sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET_TITLE
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    return save(workbook)


def rows_of(rows: list[dict]) -> list[list]:
    return [[values.get(header) for header in HEADERS] for values in rows]


def save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def ledger_is_empty() -> bool:
    return not Instrument.objects.exists() and not InstrumentStatusChange.objects.exists()


def ledger_counts() -> tuple[int, int]:
    """Return the numbers of instruments and history entries."""
    return Instrument.objects.count(), InstrumentStatusChange.objects.count()
