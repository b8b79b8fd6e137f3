"""QR label sheets and the public status page behind them."""

import base64
import datetime
import re

import pytest

from business.audit.models import AuditEvent
from business.certificates import services as certificates
from business.labels import services
from business.labels.models import InstrumentLabel
from business.labels.sheets import SIZES
from tests import factories
from tests.api.client import bearer, data, error_codes, post

pytestmark = pytest.mark.django_db

PRINT = """
mutation Print($size: LabelSize!, $ids: [ID!], $filter: LabelFilterInput) {
  printInstrumentLabels(size: $size, instrumentIds: $ids, filter: $filter) {
    labelCount fileName contentBase64 errors { field message code }
  }
}
"""

LIST = """
query List($filter: LabelFilterInput) {
  labelInstruments(filter: $filter) { totalCount items { id name serialNumber isMandatory } }
  labelSizes { size label perSheet }
}
"""

STATUS = """
query Status($token: String!) {
  instrumentStatus(token: $token) {
    name model statusLabel isMandatory certificateValid
    certificate { number kindLabel conclusion validUntil institutionName statusLabel }
  }
}
"""


@pytest.fixture
def enterprise():
    return factories.enterprise()


@pytest.fixture
def metrologist(enterprise):
    return factories.business_user(enterprise, roles=["enterprise_metrologist"])


@pytest.fixture
def instruments(enterprise):
    return [
        factories.instrument(owner=enterprise, name="电子计价秤"),
        factories.instrument(owner=enterprise, name="燃气表"),
    ]


def test_label_sizes_fit_on_a4():
    assert [(size.columns, size.rows) for size in SIZES.values()] == [(4, 8), (3, 8), (2, 5)]


def test_print_selected_instruments(client, metrologist, instruments):
    ids = [str(instrument.pk) for instrument in instruments]

    result = data(post(client, PRINT, {"size": "MEDIUM", "ids": ids}, **bearer(metrologist)))
    payload = result["printInstrumentLabels"]

    assert payload["errors"] == []
    assert payload["labelCount"] == 2
    assert payload["fileName"] == "器具标签-50x30.pdf"
    assert base64.b64decode(payload["contentBase64"]).startswith(b"%PDF-")
    assert InstrumentLabel.objects.count() == 2
    assert AuditEvent.objects.filter(action="instrument.labels_print").count() == 1


def test_reprint_keeps_the_token(client, metrologist, instruments):
    ids = [str(instruments[0].pk)]
    post(client, PRINT, {"size": "SMALL", "ids": ids}, **bearer(metrologist))
    token = InstrumentLabel.objects.get().token

    post(client, PRINT, {"size": "LARGE", "ids": ids}, **bearer(metrologist))

    assert InstrumentLabel.objects.get().token == token
    assert len(token) == 22


def test_print_all_filtered(client, metrologist, instruments):
    result = data(
        post(client, PRINT, {"size": "SMALL", "filter": {"text": "燃气"}}, **bearer(metrologist))
    )

    assert result["printInstrumentLabels"]["labelCount"] == 1
    assert InstrumentLabel.objects.get().instrument == instruments[1]


def test_print_foreign_instrument_not_found(client, metrologist, instruments):
    foreign = factories.instrument(owner=factories.enterprise(name="洛阳示例燃气有限公司"))
    ids = [str(instruments[0].pk), str(foreign.pk)]

    payload = data(post(client, PRINT, {"size": "SMALL", "ids": ids}, **bearer(metrologist)))[
        "printInstrumentLabels"
    ]

    assert [error["code"] for error in payload["errors"]] == ["NOT_FOUND"]
    assert payload["contentBase64"] is None
    assert InstrumentLabel.objects.count() == 0


def test_print_with_empty_filter_result(client, metrologist, instruments):
    payload = data(
        post(client, PRINT, {"size": "SMALL", "filter": {"text": "不存在"}}, **bearer(metrologist))
    )["printInstrumentLabels"]

    assert [(error["field"], error["code"]) for error in payload["errors"]] == [("filter", "EMPTY")]


def test_print_too_many(client, metrologist, instruments, monkeypatch):
    monkeypatch.setattr(services, "MAX_LABELS", 1)

    payload = data(post(client, PRINT, {"size": "SMALL"}, **bearer(metrologist)))[
        "printInstrumentLabels"
    ]

    assert payload["errors"][0]["code"] == "TOO_MANY"
    assert "最多打印 1 张" in payload["errors"][0]["message"]


def test_print_needs_permission(client, enterprise, instruments):
    staff = factories.business_user(enterprise, roles=["enterprise_staff"])

    response = post(client, PRINT, {"size": "SMALL"}, **bearer(staff))

    assert error_codes(response) == ["FORBIDDEN"]


def test_label_instruments_lists_scope_only(client, metrologist, instruments):
    factories.instrument(owner=factories.enterprise(name="洛阳示例燃气有限公司"))

    result = data(post(client, LIST, {"filter": {"text": "秤"}}, **bearer(metrologist)))

    assert [item["name"] for item in result["labelInstruments"]["items"]] == ["电子计价秤"]
    assert result["labelSizes"][1] == {"size": "MEDIUM", "label": "50×30 毫米", "perSheet": 24}


def test_label_html_escapes_user_text(instruments):
    from business.labels import pdf

    instruments[0].name = "<b>秤</b>"
    html = pdf.labels_html(instruments[:1], {instruments[0].pk: "token"}, SIZES["small"])

    assert "&lt;b&gt;秤&lt;/b&gt;" in html
    assert "<svg" in html


def test_public_status_hides_personal_data(client, enterprise):
    instrument = factories.instrument(owner=enterprise)
    record = factories.record(verified_instrument=instrument, verification_date=datetime.date.today())
    certificate = certificates.issue_certificate(record)
    token = services.tokens_for([instrument])[instrument.pk]

    status = data(post(client, STATUS, {"token": token}))["instrumentStatus"]

    assert status["name"] == "电子计价秤"
    assert status["statusLabel"] == "在用"
    assert status["isMandatory"] is True
    assert status["certificateValid"] is True
    assert status["certificate"]["number"] == certificate.number
    assert status["certificate"]["institutionName"] == "河南省计量测试科学研究院"
    body = post(client, STATUS, {"token": token}).content.decode()
    for personal in ["张伟", "王芳", "李娜", enterprise.name]:
        assert personal not in body


def test_public_status_of_unknown_token_is_null(client):
    assert data(post(client, STATUS, {"token": "x" * 22}))["instrumentStatus"] is None


def test_status_url_encodes_token(settings):
    settings.PUBLIC_BASE_URL = "https://jl.example.gov.cn/"

    assert re.fullmatch(r"https://jl\.example\.gov\.cn/i/abc", services.status_url("abc"))
