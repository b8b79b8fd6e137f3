import datetime

import pytest

from business.audit.models import AuditEvent
from business.qualifications.models import (
    AuthorisationCertificate,
    AuthorisedItem,
    StaffQualification,
)
from tests import factories
from tests.api.client import bearer, data, error_codes, post

pytestmark = pytest.mark.django_db

SAVE = """mutation($input: AuthorisationInput!) {
  saveAuthorisation(input: $input) {
    errors { field message code }
    authorisation { id number isValid items { instrumentName catalogueItem { itemName } measuringRange } }
  }
}"""

LIST = """query($filter: AuthorisationFilterInput) {
  authorisations(filter: $filter) { totalCount items { number institutionName } }
}"""

CAPABILITIES = """query($filter: CapabilityFilterInput, $page: Int, $pageSize: Int) {
  capabilities(filter: $filter, page: $page, pageSize: $pageSize) {
    totalCount items { institutionName instrumentName measuringRange authorisationNumber
                       catalogueItem { itemName } divisionName }
  }
}"""


def _input(item, **overrides):
    return {
        "number": "（豫）法计（2026）01001号",
        "issuingAuthority": "河南省市场监督管理局",
        "validFrom": "2025-01-01",
        "validUntil": "2030-12-31",
        "items": [
            {
                "instrumentName": "电子计价秤",
                "catalogueItemId": str(item.pk),
                "measuringRange": "(0～30) kg",
            }
        ],
        **overrides,
    }


@pytest.fixture
def admin():
    return factories.business_user(factories.institution(), roles=["institution_admin"])


def test_institution_admin_saves_authorisation_with_items(client, admin):
    item = factories.catalogue_item()
    result = data(post(client, SAVE, {"input": _input(item)}, **bearer(admin)))["saveAuthorisation"]
    assert result["errors"] == []
    assert result["authorisation"]["isValid"] is True
    assert result["authorisation"]["items"][0]["catalogueItem"]["itemName"] == "非自动衡器"
    assert AuditEvent.objects.filter(action="qualification.authorisation.create").count() == 1

    # Saving again with new items replaces them.
    row_id = result["authorisation"]["id"]
    changed = _input(item, id=row_id)
    changed["items"][0]["measuringRange"] = "(0～60) kg"
    result = data(post(client, SAVE, {"input": changed}, **bearer(admin)))["saveAuthorisation"]
    assert result["authorisation"]["items"][0]["measuringRange"] == "(0～60) kg"
    assert AuthorisedItem.objects.count() == 1


def test_bad_authorisation_input_rejected(client, admin):
    item = factories.catalogue_item()
    bad = _input(item, validUntil="2024-01-01")
    bad["items"].append({"instrumentName": "无关联项目"})
    bad["items"].append({"instrumentName": "未知项目", "catalogueItemId": "999999"})
    result = data(post(client, SAVE, {"input": bad}, **bearer(admin)))["saveAuthorisation"]
    fields = {error["field"] for error in result["errors"]}
    assert {"validUntil", "items.1.catalogueItem", "items.2.catalogueItemId"} <= fields
    assert all(
        any("\u4e00" <= char <= "\u9fff" for char in error["message"]) for error in result["errors"]
    )
    assert not AuthorisationCertificate.objects.exists()


def test_duplicate_number_refused(client, admin):
    item = factories.catalogue_item()
    post(client, SAVE, {"input": _input(item)}, **bearer(admin))
    result = data(post(client, SAVE, {"input": _input(item)}, **bearer(admin)))["saveAuthorisation"]
    assert [error["code"] for error in result["errors"]] == ["DUPLICATE"]


def test_lists_are_scoped_to_own_institution(client, admin):
    item = factories.catalogue_item()
    post(client, SAVE, {"input": _input(item)}, **bearer(admin))
    other = factories.business_user(
        factories.institution(name="郑州市计量所", prefix="ZZJL"), roles=["institution_admin"]
    )
    assert data(post(client, LIST, {}, **bearer(admin)))["authorisations"]["totalCount"] == 1
    assert data(post(client, LIST, {}, **bearer(other)))["authorisations"]["totalCount"] == 0
    # Someone else's row behaves as not found.
    row_id = str(AuthorisationCertificate.objects.get().pk)
    response = post(client, SAVE, {"input": _input(item, id=row_id)}, **bearer(other))
    assert error_codes(response) == ["NOT_FOUND"]


def test_enterprise_user_cannot_manage_qualifications(client):
    user = factories.business_user(roles=["enterprise_admin"])
    response = post(client, SAVE, {"input": _input(factories.catalogue_item())}, **bearer(user))
    assert error_codes(response) == ["FORBIDDEN"]
    assert error_codes(post(client, LIST, {})) == ["UNAUTHENTICATED"]


def test_staff_qualification_for_own_staff_only(client, admin):
    item = factories.catalogue_item()
    verifier = factories.business_user(admin.organisation, roles=["verifier"], display_name="赵敏")
    outsider = factories.business_user(factories.enterprise(name="外单位有限公司"))
    mutation = """mutation($input: StaffQualificationInput!) {
      saveStaffQualification(input: $input) {
        errors { field code } qualification { kindLabel isValid user { displayName } }
      }
    }"""
    values = {
        "userId": str(verifier.pk),
        "kind": "VERIFIER_CERTIFICATE",
        "number": "豫检 000123",
        "validFrom": "2024-01-01",
        "validUntil": "2029-01-01",
        "catalogueItemIds": [str(item.pk)],
    }
    result = data(post(client, mutation, {"input": values}, **bearer(admin)))[
        "saveStaffQualification"
    ]
    assert result["errors"] == []
    assert result["qualification"]["user"]["displayName"] == "赵敏"
    assert StaffQualification.objects.get().catalogue_items.get() == item

    result = data(
        post(client, mutation, {"input": {**values, "userId": str(outsider.pk)}}, **bearer(admin))
    )
    assert [e["field"] for e in result["saveStaffQualification"]["errors"]] == ["userId"]
    result = data(
        post(client, mutation, {"input": {**values, "catalogueItemIds": []}}, **bearer(admin))
    )
    assert [e["field"] for e in result["saveStaffQualification"]["errors"]] == ["catalogueItemIds"]


def test_public_capability_lookup_is_fuzzy_and_multi_dimensional(client, admin):
    item = factories.catalogue_item()
    post(client, SAVE, {"input": _input(item)}, **bearer(admin))
    expired = AuthorisationCertificate.objects.create(
        institution=factories.institution(name="过期机构", prefix="GQJG"),
        number="旧证",
        issuing_authority="河南省市场监督管理局",
        valid_from=datetime.date(2015, 1, 1),
        valid_until=datetime.date(2020, 1, 1),
    )
    AuthorisedItem.objects.create(
        authorisation=expired, instrument_name="电子计价秤", catalogue_item=item
    )

    def search(**filter_values):
        return data(post(client, CAPABILITIES, {"filter": filter_values}))["capabilities"]

    everything = search()
    assert everything["totalCount"] == 1
    assert everything["items"][0]["institutionName"] == "河南省计量测试科学研究院"
    assert search(keyword="计价 金水")["totalCount"] == 1
    assert search(keyword="计价 洛阳")["totalCount"] == 0
    assert search(catalogueItemId=str(item.pk), divisionCode="410000")["totalCount"] == 1
    assert search(divisionCode="410300")["totalCount"] == 0
    assert search(measuringRange="30 kg")["totalCount"] == 0
    assert search(measuringRange="30")["totalCount"] == 1
    assert search(institutionId=str(admin.organisation_id))["totalCount"] == 1
    assert search(instrumentName="衡器")["totalCount"] == 1
    response = post(client, CAPABILITIES, {"filter": {"keyword": "秤" * 51}})
    assert error_codes(response) == ["KEYWORD_TOO_LONG"]
    response = post(client, CAPABILITIES, {"pageSize": 1000})
    assert error_codes(response) == ["INVALID_PAGE_SIZE"]


def test_catalogue_options_public(client):
    item = factories.catalogue_item()
    result = data(post(client, '{ catalogueItemOptions(keyword: "衡器") { id itemName } }'))
    assert result["catalogueItemOptions"] == [{"id": str(item.pk), "itemName": "非自动衡器"}]
