import io

import pytest
from openpyxl import load_workbook

from business.instruments.excel import build_import_template, import_instruments
from business.instruments.excel.columns import DATA_SHEET_TITLE, HEADERS
from business.instruments.models import Instrument, InstrumentStatusChange
from business.reference.models import Usage
from tests import factories

from .helpers import fill_template, ledger_is_empty, row, rows_of, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    factories.catalogue_item()
    return factories.enterprise()


def test_template_layout():
    factories.catalogue_item()
    factories.division()

    workbook = load_workbook(io.BytesIO(build_import_template()))

    assert workbook.sheetnames == [DATA_SHEET_TITLE, "填写说明", "强制检定目录", "区划代码"]
    sheet = workbook[DATA_SHEET_TITLE]
    assert [cell.value for cell in sheet[1]] == list(HEADERS)
    assert sheet.freeze_panes == "A2"
    lists = {
        str(validation.sqref): validation.formula1
        for validation in sheet.data_validations.dataValidation
    }
    assert lists["D2:D10001"] == '"' + ",".join(label for _, label in Usage.choices) + '"'
    assert lists["L2:L10001"] == '"送检,现场检定"'
    assert lists["B2:B10001"] == "'强制检定目录'!$A$2:$A$2"
    assert workbook["强制检定目录"]["A2"].value == 9
    assert workbook["区划代码"]["A2"].value == "410105"
    instructions = " ".join(
        str(cell.value) for line in workbook["填写说明"].iter_rows() for cell in line if cell.value
    )
    assert "10,000" in instructions
    assert "公式" in instructions


def test_round_trip_through_template(enterprise):
    file_bytes = fill_template(
        [
            row(),
            row(
                **{
                    "器具名称": "压力表",
                    "强制检定目录序号": None,
                    "用途": None,
                    "出厂编号": "YL-0001",
                    "测量范围": "-0.1～0.6 MPa",
                    "使用地区划代码": None,
                    "检定方式": "现场检定",
                }
            ),
        ]
    )

    result = import_instruments(enterprise, file_bytes, actor=None)

    assert result.ok, [str(error) for error in result.errors]
    assert len(result.created) == 2
    scale, gauge = Instrument.objects.order_by("pk")
    assert scale.catalogue_item.number == 9
    assert scale.usage == "trade_settlement"
    assert scale.division_id == "410105"
    assert scale.delivery_mode == Instrument.DeliveryMode.SEND
    assert scale.accuracy_class == "Ⅲ级"
    assert gauge.catalogue_item is None
    assert gauge.usage == ""
    assert gauge.measuring_range == "-0.1～0.6 MPa"
    assert gauge.division_id == enterprise.division_id
    assert gauge.delivery_mode == Instrument.DeliveryMode.ON_SITE
    reasons = set(InstrumentStatusChange.objects.values_list("reason", flat=True))
    assert reasons == {"Excel 导入备案"}
    assert InstrumentStatusChange.objects.count() == 2


def test_numbers_imported_as_text(enterprise):
    file_bytes = workbook_bytes(
        list(HEADERS),
        rows_of([row(**{"出厂编号": 20260001, "使用地区划代码": 410105, "准确度等级": 0.5})]),
    )

    result = import_instruments(enterprise, file_bytes, actor=None)

    assert result.ok, [str(error) for error in result.errors]
    instrument = Instrument.objects.get()
    assert instrument.serial_number == "20260001"
    assert instrument.division_id == "410105"
    assert instrument.accuracy_class == "0.5"


def test_blank_rows_keep_row_numbers(enterprise):
    rows = rows_of([row(), {}, row(**{"出厂编号": ""})])
    file_bytes = workbook_bytes(list(HEADERS), rows)

    result = import_instruments(enterprise, file_bytes, actor=None)

    assert [(error.row, error.column, error.code) for error in result.errors] == [
        (4, "H", "required")
    ]
    assert ledger_is_empty()


def test_columns_in_other_order_accepted(enterprise):
    headers = list(reversed(HEADERS))
    values = [row().get(header) for header in headers]

    result = import_instruments(enterprise, workbook_bytes(headers, [values]), actor=None)

    assert result.ok, [str(error) for error in result.errors]
    assert Instrument.objects.get().serial_number == "JS2026000001"


def test_export_apostrophe_removed_on_import(enterprise):
    file_bytes = fill_template([row(**{"测量范围": "'-20～50 ℃"})])

    result = import_instruments(enterprise, file_bytes, actor=None)

    assert result.ok
    assert Instrument.objects.get().measuring_range == "-20～50 ℃"
