"""Each rejected import names the row, column and value, and writes nothing."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from business.instruments.excel import import_instruments, importing
from business.instruments.excel.columns import DATA_SHEET_TITLE, HEADERS
from tests import factories

from .helpers import fill_template, ledger_counts, row, rows_of, save, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    factories.catalogue_item()
    return factories.enterprise()


def rejected(enterprise, file_bytes):
    """Import ``file_bytes``, check that nothing was written, and return the errors."""
    before = ledger_counts()
    result = import_instruments(enterprise, file_bytes, actor=None)
    assert not result.ok
    assert result.created == []
    assert ledger_counts() == before
    return result.errors


def only_error(enterprise, file_bytes):
    errors = rejected(enterprise, file_bytes)
    assert len(errors) == 1, [str(error) for error in errors]
    return errors[0]


def with_cell(rows: list[dict], header: str, value, row_number=2, data_type=None) -> bytes:
    """Fill the template, then set one cell directly (for formulas and dates)."""
    workbook = load_workbook(io.BytesIO(fill_template(rows)))
    cell = workbook[DATA_SHEET_TITLE].cell(row=row_number, column=HEADERS.index(header) + 1)
    cell.value = value
    if data_type:
        cell.data_type = data_type
    return save(workbook)


def test_renamed_header_rejected(enterprise):
    headers = list(HEADERS)
    headers[HEADERS.index("出厂编号")] = "编号"

    errors = rejected(enterprise, workbook_bytes(headers, rows_of([row()])))

    assert [(error.code, error.column, error.header) for error in errors] == [
        ("unknown_header", "H", "编号"),
        ("missing_header", "", "出厂编号"),
    ]
    assert all(error.row == 1 for error in errors)
    assert "出厂编号" in errors[1].message


def test_missing_header_rejected(enterprise):
    headers = [header for header in HEADERS if header != "检定方式"]

    error = only_error(enterprise, workbook_bytes(headers, [[1] * len(headers)]))

    assert error.code == "missing_header"
    assert error.header == "检定方式"
    assert "缺少列“检定方式”" in error.message


def test_duplicate_header_rejected(enterprise):
    headers = [*HEADERS, "器具名称"]

    error = only_error(enterprise, workbook_bytes(headers, []))

    assert error.code == "duplicate_header"
    assert error.column == "N"


def test_empty_bytes_rejected(enterprise):
    error = only_error(enterprise, b"")

    assert error.code == "empty_file"
    assert error.message == "上传的文件是空的，请选择填写好的 Excel 文件。"
    assert error.row is None


def test_template_without_rows_rejected(enterprise):
    error = only_error(enterprise, fill_template([]))

    assert error.code == "no_rows"
    assert "没有填写任何器具" in error.message


def test_sheet_without_header_rejected(enterprise):
    error = only_error(enterprise, save(Workbook()))

    assert error.code == "empty_sheet"


def test_too_many_rows_rejected(enterprise, monkeypatch):
    monkeypatch.setattr(importing, "MAX_IMPORT_ROWS", 3)
    rows = [row(**{"出厂编号": f"JS{number}"}) for number in range(4)]

    error = only_error(enterprise, fill_template(rows))

    assert error.code == "too_many_rows"
    assert error.row == 5
    assert "3 行" in error.message


def test_duplicate_serial_in_file_rejected(enterprise):
    rows = [row(), row(**{"出厂编号": "JS-OTHER"}), row()]

    error = only_error(enterprise, fill_template(rows))

    assert error.code == "duplicate_in_file"
    assert (error.row, error.column, error.header) == (4, "H", "出厂编号")
    assert error.value == "JS2026000001"
    assert "与第 2 行重复" in error.message


def test_other_manufacturer_not_duplicate(enterprise):
    rows = [row(), row(**{"制造单位": "宁波示例衡器有限公司"})]

    result = import_instruments(enterprise, fill_template(rows), actor=None)

    assert result.ok


def test_duplicate_serial_in_ledger_rejected(enterprise):
    existing = factories.instrument(owner=enterprise)
    rows = [row(), row(**{"出厂编号": existing.serial_number, "制造单位": existing.manufacturer})]

    error = only_error(enterprise, fill_template(rows))

    assert error.code == "duplicate_in_ledger"
    assert (error.row, error.column) == (3, "H")
    assert "台账中已有" in error.message
    assert "在用" in error.message
    assert list(enterprise.instruments.all()) == [existing]


def test_unknown_catalogue_number_rejected(enterprise):
    error = only_error(enterprise, fill_template([row(**{"强制检定目录序号": 999})]))

    assert error.code == "unknown_catalogue_number"
    assert (error.row, error.column, error.header, error.value) == (2, "B", "强制检定目录序号", "999")
    assert "序号 999" in error.message


def test_non_integer_catalogue_number_rejected(enterprise):
    error = only_error(enterprise, fill_template([row(**{"强制检定目录序号": "九"})]))

    assert error.code == "invalid_number"
    assert error.column == "B"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("419999", "unknown_division"),
        ("410100", "division_not_county"),
        ("4101", "invalid_division_code"),
    ],
)
def test_bad_division_code_rejected(enterprise, code, expected):
    error = only_error(enterprise, fill_template([row(**{"使用地区划代码": code})]))

    assert error.code == expected
    assert (error.row, error.column, error.value) == (2, "K", code)


def test_unknown_usage_rejected(enterprise):
    error = only_error(enterprise, fill_template([row(**{"用途": "零售"})]))

    assert error.code == "invalid_choice"
    assert error.column == "D"
    assert "贸易结算" in error.message


def test_unknown_delivery_mode_rejected(enterprise):
    error = only_error(enterprise, fill_template([row(**{"检定方式": "上门"})]))

    assert error.code == "invalid_choice"
    assert error.column == "L"


def test_catalogue_number_without_usage_rejected(enterprise):
    error = only_error(enterprise, fill_template([row(**{"用途": None})]))

    assert error.code == "missing_usage"
    assert error.column == "D"


def test_usage_without_catalogue_number_rejected(enterprise):
    error = only_error(enterprise, fill_template([row(**{"强制检定目录序号": None})]))

    assert error.code == "missing_catalogue_item"
    assert error.column == "B"


def test_unknown_catalogue_number_reported_once(enterprise):
    # The usage is present, so only the catalogue number itself is wrong.
    errors = rejected(enterprise, fill_template([row(**{"强制检定目录序号": 999})]))

    assert [error.code for error in errors] == ["unknown_catalogue_number"]


def test_required_cells_rejected(enterprise):
    errors = rejected(enterprise, fill_template([row(**{"器具名称": " ", "出厂编号": None})]))

    assert [(error.code, error.column) for error in errors] == [
        ("required", "A"),
        ("required", "H"),
    ]
    assert errors[0].message == "请填写器具名称。"


def test_text_too_long_rejected(enterprise):
    long_name = "秤" * 101

    error = only_error(enterprise, fill_template([row(**{"器具名称": long_name})]))

    assert error.code == "too_long"
    assert error.column == "A"
    assert "最多 100 个字符" in error.message
    assert error.value.startswith("秤" * 100)


def test_date_in_text_column_rejected(enterprise):
    file_bytes = with_cell([row()], "型号规格", datetime.datetime(2026, 3, 12))

    error = only_error(enterprise, file_bytes)

    assert error.code == "date_value"
    assert error.column == "E"
    assert "文本格式" in error.message


def test_long_number_rejected(enterprise):
    file_bytes = with_cell([row()], "出厂编号", 1234567890123456789)

    error = only_error(enterprise, file_bytes)

    assert error.code == "number_too_long"
    assert error.column == "H"


def test_formula_cell_rejected(enterprise):
    file_bytes = with_cell([row()], "器具名称", '=HYPERLINK("http://127.0.0.1/","点击")')

    error = only_error(enterprise, file_bytes)

    assert error.code == "formula"
    assert (error.row, error.column, error.header) == (2, "A", "器具名称")
    assert error.value.startswith("=HYPERLINK")
    assert "公式" in error.message
    assert "公式注入" in error.message


def test_text_starting_with_equals_rejected(enterprise):
    file_bytes = with_cell([row()], "型号规格", "=A1", data_type="s")

    error = only_error(enterprise, file_bytes)

    assert error.code == "formula"
    assert error.column == "E"


def test_formula_in_number_column_rejected(enterprise):
    file_bytes = with_cell([row()], "强制检定目录序号", "=4+5")

    error = only_error(enterprise, file_bytes)

    assert error.code == "formula"
    assert error.column == "B"


def test_error_value_rejected(enterprise):
    file_bytes = with_cell([row()], "制造单位", "#N/A")

    error = only_error(enterprise, file_bytes)

    assert error.code == "error_value"
    assert error.column == "I"


def test_every_error_collected_in_order(enterprise):
    existing = factories.instrument(owner=enterprise)
    rows = [
        row(**{"强制检定目录序号": 999}),
        row(**{"出厂编号": "OK-1"}),
        row(**{"出厂编号": "OK-2", "使用地区划代码": "000000", "检定方式": "上门"}),
        row(**{"出厂编号": existing.serial_number, "制造单位": existing.manufacturer}),
        row(**{"出厂编号": "OK-1"}),
    ]

    errors = rejected(enterprise, fill_template(rows))

    assert [(error.row, error.column, error.code) for error in errors] == [
        (2, "B", "unknown_catalogue_number"),
        (4, "K", "unknown_division"),
        (4, "L", "invalid_choice"),
        (5, "H", "duplicate_in_ledger"),
        (6, "H", "duplicate_in_file"),
    ]
    assert str(errors[0]).startswith("第 2 行 B 列“强制检定目录序号”（内容：999）：")
