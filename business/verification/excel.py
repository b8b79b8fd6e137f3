"""Batch entry of record results from Excel, one sample per row, all or nothing.

The template of a record template has the fixed columns below and one column per
field of the record template, headed "名称（单位）[字段代码]" so that the code reads the
key back while users read the name. Every row is entered with the same rules as the online form
(``services.enter_record``). If any row fails, nothing is saved, and every error is
returned with its row number and column.
"""

import datetime
import io
import logging
import re
from dataclasses import dataclass

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from business.applications.models import ApplicationItem
from business.audit import services as audit
from business.instruments.excel.archive import FileRejected, check_xlsx_archive
from business.standards.models import MeasurementStandard

from . import services
from .models import RecordTemplate, VerificationRecord

logger = logging.getLogger(__name__)

SHEET_TITLE = "检定结果"
MAX_ROWS = 2000
FIXED_COLUMNS = [
    ("sample_number", "样品编号"),
    ("verification_date", "检定日期"),
    ("conclusion", "检定结论"),
    ("accuracy_grade", "准确度等级"),
    ("standards", "计量标准考核证书号"),
]
KEY_PATTERN = re.compile(r"\[([A-Za-z0-9_-]+)\]\s*$")
CONCLUSIONS = {"合格": "qualified", "不合格": "unqualified"}


@dataclass(frozen=True)
class ImportProblem:
    message: str
    code: str
    row: int | None = None
    column: str = ""

    def as_field_error(self) -> tuple[str | None, str, str]:
        place = f"第 {self.row} 行" if self.row else ""
        if self.column:
            place += f" {self.column} 列"
        text = f"{place}：{self.message}" if place else self.message
        return (f"row{self.row}.{self.column}" if self.row else "file", text, self.code)


class ImportRejected(Exception):
    def __init__(self, problems: list[ImportProblem]):
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


def field_header(field) -> str:
    unit = f"（{field.unit}）" if field.unit else ""
    return f"{field.label}{unit}[{field.key}]"


def build_template(template: RecordTemplate) -> bytes:
    """Return the .xlsx file that users fill in for ``template``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    headers = [label for _, label in FIXED_COLUMNS] + [
        field_header(field) for field in template.fields.all()
    ]
    sheet.append(headers)
    for index in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    for line in (
        f"原始记录模板：{template.name}（{template.regulation}）",
        "每行填写一个已受理样品的检定结果；样品编号须与受理时编的一致。",
        "检定日期写成 2026-12-01 形式；检定结论填“合格”或“不合格”。",
        "计量标准考核证书号可填多个，用逗号分隔。",
        "请直接填写数值，不要使用公式。任何一行有错时整个文件都不导入。",
    ):
        notes.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f" or isinstance(value, (ArrayFormula, DataTableFormula)):
        raise ValueError("单元格含有公式，请直接填写数值。")
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if text.startswith("="):
        raise ValueError("单元格含有公式，请直接填写数值。")
    return text


def _read(file_bytes: bytes) -> tuple[list[str], list[tuple[int, list]]]:
    try:
        check_xlsx_archive(file_bytes)
    except FileRejected as error:
        raise ImportRejected([ImportProblem(error.message, error.code)]) from None
    try:
        workbook = load_workbook(io.BytesIO(file_bytes), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types for damaged files
        logger.info("Unreadable record import file rejected")
        raise ImportRejected(
            [ImportProblem("文件无法作为 Excel 工作簿读取，请使用下载的模板。", "unreadable")]
        ) from None
    try:
        sheet = (
            workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.worksheets[0]
        )
        rows = sheet.iter_rows()
        header_cells = next(rows, None)
        if header_cells is None:
            raise ImportRejected([ImportProblem("工作表是空的，请使用下载的模板。", "empty_sheet")])
        headers = [str(cell.value or "").strip() for cell in header_cells]
        data_rows = []
        for number, cells in enumerate(rows, start=2):
            if all(cell.value in (None, "") for cell in cells):
                continue
            if len(data_rows) == MAX_ROWS:
                raise ImportRejected(
                    [
                        ImportProblem(
                            f"一次最多导入 {MAX_ROWS} 行，请分成几个文件。", "too_many_rows"
                        )
                    ]
                )
            data_rows.append((number, list(cells)))
    finally:
        workbook.close()
    if not data_rows:
        raise ImportRejected([ImportProblem("文件中没有填写任何检定结果。", "no_rows")])
    return headers, data_rows


def _columns(headers: list[str], template: RecordTemplate) -> dict[str, int]:
    """Map each fixed column name and template field key to its column index."""
    positions = {}
    labels = {label: key for key, label in FIXED_COLUMNS}
    keys = {field.key for field in template.fields.all()}
    problems = []
    for index, header in enumerate(headers):
        if header in labels:
            positions[labels[header]] = index
            continue
        match = KEY_PATTERN.search(header)
        if match and match.group(1) in keys:
            positions[match.group(1)] = index
        elif header:
            problems.append(
                ImportProblem(
                    f"无法识别的列“{header}”，请使用下载的模板。",
                    "unknown_column",
                    row=1,
                    column=get_column_letter(index + 1),
                )
            )
    for key, label in FIXED_COLUMNS:
        if key not in positions and key != "accuracy_grade":
            problems.append(
                ImportProblem(f"缺少“{label}”列，请使用下载的模板。", "missing_column", row=1)
            )
    if problems:
        raise ImportRejected(problems)
    return positions


def _column_of(positions, key) -> str:
    return get_column_letter(positions[key] + 1) if key in positions else ""


def _row_values(number, cells, positions, problems) -> dict[str, str] | None:
    values = {}
    for key, index in positions.items():
        if index >= len(cells):
            values[key] = ""
            continue
        try:
            values[key] = _cell_text(cells[index])
        except ValueError as error:
            problems.append(
                ImportProblem(str(error), "formula", number, get_column_letter(index + 1))
            )
            return None
    return values


def import_results(
    user, template_id, file_bytes: bytes, *, request_info: audit.RequestInfo = audit.SYSTEM_REQUEST
) -> list[VerificationRecord]:
    """Enter one record per row of the uploaded file; raise ImportRejected listing every problem."""
    services.require_permission(user, "records.enter")
    try:
        template = RecordTemplate.objects.get(pk=int(template_id))
    except (RecordTemplate.DoesNotExist, ValueError, TypeError):
        raise ImportRejected(
            [ImportProblem("原始记录模板不存在，请重新选择。", "template_not_found")]
        ) from None
    headers, rows = _read(file_bytes)
    positions = _columns(headers, template)
    field_keys = [field.key for field in template.fields.all()]
    standards_by_number = dict(
        MeasurementStandard.objects.filter(institution_id=user.organisation_id).values_list(
            "certificate_number", "pk"
        )
    )
    samples = dict(
        ApplicationItem.objects.filter(application__institution_id=user.organisation_id)
        .exclude(sample_number="")
        .values_list("sample_number", "pk")
    )

    problems: list[ImportProblem] = []
    records = []
    with transaction.atomic():
        for number, cells in rows:
            values = _row_values(number, cells, positions, problems)
            if values is None:
                continue
            row_problems = _enter_row(
                user,
                number,
                values,
                positions,
                field_keys,
                samples,
                standards_by_number,
                request_info,
                records,
            )
            problems.extend(row_problems)
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ImportRejected(problems)
    logger.info("Imported %d record(s) for institution %s", len(records), user.organisation_id)
    return records


def _enter_row(
    user, number, values, positions, field_keys, samples, standards_by_number, request_info, records
) -> list[ImportProblem]:
    problems = []
    sample = values.get("sample_number", "")
    if sample not in samples:
        return [
            ImportProblem(
                f"样品编号“{sample}”不是本机构已受理的样品。",
                "unknown_sample",
                number,
                _column_of(positions, "sample_number"),
            )
        ]
    try:
        verification_date = datetime.date.fromisoformat(values.get("verification_date", ""))
    except ValueError:
        return [
            ImportProblem(
                "检定日期应写成 2026-12-01 形式。",
                "invalid_date",
                number,
                _column_of(positions, "verification_date"),
            )
        ]
    conclusion = CONCLUSIONS.get(values.get("conclusion", ""))
    if conclusion is None:
        return [
            ImportProblem(
                "检定结论应填“合格”或“不合格”。",
                "invalid_conclusion",
                number,
                _column_of(positions, "conclusion"),
            )
        ]
    standard_ids = []
    for certificate_number in re.split(r"[,，;；\s]+", values.get("standards", "")):
        if not certificate_number:
            continue
        if certificate_number not in standards_by_number:
            return [
                ImportProblem(
                    f"本机构没有考核证书号为“{certificate_number}”的计量标准。",
                    "unknown_standard",
                    number,
                    _column_of(positions, "standards"),
                )
            ]
        standard_ids.append(standards_by_number[certificate_number])

    try:
        with transaction.atomic():
            records.append(
                services.enter_record(
                    user,
                    samples[sample],
                    verification_date=verification_date,
                    conclusion=conclusion,
                    accuracy_grade=values.get("accuracy_grade", ""),
                    data={key: values.get(key, "") for key in field_keys},
                    standard_ids=standard_ids,
                    request_info=request_info,
                )
            )
    except services.RecordError as error:
        for field, message, code in error.errors:
            key = (field or "").removeprefix("data.")
            column = {"standardIds": "standards", "verificationDate": "verification_date"}.get(
                key, key
            )
            problems.append(ImportProblem(message, code, number, _column_of(positions, column)))
    except services.NotFoundError:
        problems.append(
            ImportProblem(
                f"样品“{sample}”当前不能录入记录（申请未在检定中）。",
                "sample_closed",
                number,
                _column_of(positions, "sample_number"),
            )
        )
    return problems
