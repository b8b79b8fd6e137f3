import pytest

from business.standards.models import MeasurementStandard, RegulationLibraryEntry
from tests import factories
from tests.api.client import bearer, data, error_codes, post

pytestmark = pytest.mark.django_db

SAVE = """mutation($input: MeasurementStandardInput!) {
  saveMeasurementStandard(input: $input) {
    errors { field code message } standard { id isValid catalogueItems { itemName } }
  }
}"""
SAVE_EQUIPMENT = """mutation($input: StandardEquipmentInput!) {
  saveStandardEquipment(input: $input) { errors { field code } equipment { id standardName isValid } }
}"""
LIST = """query($filter: MeasurementStandardFilterInput) {
  measurementStandards(filter: $filter) { totalCount items { name isValid equipmentCount } }
}"""


@pytest.fixture
def admin():
    return factories.business_user(factories.institution(), roles=["institution_admin"])


def test_save_list_and_expired_standard_detected(client, admin):
    item = factories.catalogue_item()
    values = {
        "name": "电子天平检定装置",
        "certificateNumber": "[2022]豫量标法证字第001号",
        "validUntil": "2020-01-01",
        "catalogueItemIds": [str(item.pk)],
    }
    result = data(post(client, SAVE, {"input": values}, **bearer(admin)))["saveMeasurementStandard"]
    assert result["errors"] == []
    assert result["standard"]["isValid"] is False
    expired = data(post(client, LIST, {"filter": {"validity": "EXPIRED"}}, **bearer(admin)))
    assert expired["measurementStandards"]["totalCount"] == 1
    valid = data(post(client, LIST, {"filter": {"validity": "VALID"}}, **bearer(admin)))
    assert valid["measurementStandards"]["totalCount"] == 0

    duplicate = data(post(client, SAVE, {"input": values}, **bearer(admin)))[
        "saveMeasurementStandard"
    ]
    assert [e["field"] for e in duplicate["errors"]] == ["certificateNumber"]

    standard_id = result["standard"]["id"]
    equipment = {
        "name": "F1 等级砝码",
        "standardId": standard_id,
        "dueOn": "2030-01-01",
        "tracedOn": "2029-01-01",
    }
    saved = data(post(client, SAVE_EQUIPMENT, {"input": equipment}, **bearer(admin)))[
        "saveStandardEquipment"
    ]
    assert saved["equipment"]["standardName"] == "电子天平检定装置"
    bad = data(
        post(
            client, SAVE_EQUIPMENT, {"input": {**equipment, "dueOn": "2028-01-01"}}, **bearer(admin)
        )
    )
    assert [e["field"] for e in bad["saveStandardEquipment"]["errors"]] == ["dueOn"]

    # A standard with equipment cannot be deleted.
    response = post(
        client,
        "mutation($id: ID!) { deleteMeasurementStandard(id: $id) { ok errors { code } } }",
        {"id": standard_id},
        **bearer(admin),
    )
    assert data(response)["deleteMeasurementStandard"] == {
        "ok": False,
        "errors": [{"code": "PROTECTED"}],
    }
    assert MeasurementStandard.objects.count() == 1


def test_other_institution_cannot_see_or_use_standard(client, admin):
    standard = MeasurementStandard.objects.create(
        institution=admin.organisation,
        name="装置",
        certificate_number="X",
        valid_until="2030-01-01",
    )
    other = factories.business_user(
        factories.institution(name="另一机构", prefix="LYJG"), roles=["institution_admin"]
    )
    assert data(post(client, LIST, {}, **bearer(other)))["measurementStandards"]["totalCount"] == 0
    result = data(
        post(
            client,
            SAVE_EQUIPMENT,
            {"input": {"name": "砝码", "standardId": str(standard.pk), "dueOn": "2030-01-01"}},
            **bearer(other),
        )
    )
    assert [e["field"] for e in result["saveStandardEquipment"]["errors"]] == ["standardId"]
    enterprise_user = factories.business_user(roles=["enterprise_admin"])
    assert error_codes(post(client, LIST, {}, **bearer(enterprise_user))) == ["FORBIDDEN"]


def test_regulation_library_status(client, admin):
    old = factories.catalogue_item().regulations.get()
    new = type(old).objects.create(code="JJG 539-2026", name="数字指示秤", kind="JJG")
    mutation = """mutation($input: RegulationStatusInput!) {
      saveRegulationStatus(input: $input) {
        errors { field } regulation { statusLabel supersededBy { code } }
      }
    }"""
    missing = data(
        post(
            client,
            mutation,
            {"input": {"regulationId": str(old.pk), "status": "SUPERSEDED"}},
            **bearer(admin),
        )
    )["saveRegulationStatus"]
    assert [e["field"] for e in missing["errors"]] == ["supersededById"]
    saved = data(
        post(
            client,
            mutation,
            {
                "input": {
                    "regulationId": str(old.pk),
                    "status": "SUPERSEDED",
                    "supersededById": str(new.pk),
                }
            },
            **bearer(admin),
        )
    )
    assert saved["saveRegulationStatus"]["regulation"] == {
        "statusLabel": "已被代替",
        "supersededBy": {"code": "JJG 539-2026"},
    }
    assert RegulationLibraryEntry.objects.count() == 1
    library = data(
        post(
            client,
            """{ regulationLibrary(filter: {status: IN_FORCE}) { items { code } } }""",
            **bearer(admin),
        )
    )
    assert library["regulationLibrary"]["items"] == [{"code": "JJG 539-2026"}]
