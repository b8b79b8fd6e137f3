"""Batch entry of record results from Excel: all rows or none, errors by row and column."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from business.verification import excel, services
from business.verification.models import VerificationRecord
from tests.business.verification.helpers import GOOD_DATA, build_chain
from tests.business.verification.test_records import received

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate().isoformat()


def filled(template, rows) -> bytes:
    workbook = load_workbook(io.BytesIO(excel.build_template(template)))
    sheet = workbook[excel.SHEET_TITLE]
    headers = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row_for(template, sample, standard, **overrides):
    row = {
        "样品编号": sample,
        "检定日期": TODAY,
        "检定结论": "合格",
        "计量标准考核证书号": standard.certificate_number,
    }
    for field in template.fields.all():
        row[excel.field_header(field)] = GOOD_DATA.get(field.key, "")
    row.update(overrides)
    return row


def setup_samples():
    chain = build_chain(instrument_count=2)
    _, items = received(chain)
    for item in items:
        item.refresh_from_db()
    template = services.template_for(
        services.regulation_for(items[0].instrument), chain.institution
    )
    return chain, items, template


def test_import_enters_every_row():
    chain, items, template = setup_samples()
    content = filled(
        template, [row_for(template, item.sample_number, chain.standard) for item in items]
    )

    records = excel.import_results(chain.verifier, template.pk, content)

    assert len(records) == 2
    assert VerificationRecord.objects.filter(status="entered").count() == 2


def test_import_with_one_bad_row_saves_nothing():
    chain, items, template = setup_samples()
    bad = row_for(template, items[1].sample_number, chain.standard)
    bad[excel.field_header(template.fields.get(key="indication_error"))] = ""
    content = filled(template, [row_for(template, items[0].sample_number, chain.standard), bad])

    with pytest.raises(excel.ImportRejected) as excinfo:
        excel.import_results(chain.verifier, template.pk, content)

    [problem] = excinfo.value.problems
    assert problem.row == 3
    assert problem.code == "required"
    assert "最大示值误差" in problem.message
    assert problem.column != ""
    assert not VerificationRecord.objects.exists()


def test_import_rejects_formula_and_unknown_sample():
    chain, items, template = setup_samples()
    content = filled(
        template,
        [
            row_for(template, "NO-SUCH", chain.standard),
            row_for(template, items[0].sample_number, chain.standard, 检定结论="=1+1"),
        ],
    )

    with pytest.raises(excel.ImportRejected) as excinfo:
        excel.import_results(chain.verifier, template.pk, content)

    assert sorted(problem.code for problem in excinfo.value.problems) == [
        "formula",
        "unknown_sample",
    ]


def test_import_rejects_non_excel_file():
    chain, _, template = setup_samples()

    with pytest.raises(excel.ImportRejected) as excinfo:
        excel.import_results(chain.verifier, template.pk, b"not a workbook")

    assert excinfo.value.problems[0].code == "not_xlsx"
