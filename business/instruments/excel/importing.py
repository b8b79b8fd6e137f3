"""All-or-nothing import of a filled-in ledger template.

Every row is parsed and checked first, and every error is collected with its row
number as Excel shows it, its column and its value. Nothing is written unless the
whole file is valid. Then all rows are inserted in one transaction.
"""

import datetime
import io
import logging
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.db import IntegrityError, transaction
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from business.audit import services as audit
from business.reference.models import CatalogueItem, Division, Usage

from ..models import Instrument, InstrumentStatusChange
from ..services import (
    audit_actor,
    check_actor_scope,
    check_enterprise,
    default_division,
    describe_actor,
    lock_enterprise,
)
from ..validation import (
    TEXT_FIELDS,
    check_instrument_fields,
    duplicate_message,
    find_ledger_duplicates,
)
from .archive import FileRejected, check_xlsx_archive
from .columns import (
    COLUMNS,
    DATA_SHEET_TITLE,
    DELIVERY_MODE_BY_LABEL,
    FORMULA_PREFIXES,
    HEADERS,
    USAGE_BY_LABEL,
)

logger = logging.getLogger(__name__)

MAX_IMPORT_ROWS = 10_000
IMPORT_REASON = "Excel 导入备案"
# Excel keeps 15 significant digits, so larger numbers have already lost digits.
MAX_EXACT_NUMBER = 10**15
MAX_DISPLAY_LENGTH = 100
BULK_BATCH_SIZE = 1000

FORMULA_MESSAGE = (
    "单元格含有公式或以“=”开头，请直接填写内容。平台只保存单元格中的值，不计算公式；"
    "而且公式在他人打开导出文件时可能被执行（公式注入攻击）。"
)
MANDATORY_PAIR_CODES = {"missing_usage", "missing_catalogue_item"}


@dataclass(frozen=True)
class ImportErrorDetail:
    """One problem in an uploaded file, with the message shown to the user.

    ``row`` is the row number that Excel shows, and None for problems with the whole
    file. ``column`` is the column letter and ``header`` the column name.
    """

    message: str
    code: str
    row: int | None = None
    column: str = ""
    header: str = ""
    value: str = ""

    def __str__(self) -> str:
        place = []
        if self.row is not None:
            place.append(f"第 {self.row} 行")
        if self.column:
            place.append(f"{self.column} 列")
        prefix = " ".join(place)
        if self.header:
            prefix += f"“{self.header}”"
        if not prefix:
            return self.message
        shown = f"（内容：{self.value}）" if self.value else ""
        return f"{prefix}{shown}：{self.message}"


@dataclass
class ImportResult:
    """Outcome of an import: the created instruments, or the errors and nothing created."""

    created: list[Instrument] = field(default_factory=list)
    errors: list[ImportErrorDetail] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Cell:
    letter: str
    header: str
    display: str
    text: str


@dataclass
class _Row:
    number: int
    cells: dict[str, _Cell]
    failed_fields: set[str] = field(default_factory=set)
    values: dict = field(default_factory=dict)


class _CellRejected(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def _display_value(value) -> str:
    text = "" if value is None else str(value)
    if len(text) > MAX_DISPLAY_LENGTH:
        return text[:MAX_DISPLAY_LENGTH] + "…"
    return text


def _cell_text(cell) -> str:
    """Return the text of a cell, or raise _CellRejected for values the ledger cannot take."""
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f" or isinstance(value, (ArrayFormula, DataTableFormula)):
        raise _CellRejected(FORMULA_MESSAGE, "formula")
    if cell.data_type == "e":
        raise _CellRejected(f"单元格是错误值 {value}，请改为直接填写内容。", "error_value")
    if isinstance(value, bool):
        raise _CellRejected("单元格是逻辑值（TRUE/FALSE），请填写文字。", "invalid_value")
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        raise _CellRejected(
            "单元格被 Excel 当成了日期或时间，请把该列设为文本格式后重新输入原内容。",
            "date_value",
        )
    if isinstance(value, (int, float)):
        if abs(value) >= MAX_EXACT_NUMBER:
            raise _CellRejected(
                "数字超过 15 位，Excel 已丢失末尾的数字，请把该列设为文本格式后重新输入。",
                "number_too_long",
            )
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    text = str(value).strip()
    # An apostrophe before a formula character is what export_instruments() adds,
    # so a value copied back from an export is stored without it.
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        text = text[1:]
    if text.startswith("="):
        raise _CellRejected(FORMULA_MESSAGE, "formula")
    return text


DATE_FIELDS = {"service_life_end"}


def _cell_date_text(cell) -> str:
    """Return a date cell or a date text as ISO text, or raise _CellRejected.

    Excel stores a typed date as a datetime, while a text-formatted cell keeps
    what was typed, so both 2031-06-30 and 2031/6/30 are accepted.
    """
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f" or isinstance(value, (ArrayFormula, DataTableFormula)):
        raise _CellRejected(FORMULA_MESSAGE, "formula")
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return ""
    parts = text.replace("/", "-").replace(".", "-").split("-")
    if len(parts) != 3 or not all(part.isascii() and part.isdigit() for part in parts):
        raise _CellRejected("日期格式无效，请写成 2031-06-30 的形式。", "invalid_date")
    try:
        return datetime.date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
    except ValueError:
        raise _CellRejected(
            f"日期“{text}”不存在（月份或日期超出范围），请核对后重新填写。", "impossible_date"
        ) from None


def _read_header(header_cells) -> tuple[dict[str, int], list[ImportErrorDetail]]:
    """Map each expected header to its column index, and list the header errors."""
    positions: dict[str, int] = {}
    errors = []
    for index, cell in enumerate(header_cells, start=1):
        if cell.value is None or not str(cell.value).strip():
            continue
        header = str(cell.value).strip()
        letter = get_column_letter(index)
        if header not in HEADERS:
            errors.append(
                ImportErrorDetail(
                    f"第 1 行的列名“{header}”不是模板中的列，请使用导入模板，不要修改列名。",
                    "unknown_header",
                    row=1,
                    column=letter,
                    header=header,
                    value=_display_value(header),
                )
            )
        elif header in positions:
            errors.append(
                ImportErrorDetail(
                    f"列名“{header}”出现了两次，请删除多余的一列。",
                    "duplicate_header",
                    row=1,
                    column=letter,
                    header=header,
                    value=header,
                )
            )
        else:
            positions[header] = index

    for header in HEADERS:
        if header not in positions:
            errors.append(
                ImportErrorDetail(
                    f"第 1 行缺少列“{header}”，请使用导入模板，不要删除或修改列名。",
                    "missing_header",
                    row=1,
                    header=header,
                )
            )
    return positions, errors


def _is_blank(cells) -> bool:
    return all(cell.value is None or str(cell.value).strip() == "" for cell in cells)


def _cell_error(row: _Row, field_name: str, message: str, code: str) -> ImportErrorDetail:
    cell = row.cells[field_name]
    return ImportErrorDetail(
        message, code, row=row.number, column=cell.letter, header=cell.header, value=cell.display
    )


def _read_rows(file_bytes: bytes) -> tuple[list[_Row], list[ImportErrorDetail]]:
    """Parse the data sheet into rows of cell texts, with the errors of single cells."""
    workbook = load_workbook(io.BytesIO(file_bytes), read_only=True, data_only=False)
    try:
        if DATA_SHEET_TITLE in workbook.sheetnames:
            sheet = workbook[DATA_SHEET_TITLE]
        elif workbook.worksheets:
            sheet = workbook.worksheets[0]
        else:
            return [], [ImportErrorDetail("文件中没有工作表。", "empty_sheet")]

        row_iterator = sheet.iter_rows()
        header_cells = next(row_iterator, None)
        if header_cells is None:
            return [], [
                ImportErrorDetail("工作表是空的，请在导入模板中填写器具后再上传。", "empty_sheet")
            ]
        positions, errors = _read_header(header_cells)
        if errors:
            return [], errors

        rows = []
        for row_number, cells in enumerate(row_iterator, start=2):
            if _is_blank(cells):
                continue
            if len(rows) == MAX_IMPORT_ROWS:
                return [], [
                    ImportErrorDetail(
                        f"文件中的器具超过 {MAX_IMPORT_ROWS:,} 行的上限（第 {row_number} 行"
                        "已超出），请分成几个文件导入。",
                        "too_many_rows",
                        row=row_number,
                    )
                ]
            rows.append(_parse_row(row_number, cells, positions, errors))
    finally:
        workbook.close()

    if not rows and not errors:
        errors.append(
            ImportErrorDetail("文件中没有填写任何器具。请从第 2 行起每行填写一台器具。", "no_rows")
        )
    return rows, errors


def _parse_row(row_number: int, cells, positions: dict[str, int], errors: list) -> _Row:
    """Read the texts of one row and append the errors of unusable cells to ``errors``."""
    row = _Row(number=row_number, cells={})
    for column in COLUMNS:
        index = positions[column.header]
        # Read-only sheets without a stored dimension can return short rows.
        cell = cells[index - 1] if index <= len(cells) else None
        raw = cell.value if cell is not None else None
        parsed = _Cell(get_column_letter(index), column.header, _display_value(raw), "")
        row.cells[column.field] = parsed
        if cell is None:
            continue
        try:
            parsed.text = _cell_date_text(cell) if column.field in DATE_FIELDS else _cell_text(cell)
        except _CellRejected as rejection:
            row.failed_fields.add(column.field)
            errors.append(_cell_error(row, column.field, rejection.message, rejection.code))
    return row


class _Lookups:
    """Catalogue items and divisions referenced by the file, loaded in a few queries."""

    def __init__(self, rows: list[_Row], enterprise):
        self.catalogue = {item.number: item for item in CatalogueItem.objects.all()}
        codes = sorted(
            {
                row.cells["division"].text
                for row in rows
                if row.cells["division"].text.isdigit() and len(row.cells["division"].text) == 6
            }
        )
        self.divisions = {}
        for start in range(0, len(codes), 500):
            for division in Division.objects.filter(code__in=codes[start : start + 500]):
                self.divisions[division.code] = division
        self.default_division = default_division(enterprise)


def _resolve_row(row: _Row, lookups: _Lookups) -> list[ImportErrorDetail]:
    """Turn the row's texts into model values in ``row.values`` and return its errors."""
    errors = []

    def reject(field_name: str, message: str, code: str) -> None:
        row.failed_fields.add(field_name)
        errors.append(_cell_error(row, field_name, message, code))

    values = {name: row.cells[name].text for name in TEXT_FIELDS}

    date_text = row.cells["service_life_end"].text
    values["service_life_end"] = datetime.date.fromisoformat(date_text) if date_text else None

    number_text = row.cells["catalogue_item"].text
    values["catalogue_item"] = None
    if number_text and "catalogue_item" not in row.failed_fields:
        if not (number_text.isascii() and number_text.isdigit()):
            reject("catalogue_item", "强制检定目录序号应为整数，例如 9。", "invalid_number")
        elif int(number_text) not in lookups.catalogue:
            reject(
                "catalogue_item",
                f"强制检定目录中没有序号 {int(number_text)}，请对照“强制检定目录”表填写。",
                "unknown_catalogue_number",
            )
        else:
            values["catalogue_item"] = lookups.catalogue[int(number_text)]

    usage_text = row.cells["usage"].text
    values["usage"] = ""
    if usage_text and "usage" not in row.failed_fields:
        if usage_text in USAGE_BY_LABEL:
            values["usage"] = USAGE_BY_LABEL[usage_text]
        else:
            labels = "、".join(label for _, label in Usage.choices)
            reject("usage", f"用途“{usage_text}”无效，应为以下之一：{labels}。", "invalid_choice")

    mode_text = row.cells["delivery_mode"].text
    values["delivery_mode"] = Instrument.DeliveryMode.SEND
    if mode_text and "delivery_mode" not in row.failed_fields:
        if mode_text in DELIVERY_MODE_BY_LABEL:
            values["delivery_mode"] = DELIVERY_MODE_BY_LABEL[mode_text]
        else:
            reject(
                "delivery_mode",
                f"检定方式“{mode_text}”无效，应为“送检”或“现场检定”。",
                "invalid_choice",
            )

    code = row.cells["division"].text
    values["division"] = None
    if "division" in row.failed_fields:
        pass
    elif not code:
        values["division"] = lookups.default_division
    elif not (code.isascii() and code.isdigit() and len(code) == 6):
        reject("division", "区划代码应为 6 位数字，例如 410105。", "invalid_division_code")
    elif code not in lookups.divisions:
        reject(
            "division",
            f"没有区划代码 {code}，请对照“区划代码”表填写县（市、区）的代码。",
            "unknown_division",
        )
    else:
        values["division"] = lookups.divisions[code]

    for error in check_instrument_fields(values):
        if error.field in row.failed_fields:
            continue
        # A catalogue number or usage that could not be read is reported already,
        # so its partner column is not reported as missing.
        if error.code in MANDATORY_PAIR_CODES and row.failed_fields & {"catalogue_item", "usage"}:
            continue
        reject(error.field, error.message, error.code)

    row.values = values
    return errors


def _find_duplicates(rows: list[_Row], enterprise) -> list[ImportErrorDetail]:
    """Report serial numbers repeated in the file or already in the enterprise's ledger."""
    errors = []
    first_rows: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.failed_fields & {"serial_number", "manufacturer"} or not row.values["serial_number"]:
            continue
        key = (row.values["manufacturer"], row.values["serial_number"])
        if key in first_rows:
            errors.append(
                _cell_error(
                    row,
                    "serial_number",
                    f"{duplicate_message(key[1], key[0])}与第 {first_rows[key]} 行重复。",
                    "duplicate_in_file",
                )
            )
        else:
            first_rows[key] = row.number

    existing = find_ledger_duplicates(enterprise, set(first_rows))
    for row in rows:
        key = (row.values.get("manufacturer"), row.values.get("serial_number"))
        if key in existing and first_rows.get(key) == row.number:
            status = Instrument.Status(existing[key]).label
            errors.append(
                _cell_error(
                    row,
                    "serial_number",
                    f"本单位台账中已有{duplicate_message(key[1], key[0])}（状态：{status}），"
                    "不能重复备案。",
                    "duplicate_in_ledger",
                )
            )
    return errors


def _validate(file_bytes: bytes, enterprise) -> tuple[list[_Row], list[ImportErrorDetail]]:
    try:
        check_xlsx_archive(file_bytes)
    except FileRejected as rejection:
        return [], [ImportErrorDetail(rejection.message, rejection.code)]

    try:
        rows, errors = _read_rows(file_bytes)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        DefusedXmlException,
        ParseError,
        KeyError,
        ValueError,
        TypeError,
        OSError,
    ) as error:
        # openpyxl wraps parser errors such as defusedxml's EntitiesForbidden in a
        # ValueError, so the cause is logged too.
        logger.warning(
            "Ledger import for enterprise %s could not read the workbook: %r (cause: %r)",
            enterprise.pk,
            error,
            error.__cause__,
        )
        return [], [
            ImportErrorDetail(
                "无法读取该 Excel 文件，文件可能已损坏或不是平台的导入模板。"
                "请在 Excel 或 WPS 中打开后另存为 .xlsx，再重新导入。",
                "unreadable_file",
            )
        ]
    if not rows:
        return [], errors

    lookups = _Lookups(rows, enterprise)
    for row in rows:
        errors.extend(_resolve_row(row, lookups))
    errors.extend(_find_duplicates(rows, enterprise))
    errors.sort(key=lambda error: (error.row or 0, error.column))
    return rows, errors


def _save(rows: list[_Row], enterprise, actor, request_info) -> list[Instrument] | None:
    """Insert the rows and their history, or return None if the ledger gained a duplicate."""
    instruments = [Instrument(enterprise=enterprise, **row.values) for row in rows]
    keys = {(item.manufacturer, item.serial_number) for item in instruments}

    with transaction.atomic():
        lock_enterprise(enterprise)
        # Another filing may have added one of the serial numbers since validation.
        if find_ledger_duplicates(enterprise, keys):
            return None
        created = Instrument.objects.bulk_create(instruments, batch_size=BULK_BATCH_SIZE)
        if any(instrument.pk is None for instrument in created):
            created = _reload(enterprise, keys)
        actor_text = describe_actor(actor)
        InstrumentStatusChange.objects.bulk_create(
            [
                InstrumentStatusChange(
                    instrument=instrument,
                    from_status="",
                    to_status=Instrument.Status.IN_USE,
                    reason=IMPORT_REASON,
                    actor=actor_text,
                )
                for instrument in created
            ],
            batch_size=BULK_BATCH_SIZE,
        )
        audit.record_event(
            "instrument.import",
            actor=audit_actor(actor),
            request_info=request_info or audit.SYSTEM_REQUEST,
            object_type="organisation",
            object_id=enterprise.pk,
            changes={"instruments": (None, len(created))},
        )
    return created


def _reload(enterprise, keys: set[tuple[str, str]]) -> list[Instrument]:
    """Load the inserted rows on databases whose bulk insert does not return keys."""
    serial_numbers = sorted({serial for _, serial in keys})
    loaded = []
    for start in range(0, len(serial_numbers), 500):
        batch = Instrument.objects.filter(
            enterprise=enterprise, serial_number__in=serial_numbers[start : start + 500]
        )
        loaded += [item for item in batch if (item.manufacturer, item.serial_number) in keys]
    return loaded


def import_instruments(
    enterprise, file_bytes: bytes, *, actor, request_info=None
) -> ImportResult:
    """Import a filled-in template into the ledger of ``enterprise``, all rows or none.

    Returns an ImportResult with the created instruments, or with every error found
    and nothing written. Raises InstrumentError when the organisation is not an
    active enterprise.
    """
    check_enterprise(enterprise)
    check_actor_scope(actor, enterprise.pk)

    rows, errors = _validate(file_bytes, enterprise)
    if errors:
        logger.info(
            "Rejected ledger import for enterprise %s: %s error(s), first %s",
            enterprise.pk,
            len(errors),
            errors[0].code,
        )
        return ImportResult(errors=errors)

    conflict = ImportErrorDetail(
        "导入期间本单位台账已被修改，部分出厂编号已经存在。没有导入任何数据，请重新上传文件。",
        "ledger_changed",
    )
    try:
        created = _save(rows, enterprise, actor, request_info)
    except IntegrityError as error:
        logger.warning(
            "Ledger import for enterprise %s hit a unique constraint: %s", enterprise.pk, error
        )
        return ImportResult(errors=[conflict])
    if created is None:
        logger.info(
            "Ledger import for enterprise %s found new duplicates while saving", enterprise.pk
        )
        return ImportResult(errors=[conflict])

    logger.info(
        "Imported %s instrument(s) into the ledger of enterprise %s", len(created), enterprise.pk
    )
    return ImportResult(created=created)
