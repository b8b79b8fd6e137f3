"""Organisation management through GraphQL: scope, safeguards, moves and audit."""

import pytest

from business.audit.models import AuditEvent
from business.organisations.models import Organisation, OrganisationAttribute
from tests import factories

from .management_helpers import call, enterprise_in, regulator_admin

pytestmark = pytest.mark.django_db

LIST = """
query ($filter: OrganisationFilterInput, $page: Int, $pageSize: Int) {
  managedOrganisations(filter: $filter, page: $page, pageSize: $pageSize) {
    totalCount items { id name kind divisionCode isActive userCount attributes { key name value } }
  }
}"""
TREE = """query ($parent: String) { organisationTree(parentCode: $parent) {
  code name hasChildren organisationCount } }"""
CREATE = """
mutation ($kind: OrganisationKind!, $division: String!, $input: OrganisationInput!) {
  createOrganisation(kind: $kind, divisionCode: $division, input: $input) {
    errors { field message code } organisation { id name attributes { key value } }
  }
}"""
UPDATE = """
mutation ($id: ID!, $input: OrganisationInput!) {
  updateOrganisation(id: $id, input: $input) { errors { field message code } organisation { name } }
}"""
DELETE = """mutation ($id: ID!) { deleteOrganisation(id: $id) { errors { field message code } } }"""
ACTIVE = """mutation ($id: ID!, $active: Boolean!) {
  setOrganisationActive(id: $id, active: $active) { errors { message } organisation { isActive } } }"""
MOVE = """mutation ($ids: [ID!]!, $division: String!) {
  moveOrganisations(ids: $ids, divisionCode: $division) { errors { field message code } movedCount } }"""
BLOCKERS = """query ($id: ID!) { organisationDeletionBlockers(id: $id) }"""


def codes(body):
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def test_list_stays_inside_division():
    operator = regulator_admin()
    mine = enterprise_in("410105", "金水区超市")
    enterprise_in("410305", "涧西区超市")

    body = call(operator, LIST)

    names = [item["name"] for item in body["data"]["managedOrganisations"]["items"]]
    assert mine.name in names
    assert "涧西区超市" not in names


def test_enterprise_user_cannot_list():
    shop = factories.business_user(factories.enterprise(), roles=["enterprise_admin"])

    assert codes(call(shop, LIST)) == ["FORBIDDEN"]


def test_tree_starts_at_own_division():
    operator = regulator_admin()
    enterprise_in("410105")

    roots = call(operator, TREE)["data"]["organisationTree"]
    children = call(operator, TREE, {"parent": "410100"})["data"]["organisationTree"]

    assert [node["code"] for node in roots] == ["410100"]
    assert children == [
        {"code": "410105", "name": "金水区", "hasChildren": False, "organisationCount": 1}
    ]
    assert codes(call(operator, TREE, {"parent": "410300"})) == ["NOT_FOUND"]


def test_create_enterprise_in_scope_audited():
    operator = regulator_admin()
    variables = {
        "kind": "ENTERPRISE",
        "division": "410105",
        "input": {"name": "郑州示例加油站", "creditCode": factories._credit_code("410105")},
    }

    payload = call(operator, CREATE, variables)["data"]["createOrganisation"]

    assert payload["errors"] == []
    event = AuditEvent.objects.get(action="organisation.create")
    assert event.actor_id == str(operator.pk)
    assert event.object_id == payload["organisation"]["id"]


def test_create_outside_division_rejected():
    operator = regulator_admin()
    variables = {
        "kind": "ENTERPRISE",
        "division": "410305",
        "input": {"name": "洛阳示例加油站", "creditCode": factories._credit_code("410305")},
    }

    payload = call(operator, CREATE, variables)["data"]["createOrganisation"]

    assert [error["field"] for error in payload["errors"]] == ["divisionCode"]
    assert not Organisation.objects.filter(name="洛阳示例加油站").exists()


def test_create_reports_every_field_in_chinese():
    operator = regulator_admin()
    variables = {
        "kind": "ENTERPRISE",
        "division": "410100",
        "input": {"name": "", "creditCode": "123"},
    }

    errors = call(operator, CREATE, variables)["data"]["createOrganisation"]["errors"]

    assert {error["field"] for error in errors} == {"name", "creditCode", "divisionCode"}
    assert all(any("\u4e00" <= char <= "\u9fff" for char in error["message"]) for error in errors)


def test_other_city_organisation_not_found():
    operator = regulator_admin()
    other = enterprise_in("410305", "涧西区超市")

    for query, variables in [
        (UPDATE, {"id": str(other.pk), "input": {"name": "改名"}}),
        (DELETE, {"id": str(other.pk)}),
        (ACTIVE, {"id": str(other.pk), "active": False}),
        (BLOCKERS, {"id": str(other.pk)}),
    ]:
        assert codes(call(operator, query, variables)) == ["NOT_FOUND"]
    other.refresh_from_db()
    assert other.name == "涧西区超市"
    assert other.is_active


def test_delete_refused_while_users_remain():
    operator = regulator_admin()
    shop = enterprise_in("410105")
    factories.business_user(shop)
    factories.instrument(owner=shop)

    payload = call(operator, DELETE, {"id": str(shop.pk)})["data"]["deleteOrganisation"]
    blockers = call(operator, BLOCKERS, {"id": str(shop.pk)})["data"][
        "organisationDeletionBlockers"
    ]

    assert payload["errors"][0]["code"] == "has_data"
    assert "业务用户 1 条" in payload["errors"][0]["message"]
    assert "计量器具" in payload["errors"][0]["message"]
    assert "业务用户 1 条" in blockers
    assert Organisation.objects.filter(pk=shop.pk).exists()


def test_delete_empty_organisation_audited():
    operator = regulator_admin()
    shop = enterprise_in("410105")

    payload = call(operator, DELETE, {"id": str(shop.pk)})["data"]["deleteOrganisation"]

    assert payload["errors"] == []
    assert not Organisation.objects.filter(pk=shop.pk).exists()
    assert AuditEvent.objects.filter(action="organisation.delete", object_id=str(shop.pk)).exists()


def test_own_organisation_cannot_be_disabled():
    operator = regulator_admin()

    body = call(operator, ACTIVE, {"id": str(operator.organisation_id), "active": False})

    assert codes(body) == ["FORBIDDEN"]


def test_disabling_stops_users_signing_in():
    operator = regulator_admin()
    shop = enterprise_in("410105")
    staff = factories.business_user(shop, roles=["enterprise_admin"])

    payload = call(operator, ACTIVE, {"id": str(shop.pk), "active": False})["data"]

    assert payload["setOrganisationActive"]["organisation"]["isActive"] is False
    assert codes(call(staff, "{ myAccess { roles } }")) == ["UNAUTHENTICATED"]
    assert AuditEvent.objects.filter(action="organisation.disable").count() == 1


def test_batch_move_within_division(settings):
    operator = regulator_admin("410000", "河南省市场监督管理局")
    first = enterprise_in("410105", "甲公司")
    second = enterprise_in("410105", "乙公司")

    payload = call(operator, MOVE, {"ids": [str(first.pk), str(second.pk)], "division": "410305"})

    assert payload["data"]["moveOrganisations"] == {"errors": [], "movedCount": 2}
    assert set(
        Organisation.objects.filter(pk__in=[first.pk, second.pk]).values_list("division", flat=True)
    ) == {"410305"}
    assert AuditEvent.objects.filter(action="organisation.move").count() == 2


def test_move_out_of_division_rejected():
    operator = regulator_admin()
    shop = enterprise_in("410105")

    payload = call(operator, MOVE, {"ids": [str(shop.pk)], "division": "410305"})["data"][
        "moveOrganisations"
    ]

    assert payload["movedCount"] == 0
    assert payload["errors"][0]["field"] == "divisionCode"
    shop.refresh_from_db()
    assert shop.division_id == "410105"


def test_move_batch_with_foreign_id_rejected_whole():
    operator = regulator_admin()
    mine = enterprise_in("410105")
    other = enterprise_in("410305")

    body = call(operator, MOVE, {"ids": [str(mine.pk), str(other.pk)], "division": "410105"})

    assert codes(body) == ["NOT_FOUND"]


def test_attributes_saved_validated_and_filtered():
    operator = regulator_admin()
    capital = OrganisationAttribute.objects.create(
        organisation_kind="enterprise", name="注册资本（万元）", data_type="number", required=True
    )
    scale = OrganisationAttribute.objects.create(
        organisation_kind="enterprise",
        name="企业规模",
        data_type="choice",
        options=["大型", "中型", "小型"],
    )
    base = {"name": "郑州示例加油站", "creditCode": factories._credit_code("410105")}

    missing = call(operator, CREATE, {"kind": "ENTERPRISE", "division": "410105", "input": base})
    wrong = call(
        operator,
        CREATE,
        {
            "kind": "ENTERPRISE",
            "division": "410105",
            "input": {
                **base,
                "attributes": [
                    {"key": capital.key, "value": "一百"},
                    {"key": scale.key, "value": "超大"},
                ],
            },
        },
    )
    good = call(
        operator,
        CREATE,
        {
            "kind": "ENTERPRISE",
            "division": "410105",
            "input": {
                **base,
                "attributes": [
                    {"key": capital.key, "value": "100.50"},
                    {"key": scale.key, "value": "中型"},
                ],
            },
        },
    )

    missing_errors = missing["data"]["createOrganisation"]["errors"]
    assert missing_errors[0]["field"] == f"attributes.{capital.key}"
    assert "注册资本（万元）" in missing_errors[0]["message"]
    wrong_messages = [error["message"] for error in wrong["data"]["createOrganisation"]["errors"]]
    assert any("应为数字" in message for message in wrong_messages)
    assert any("企业规模" in message and "中型" in message for message in wrong_messages)
    assert good["data"]["createOrganisation"]["errors"] == []
    assert {"key": capital.key, "value": "100.5"} in good["data"]["createOrganisation"][
        "organisation"
    ]["attributes"]

    found = call(operator, LIST, {"filter": {"attributes": [{"key": scale.key, "value": "中型"}]}})
    not_found = call(
        operator, LIST, {"filter": {"attributes": [{"key": scale.key, "value": "小型"}]}}
    )
    assert found["data"]["managedOrganisations"]["totalCount"] == 1
    assert not_found["data"]["managedOrganisations"]["totalCount"] == 0


def test_invalid_attribute_filter_named():
    operator = regulator_admin()
    capital = OrganisationAttribute.objects.create(
        organisation_kind="enterprise", name="注册资本（万元）", data_type="number"
    )

    body = call(operator, LIST, {"filter": {"attributes": [{"key": capital.key, "value": "abc"}]}})

    assert codes(body) == ["INVALID_FILTER"]
    assert "注册资本（万元）" in body["errors"][0]["message"]


def test_divisions_public():
    factories.division()
    from django.test import Client

    from tests.api.client import post

    body = post(Client(), "{ divisions { code name hasChildren } }").json()

    assert body["data"]["divisions"] == [{"code": "410000", "name": "河南省", "hasChildren": True}]
