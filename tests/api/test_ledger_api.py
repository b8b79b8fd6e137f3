"""The instrument ledger through GraphQL: filing, listing with filters, status changes,
import and export, each checked against permission and data scope."""

import base64
import io

import pytest
from openpyxl import load_workbook

from business.audit.models import AuditEvent
from business.instruments import services
from business.instruments.models import Instrument
from business.reference.models import Division
from tests import factories
from tests.api.client import bearer, data, error_codes, post
from tests.business.instruments.helpers import fill_template, row

pytestmark = pytest.mark.django_db

INSTRUMENT_FIELDS = """
  id name kind status statusLabel isMandatory flagged certificateProblem
  serialNumber usage deliveryMode division { code name } enterprise { id name }
"""

FILE = f"""
mutation File($input: InstrumentInput!) {{
  fileInstrument(input: $input) {{ errors {{ field message code }} instrument {{ {INSTRUMENT_FIELDS} }} }}
}}
"""

LIST = f"""
query List($filter: InstrumentFilterInput, $page: Int, $pageSize: Int) {{
  instruments(filter: $filter, page: $page, pageSize: $pageSize) {{
    totalCount page pageSize items {{ {INSTRUMENT_FIELDS} }}
  }}
}}
"""

DETAIL = f"""
query Detail($id: ID!) {{
  instrument(id: $id) {{
    {INSTRUMENT_FIELDS}
    statusHistory {{ fromStatus toStatus reason actor }}
    certificates {{ number pdfUrl }}
  }}
}}
"""

CHANGE = """
mutation Change($id: ID!, $reason: String!) {
  disableInstrument(id: $id, reason: $reason) { errors { field message code } instrument { status } }
}
"""

SCRAP = """
mutation Scrap($id: ID!, $reason: String!) {
  scrapInstrument(id: $id, reason: $reason) { errors { field message code } instrument { status } }
}
"""

ENABLE = """
mutation Enable($id: ID!) {
  enableInstrument(id: $id) { errors { field message code } instrument { status } }
}
"""

IMPORT = """
mutation Import($file: String!) {
  importInstruments(fileBase64: $file, fileName: "台账.xlsx") {
    createdCount errors { row column header value message code }
  }
}
"""

EXPORT = """
mutation Export($filter: InstrumentFilterInput) {
  exportInstruments(filter: $filter) {
    rowCount errors { message code } file { fileName contentType contentBase64 }
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
def item():
    return factories.catalogue_item()


def valid_input(item, **changes) -> dict:
    values = {
        "name": "电子计价秤",
        "catalogueItemId": str(item.pk),
        "kind": "电子计价秤",
        "usage": "TRADE_SETTLEMENT",
        "model": "ACS-15",
        "serialNumber": "JS2026000001",
        "manufacturer": "上海示例衡器有限公司",
        "installationPlace": "一楼生鲜区",
        "divisionCode": "410105",
        "deliveryMode": "SEND",
    }
    values.update(changes)
    return values


def file(client, user, values) -> dict:
    return data(post(client, FILE, {"input": values}, **bearer(user)))["fileInstrument"]


def test_file_instrument_appears_in_ledger(client, metrologist, item):
    payload = file(client, metrologist, valid_input(item))

    assert payload["errors"] == []
    assert payload["instrument"]["status"] == "IN_USE"
    assert payload["instrument"]["flagged"] is True
    assert payload["instrument"]["certificateProblem"] == "MISSING"
    page = data(post(client, LIST, {}, **bearer(metrologist)))["instruments"]
    assert page["totalCount"] == 1
    assert page["items"][0]["serialNumber"] == "JS2026000001"
    assert AuditEvent.objects.filter(action="instrument.file").count() == 1


def test_file_mandatory_without_kind_names_field(client, metrologist, item):
    payload = file(client, metrologist, valid_input(item, kind=""))

    assert payload["instrument"] is None
    assert [(error["field"], error["code"]) for error in payload["errors"]] == [
        ("kind", "missing_kind")
    ]
    assert "器具种类" in payload["errors"][0]["message"]
    assert not Instrument.objects.exists()


def test_file_unknown_division_and_duplicate(client, metrologist, item):
    payload = file(client, metrologist, valid_input(item, divisionCode="999999"))
    assert payload["errors"][0]["field"] == "divisionCode"

    file(client, metrologist, valid_input(item))
    duplicate = file(client, metrologist, valid_input(item))
    assert [(error["field"], error["code"]) for error in duplicate["errors"]] == [
        ("serialNumber", "duplicate_serial")
    ]


def test_staff_cannot_file(client, enterprise, item):
    staff = factories.business_user(enterprise, roles=["enterprise_staff"])

    response = post(client, FILE, {"input": valid_input(item)}, **bearer(staff))

    assert error_codes(response) == ["FORBIDDEN"]


def test_anonymous_cannot_list(client):
    assert error_codes(post(client, LIST, {})) == ["UNAUTHENTICATED"]


def test_other_enterprise_instrument_not_found(client, metrologist):
    other = factories.instrument(owner=factories.enterprise(name="另一家超市有限公司"))

    response = post(client, DETAIL, {"id": str(other.pk)}, **bearer(metrologist))

    assert error_codes(response) == ["NOT_FOUND"]
    listed = data(post(client, LIST, {}, **bearer(metrologist)))["instruments"]
    assert listed["totalCount"] == 0


def test_regulator_sees_division_enterprises(client, enterprise):
    factories.instrument(owner=enterprise)
    outside_county = Division.objects.create(
        code="410201", name="龙亭区", level="county",
        parent=Division.objects.create(
            code="410200", name="开封市", level="prefecture", parent_id="410000"
        ),
    )
    outsider = factories.enterprise(name="开封示例公司")
    outsider.division = outside_county
    outsider.save()
    factories.instrument(owner=outsider)
    officer = factories.business_user(factories.regulator(), roles=["regulator_officer"])

    page = data(post(client, LIST, {}, **bearer(officer)))["instruments"]

    assert page["totalCount"] == 1
    assert page["items"][0]["enterprise"]["id"] == str(enterprise.pk)


def test_regulator_follows_moved_enterprise(client, enterprise):
    factories.instrument(owner=enterprise)
    kaifeng = Division.objects.create(code="410200", name="开封市", level="prefecture", parent_id="410000")
    longting = Division.objects.create(code="410202", name="龙亭区", level="county", parent=kaifeng)
    zhengzhou_officer = factories.business_user(factories.regulator(), roles=["regulator_officer"])
    kaifeng_officer = factories.business_user(
        factories.regulator(name="开封市市场监督管理局", division_code="410200"), roles=["regulator_officer"]
    )
    query = "{ instruments { totalCount } }"

    enterprise.division = longting
    enterprise.save(update_fields=["division"])

    assert data(post(client, query, {}, **bearer(zhengzhou_officer)))["instruments"]["totalCount"] == 0
    assert data(post(client, query, {}, **bearer(kaifeng_officer)))["instruments"]["totalCount"] == 1


def test_combined_filters(client, metrologist, enterprise, item):
    file(client, metrologist, valid_input(item, serialNumber="A-1", installationPlace="仓库"))
    file(
        client,
        metrologist,
        valid_input(
            item, serialNumber="B-2", name="压力表", catalogueItemId=None, kind="", usage=None
        ),
    )
    scrapped = file(client, metrologist, valid_input(item, serialNumber="C-3"))["instrument"]
    post(client, SCRAP, {"id": scrapped["id"], "reason": "损坏"}, **bearer(metrologist))

    def serials(filter_input) -> list[str]:
        page = data(post(client, LIST, {"filter": filter_input}, **bearer(metrologist)))
        return sorted(item["serialNumber"] for item in page["instruments"]["items"])

    assert serials({"status": "IN_USE"}) == ["A-1", "B-2"]
    assert serials({"mandatory": True}) == ["A-1", "C-3"]
    assert serials({"mandatory": False}) == ["B-2"]
    assert serials({"flagged": True}) == ["A-1"]
    assert serials({"search": "仓库"}) == ["A-1"]
    assert serials({"search": "压力 B-2"}) == ["B-2"]
    assert serials({"status": "IN_USE", "mandatory": True, "search": "电子"}) == ["A-1"]
    assert serials({"divisionCode": "410100"}) == ["A-1", "B-2", "C-3"]
    assert serials({"usage": "TRADE_SETTLEMENT", "deliveryMode": "ON_SITE"}) == []
    # Filters that exclude each other by the ledger's rules find nothing.
    assert serials({"flagged": True, "status": "SCRAPPED"}) == []
    assert serials({"flagged": True, "mandatory": False}) == []
    assert serials({"usage": "TRADE_SETTLEMENT", "mandatory": False}) == []
    assert serials({"flagged": False, "status": "SCRAPPED"}) == ["C-3"]


def test_fuzzy_text_finds_any_part_of_a_field(client, metrologist, item):
    file(
        client,
        metrologist,
        valid_input(item, serialNumber="SN2026-0042", installationPlace="门诊部 50%_区 a'b\\c"),
    )
    file(client, metrologist, valid_input(item, serialNumber="XK-7", installationPlace="锅炉房"))

    def serials(search: str) -> list[str]:
        page = data(post(client, LIST, {"filter": {"search": search}}, **bearer(metrologist)))
        return sorted(item["serialNumber"] for item in page["instruments"]["items"])

    # Middle of a word, one character, another case, and LIKE or tsquery syntax.
    assert serials("026-004") == ["SN2026-0042"]
    assert serials("诊") == ["SN2026-0042"]
    assert serials("sn2026") == ["SN2026-0042"]
    assert serials("xk-7") == ["XK-7"]
    assert serials("50%_") == ["SN2026-0042"]
    assert serials("%") == ["SN2026-0042"]
    assert serials("a'b\\c") == ["SN2026-0042"]
    assert serials("'") == ["SN2026-0042"]
    # Pairs that occur apart, but not together.
    assert serials("诊锅") == []
    assert serials("房门") == []


def test_page_size_capped(client, metrologist):
    response = post(client, LIST, {"pageSize": 500}, **bearer(metrologist))

    assert error_codes(response) == ["INVALID_PAGE_SIZE"]


def test_status_changes_with_history(client, metrologist, item):
    instrument_id = file(client, metrologist, valid_input(item))["instrument"]["id"]
    headers = bearer(metrologist)

    missing = data(post(client, CHANGE, {"id": instrument_id, "reason": " "}, **headers))
    assert missing["disableInstrument"]["errors"][0]["field"] == "reason"

    disabled = data(post(client, CHANGE, {"id": instrument_id, "reason": "送修"}, **headers))
    assert disabled["disableInstrument"]["instrument"]["status"] == "DISABLED"
    enabled = data(post(client, ENABLE, {"id": instrument_id}, **headers))
    assert enabled["enableInstrument"]["instrument"]["status"] == "IN_USE"
    scrapped = data(post(client, SCRAP, {"id": instrument_id, "reason": "损坏"}, **headers))
    assert scrapped["scrapInstrument"]["instrument"]["status"] == "SCRAPPED"
    back = data(post(client, ENABLE, {"id": instrument_id}, **headers))["enableInstrument"]
    assert back["errors"][0]["code"] == "scrapped"

    detail = data(post(client, DETAIL, {"id": instrument_id}, **headers))["instrument"]
    assert [entry["toStatus"] for entry in detail["statusHistory"]] == [
        "IN_USE", "DISABLED", "IN_USE", "SCRAPPED"
    ]
    assert detail["statusHistory"][1]["reason"] == "送修"


def test_import_reports_row_and_cell(client, metrologist, item):
    factories.division()
    content = fill_template([row(), row(**{"出厂编号": "JS2", "强制检定目录序号": 999})])

    payload = data(
        post(client, IMPORT, {"file": base64.b64encode(content).decode()}, **bearer(metrologist))
    )["importInstruments"]

    assert payload["createdCount"] == 0
    assert [(error["row"], error["column"], error["code"]) for error in payload["errors"]] == [
        (3, "B", "unknown_catalogue_number")
    ]
    assert not Instrument.objects.exists()


def test_import_creates_rows(client, metrologist, item):
    content = fill_template([row(), row(**{"出厂编号": "JS2"})])

    payload = data(
        post(client, IMPORT, {"file": base64.b64encode(content).decode()}, **bearer(metrologist))
    )["importInstruments"]

    assert payload == {"createdCount": 2, "errors": []}
    assert AuditEvent.objects.filter(action="instrument.import").count() == 1
    # bulk_create skips save(), so InstrumentQuerySet.bulk_create copies the division.
    divisions = set(Instrument.objects.values_list("enterprise_division_id", flat=True))
    assert divisions == {metrologist.organisation.division_id}


def test_export_applies_scope_and_audits(client, metrologist, enterprise, item):
    factories.instrument(owner=enterprise)
    factories.instrument(owner=factories.enterprise(name="另一家超市有限公司"))

    payload = data(post(client, EXPORT, {}, **bearer(metrologist)))["exportInstruments"]

    assert payload["rowCount"] == 1
    workbook = load_workbook(io.BytesIO(base64.b64decode(payload["file"]["contentBase64"])))
    assert workbook.active.max_row == 2
    assert AuditEvent.objects.filter(action="instrument.export").count() == 1


def test_template_and_pickers(client, metrologist, item):
    query = """{ instrumentImportTemplate { fileName contentBase64 }
      catalogueItems(search: "衡器") { number itemName kinds }
      }"""

    result = data(post(client, query, {}, **bearer(metrologist)))

    assert result["instrumentImportTemplate"]["fileName"].endswith(".xlsx")
    assert [entry["number"] for entry in result["catalogueItems"]] == [9]


def test_update_instrument(client, metrologist, item):
    instrument_id = file(client, metrologist, valid_input(item))["instrument"]["id"]
    mutation = """mutation U($id: ID!, $input: InstrumentInput!) {
      updateInstrument(id: $id, input: $input) { errors { field code } instrument { name } } }"""

    payload = data(
        post(
            client,
            mutation,
            {"id": instrument_id, "input": valid_input(item, name="电子台秤")},
            **bearer(metrologist),
        )
    )["updateInstrument"]

    assert payload == {"errors": [], "instrument": {"name": "电子台秤"}}
    assert AuditEvent.objects.filter(action="instrument.update").count() == 1


def test_certificate_shown_in_detail(client, metrologist, enterprise):
    from business.certificates import services as certificate_services

    instrument = factories.instrument(owner=enterprise)
    certificate = certificate_services.issue_certificate(factories.record(instrument))

    detail = data(post(client, DETAIL, {"id": str(instrument.pk)}, **bearer(metrologist)))
    assert detail["instrument"]["certificates"] == [
        {"number": certificate.number, "pdfUrl": f"/downloads/certificates/{certificate.pk}/pdf/"}
    ]
    assert services.FILING_REASON


@pytest.mark.parametrize(
    ("counted_rows", "last_page"),
    # Above the limit no page starts beyond the counted rows.
    [(4, []), (1_000, [0])],
)
def test_pages_newest_first_at_any_total(
    client, metrologist, enterprise, monkeypatch, counted_rows, last_page
):
    from business.instruments import schema

    # Below the limit the page is cut in Python, above it read in order by SQL.
    monkeypatch.setattr(schema, "MAX_COUNTED_ROWS", counted_rows)
    ids = [str(factories.instrument(owner=enterprise).pk) for _ in range(5)]
    query = "query Page($page: Int) { instruments(page: $page, pageSize: 2) { items { id } } }"

    def page_ids(page: int) -> list[str]:
        page_data = data(post(client, query, {"page": page}, **bearer(metrologist)))["instruments"]
        return [item["id"] for item in page_data["items"]]

    assert [page_ids(1), page_ids(2), page_ids(3)] == [
        [ids[4], ids[3]],
        [ids[2], ids[1]],
        [ids[index] for index in last_page],
    ]


def test_total_capped(client, metrologist, enterprise, monkeypatch):
    from business.instruments import schema

    monkeypatch.setattr(schema, "MAX_COUNTED_ROWS", 2)
    for _ in range(3):
        factories.instrument(owner=enterprise)
    query = "{ instruments(pageSize: 2) { totalCount totalCapped items { id } } }"

    page = data(post(client, query, {}, **bearer(metrologist)))["instruments"]

    assert page["totalCount"] == 2
    assert page["totalCapped"] is True
    assert len(page["items"]) == 2
