"""The .xlsx import template that enterprises download, fill in and upload."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from business.reference.models import CatalogueItem, Division, DivisionLevel, Usage

from ..models import Instrument
from .archive import MAX_FILE_BYTES
from .columns import COLUMNS, DATA_SHEET_TITLE, HEADERS
from .importing import MAX_IMPORT_ROWS

INSTRUCTIONS_SHEET_TITLE = "填写说明"
CATALOGUE_SHEET_TITLE = "强制检定目录"
DIVISIONS_SHEET_TITLE = "区划代码"

HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")

# Columns whose digits must stay text: Excel would drop leading zeros or turn long
# serial numbers into scientific notation.
TEXT_FORMAT_FIELDS = {
    "serial_number",
    "division",
    "model",
    "accuracy_class",
    "measuring_range",
    "service_life_end",
}


def _letter(field: str) -> str:
    index = next(i for i, column in enumerate(COLUMNS, start=1) if column.field == field)
    return get_column_letter(index)


def _list_validation(labels: list[str], title: str) -> DataValidation:
    return DataValidation(
        type="list",
        formula1='"' + ",".join(labels) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=f"请从下拉列表中选择{title}。",
    )


def _add_data_sheet(workbook: Workbook, catalogue_rows: int) -> None:
    sheet = workbook.active
    sheet.title = DATA_SHEET_TITLE
    sheet.append(list(HEADERS))
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.field in TEXT_FORMAT_FIELDS:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"

    last_row = MAX_IMPORT_ROWS + 1
    usage = _list_validation([label for _, label in Usage.choices], "用途")
    usage.add(f"{_letter('usage')}2:{_letter('usage')}{last_row}")
    delivery_mode = _list_validation(
        [label for _, label in Instrument.DeliveryMode.choices], "检定方式"
    )
    delivery_mode.add(f"{_letter('delivery_mode')}2:{_letter('delivery_mode')}{last_row}")
    sheet.add_data_validation(usage)
    sheet.add_data_validation(delivery_mode)

    if catalogue_rows:
        catalogue = DataValidation(
            type="list",
            formula1=f"'{CATALOGUE_SHEET_TITLE}'!$A$2:$A${catalogue_rows + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="强制检定目录序号",
            error="请填写“强制检定目录”表中的序号。",
        )
        letter = _letter("catalogue_item")
        catalogue.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(catalogue)


def _add_instructions_sheet(workbook: Workbook) -> None:
    sheet = workbook.create_sheet(INSTRUCTIONS_SHEET_TITLE)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 80

    rules = [
        "计量器具台账导入模板填写说明",
        "",
        f"1. 在“{DATA_SHEET_TITLE}”表中每行填写一台计量器具，第 1 行的列名不要修改、删除或调换。",
        f"2. 一次最多导入 {MAX_IMPORT_ROWS:,} 行，文件不超过 {MAX_FILE_BYTES // (1024 * 1024)} MB；"
        "台账较大时请分成几个文件导入。",
        "3. 只填写数值，不要使用公式：平台只保存单元格中的值，以“=”开头的内容会被拒绝。",
        "4. 导入是整体进行的：只要有一行有错误，整个文件都不会导入。平台会列出每个错误所在的"
        "行号、列和内容，请全部改正后重新上传。",
        "5. 出厂编号、区划代码等列已设为文本格式，请勿改为数字格式，以免丢失开头的 0 "
        "或变成科学计数法。",
        "6. 强制检定的器具必须同时填写“强制检定目录序号”“器具种类”和“用途”；"
        "非强制检定的器具这三列都留空。",
        "7. 同一制造单位的出厂编号在本单位台账中只能出现一次，已报废的器具也计算在内。",
        "8. 请保存为 Excel 工作簿（.xlsx）格式；旧版 .xls 文件请先另存为 .xlsx。",
        "9. 到期更换日期写成 2031-06-30 的形式，只有限期使用、到期轮换的器具填写。",
        "",
        "各列说明",
    ]
    for line in rules:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)

    sheet.append(["列名", "是否必填", "填写要求"])
    for cell in sheet[sheet.max_row]:
        cell.font = HEADER_FONT
    for column in COLUMNS:
        sheet.append([column.header, "必填" if column.required else "选填", column.help_text])
        for cell in sheet[sheet.max_row]:
            cell.alignment = WRAP

    sheet.append([])
    sheet.append(["用途可选值", "", "、".join(label for _, label in Usage.choices)])
    sheet.append(
        ["检定方式可选值", "", "、".join(label for _, label in Instrument.DeliveryMode.choices)]
    )


def _add_catalogue_sheet(workbook: Workbook, items: list[CatalogueItem]) -> None:
    sheet = workbook.create_sheet(CATALOGUE_SHEET_TITLE)
    sheet.append(["序号", "项目", "种类", "强管类型", "适用范围"])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
    for item in items:
        sheet.append(
            [item.number, item.item_name, item.kinds, item.get_usage_display(), item.scope]
        )
    for letter, width in zip("ABCDE", (8, 20, 30, 20, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def _add_divisions_sheet(workbook: Workbook) -> None:
    sheet = workbook.create_sheet(DIVISIONS_SHEET_TITLE)
    sheet.append(["区划代码", "名称", "所属"])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
    counties = (
        Division.objects.filter(level=DivisionLevel.COUNTY)
        .select_related("parent")
        .order_by("code")
    )
    for county in counties:
        parent_name = county.parent.name if county.parent is not None else ""
        sheet.append([county.code, county.name, parent_name])
    sheet.column_dimensions["A"].number_format = "@"
    for letter, width in zip("ABC", (12, 24, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def build_import_template() -> bytes:
    """Build the .xlsx import template with instructions and lookup sheets.

    The data sheet has a frozen header row and drop-down lists for 用途, 检定方式
    and 强制检定目录序号. The lookup sheets list the current catalogue and the
    county-level divisions.
    """
    catalogue_items = list(CatalogueItem.objects.order_by("number"))

    workbook = Workbook()
    _add_data_sheet(workbook, len(catalogue_items))
    _add_instructions_sheet(workbook)
    _add_catalogue_sheet(workbook, catalogue_items)
    _add_divisions_sheet(workbook)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
