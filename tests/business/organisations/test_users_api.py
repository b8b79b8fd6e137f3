"""Business-user management through GraphQL by organisation and regulator administrators."""

import datetime

import pytest
from django.utils import timezone

from business.access.models import Role, RoleAssignment
from business.accounts.models import BusinessUser
from business.audit.models import AuditEvent
from tests import factories

from .management_helpers import call, enterprise_in, regulator_admin

pytestmark = pytest.mark.django_db

LIST = """query ($filter: BusinessUserFilterInput) {
  managedBusinessUsers(filter: $filter) {
    totalCount items { id username organisationName locked roles { code } } } }"""
CREATE = """mutation ($org: ID!, $username: String!, $name: String!, $roles: [ID!]) {
  createBusinessUser(
    organisationId: $org, username: $username, displayName: $name, roleIds: $roles
  ) {
    errors { field message code } initialPassword user { id mustChangePassword roles { code } } } }"""
RESET = """mutation ($id: ID!) {
  resetBusinessUserPassword(id: $id) { errors { message } initialPassword } }"""
UNLOCK = """mutation ($id: ID!) { unlockBusinessUser(id: $id) { user { locked } } }"""
ACTIVE = """mutation ($id: ID!, $active: Boolean!) {
  setBusinessUserActive(id: $id, active: $active) { user { isActive } } }"""
ROLES = """mutation ($id: ID!, $roles: [ID!]!) {
  assignBusinessUserRoles(id: $id, roleIds: $roles) {
    errors { field code message } user { roles { code } } } }"""
MOVE = """mutation ($ids: [ID!]!, $org: ID!) { moveBusinessUsers(ids: $ids, organisationId: $org) {
  errors { field code message } movedCount } }"""


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_SM3_ITERATIONS = 1_000


def role_id(code):
    return str(Role.objects.get(code=code).pk)


def codes(body):
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.fixture
def shop_admin():
    factories.division()
    return factories.business_user(enterprise_in("410105", "甲超市"), roles=["enterprise_admin"])


def test_enterprise_admin_lists_own_users_only(shop_admin):
    factories.business_user(shop_admin.organisation, username="colleague")
    factories.business_user(enterprise_in("410105", "乙超市"), username="stranger")

    body = call(shop_admin, LIST)

    names = {item["username"] for item in body["data"]["managedBusinessUsers"]["items"]}
    assert names == {shop_admin.username, "colleague"}


def test_staff_without_permission_refused(shop_admin):
    clerk = factories.business_user(shop_admin.organisation, roles=["enterprise_staff"])

    assert codes(call(clerk, LIST)) == ["FORBIDDEN"]


def test_create_user_returns_password_once(shop_admin):
    variables = {
        "org": str(shop_admin.organisation_id),
        "username": "new_metrologist",
        "name": "赵计量",
        "roles": [role_id("enterprise_metrologist")],
    }

    payload = call(shop_admin, CREATE, variables)["data"]["createBusinessUser"]

    assert payload["errors"] == []
    assert payload["user"]["mustChangePassword"] is True
    assert payload["user"]["roles"] == [{"code": "enterprise_metrologist"}]
    user = BusinessUser.objects.get(username="new_metrologist")
    assert user.check_password(payload["initialPassword"])
    event = AuditEvent.objects.get(action="business_user.create")
    assert event.actor_id == str(shop_admin.pk)
    assert payload["initialPassword"] not in str(event.changes)


def test_create_user_with_role_of_other_kind_rejected(shop_admin):
    variables = {
        "org": str(shop_admin.organisation_id),
        "username": "wrong_role",
        "name": "钱错",
        "roles": [role_id("verifier")],
    }

    payload = call(shop_admin, CREATE, variables)["data"]["createBusinessUser"]

    assert payload["errors"][0]["code"] == "role_not_assignable"
    assert not BusinessUser.objects.filter(username="wrong_role").exists()


def test_create_user_in_other_enterprise_not_found(shop_admin):
    other = enterprise_in("410105", "乙超市")
    variables = {"org": str(other.pk), "username": "intruder", "name": "孙闯"}

    assert codes(call(shop_admin, CREATE, variables)) == ["NOT_FOUND"]


def test_duplicate_username_named(shop_admin):
    variables = {
        "org": str(shop_admin.organisation_id),
        "username": shop_admin.username,
        "name": "周重",
    }

    errors = call(shop_admin, CREATE, variables)["data"]["createBusinessUser"]["errors"]

    assert errors[0]["field"] == "username"
    assert "已被使用" in errors[0]["message"]


def test_reset_password_forces_change(shop_admin):
    colleague = factories.business_user(shop_admin.organisation)

    payload = call(shop_admin, RESET, {"id": str(colleague.pk)})["data"][
        "resetBusinessUserPassword"
    ]

    colleague.refresh_from_db()
    assert colleague.must_change_password is True
    assert colleague.check_password(payload["initialPassword"])
    assert AuditEvent.objects.filter(
        action="business_user.reset_password", actor_id=str(shop_admin.pk)
    ).exists()


def test_unlock_clears_lock(shop_admin):
    colleague = factories.business_user(shop_admin.organisation)
    colleague.locked_until = timezone.now() + datetime.timedelta(minutes=30)
    colleague.failed_login_count = 5
    colleague.save()

    payload = call(shop_admin, UNLOCK, {"id": str(colleague.pk)})["data"]["unlockBusinessUser"]

    assert payload["user"]["locked"] is False
    assert AuditEvent.objects.filter(action="business_user.unlock").exists()


def test_disable_user_ends_access(shop_admin):
    colleague = factories.business_user(shop_admin.organisation, roles=["enterprise_staff"])

    call(shop_admin, ACTIVE, {"id": str(colleague.pk), "active": False})

    assert codes(call(colleague, "{ myAccess { roles } }")) == ["UNAUTHENTICATED"]


def test_cannot_change_own_roles(shop_admin):
    body = call(
        shop_admin, ROLES, {"id": str(shop_admin.pk), "roles": [role_id("enterprise_staff")]}
    )

    assert codes(body) == ["FORBIDDEN"]


def test_assign_roles_audited(shop_admin):
    colleague = factories.business_user(shop_admin.organisation, roles=["enterprise_staff"])

    payload = call(
        shop_admin, ROLES, {"id": str(colleague.pk), "roles": [role_id("enterprise_metrologist")]}
    )

    assert payload["data"]["assignBusinessUserRoles"]["user"]["roles"] == [
        {"code": "enterprise_metrologist"}
    ]
    event = AuditEvent.objects.get(action="business_user.assign_roles")
    assert event.changes["roles"] == {
        "before": "enterprise_staff",
        "after": "enterprise_metrologist",
    }


def test_colleague_not_raised_above_own_rights():
    factories.division()
    shop = enterprise_in("410105", "甲超市")
    metrologist_role = Role.objects.get(code="enterprise_metrologist")
    limited = Role.objects.create(
        code="user_keeper",
        name="用户管理员",
        organisation_kind="enterprise",
        permissions=["users.manage", "organisation.view"],
        scope="organisation",
    )
    keeper = factories.business_user(shop)
    RoleAssignment.objects.create(user=keeper, role=limited)
    colleague = factories.business_user(shop)

    payload = call(keeper, ROLES, {"id": str(colleague.pk), "roles": [str(metrologist_role.pk)]})

    assert payload["data"]["assignBusinessUserRoles"]["errors"][0]["code"] == "role_not_assignable"


def test_regulator_moves_users_between_enterprises():
    operator = regulator_admin()
    first, second = enterprise_in("410105", "甲超市"), enterprise_in("410105", "乙超市")
    worker = factories.business_user(first)

    payload = call(operator, MOVE, {"ids": [str(worker.pk)], "org": str(second.pk)})

    assert payload["data"]["moveBusinessUsers"] == {"errors": [], "movedCount": 1}
    worker.refresh_from_db()
    assert worker.organisation == second
    assert AuditEvent.objects.filter(action="business_user.move").exists()


def test_move_to_other_kind_rejected():
    operator = regulator_admin()
    worker = factories.business_user(enterprise_in("410105", "甲超市"))

    payload = call(operator, MOVE, {"ids": [str(worker.pk)], "org": str(operator.organisation_id)})

    assert payload["data"]["moveBusinessUsers"]["errors"][0]["code"] == "kind_mismatch"


def test_regulator_cannot_reach_other_city_users():
    operator = regulator_admin()
    stranger = factories.business_user(enterprise_in("410305", "洛阳超市"))

    assert codes(call(operator, RESET, {"id": str(stranger.pk)})) == ["NOT_FOUND"]
    listed = call(operator, LIST)["data"]["managedBusinessUsers"]["items"]
    assert stranger.username not in {item["username"] for item in listed}


def test_list_filters_locked(shop_admin):
    colleague = factories.business_user(shop_admin.organisation, username="locked_one")
    colleague.locked_until = timezone.now() + datetime.timedelta(minutes=5)
    colleague.save()

    body = call(shop_admin, LIST, {"filter": {"locked": True}})

    assert [item["username"] for item in body["data"]["managedBusinessUsers"]["items"]] == [
        "locked_one"
    ]
