import datetime
import io

import pytest
from openpyxl import load_workbook

from business.certificates import services as certificate_services
from business.instruments import services
from business.instruments.excel import export_instruments
from business.instruments.excel.columns import DATA_SHEET_TITLE, HEADERS
from business.instruments.excel.exporting import EXPORT_HEADERS, neutralise_formula
from business.instruments.models import Instrument
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def exported_rows(queryset) -> list[list]:
    workbook = load_workbook(io.BytesIO(export_instruments(queryset, today=TODAY)))
    sheet = workbook[DATA_SHEET_TITLE]
    for line in sheet.iter_rows():
        for cell in line:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value}"
    return [[cell.value for cell in line] for line in sheet.iter_rows()]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+8613800000000", "'+8613800000000"),
        ("-20～50 ℃", "'-20～50 ℃"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("ACS-15", "ACS-15"),
        ("", ""),
        (None, None),
        (9, 9),
    ],
)
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected


def test_export_escapes_formula_like_values():
    instrument = factories.instrument()
    Instrument.objects.filter(pk=instrument.pk).update(
        name='=HYPERLINK("http://127.0.0.1/","点击")',
        model="+A1",
        measuring_range="-20～50 ℃",
        manufacturer="@SUM(1,2)",
        installation_place="一楼",
    )

    header, values = exported_rows(Instrument.objects.all())
    by_header = dict(zip(header, values, strict=True))

    assert by_header["器具名称"] == '\'=HYPERLINK("http://127.0.0.1/","点击")'
    assert by_header["型号规格"] == "'+A1"
    assert by_header["测量范围"] == "'-20～50 ℃"
    assert by_header["制造单位"] == "'@SUM(1,2)"
    assert by_header["安装使用地点"] == "一楼"


def test_export_headers_extend_template():
    factories.instrument()

    header, _ = exported_rows(Instrument.objects.all())

    assert tuple(header) == EXPORT_HEADERS
    assert tuple(header[: len(HEADERS)]) == HEADERS


def test_export_certificate_columns():
    institution = factories.institution()
    certified = factories.instrument(name="电子台秤")
    record = factories.record(certified, institution)
    certificate = certificate_services.issue_certificate(record)
    factories.instrument(name="加油机")
    disabled = factories.instrument(name="电子汽车衡")
    services.disable_instrument(disabled, "停产检修", actor=None)

    header, *rows = exported_rows(Instrument.objects.order_by("pk"))
    by_name = {line[0]: dict(zip(header, line, strict=True)) for line in rows}

    assert by_name["电子台秤"]["最近检定证书编号"] == certificate.number
    assert by_name["电子台秤"]["证书类型"] == "检定证书"
    assert by_name["电子台秤"]["证书状态"] == "有效"
    assert by_name["电子台秤"]["有效期至"].date() == datetime.date(2027, 3, 9)
    assert by_name["电子台秤"]["强制检定证书情况"] == "证书有效"
    assert by_name["电子台秤"]["强制检定目录序号"] == 9
    assert by_name["电子台秤"]["用途"] == "贸易结算"
    assert by_name["电子台秤"]["使用地区划代码"] == "410105"
    assert by_name["电子台秤"]["状态"] == "在用"
    assert by_name["加油机"]["最近检定证书编号"] is None
    assert by_name["加油机"]["强制检定证书情况"] == "无检定证书"
    assert by_name["电子汽车衡"]["状态"] == "停用"
    assert by_name["电子汽车衡"]["强制检定证书情况"] is None


def test_export_query_count_constant(django_assert_max_num_queries):
    owner = factories.enterprise()
    for _ in range(20):
        factories.instrument(owner=owner)

    with django_assert_max_num_queries(2):
        export_instruments(Instrument.objects.all(), today=TODAY)
