import pytest
from django.core.exceptions import ValidationError

from business.access import NotFoundError, PermissionDeniedError, get_in_scope, scoped
from business.access.models import Role, RoleAssignment
from business.instruments.models import Instrument
from business.organisations.models import Organisation
from business.reference.models import Division
from tests import factories
from tests.api.client import bearer, data, error_codes, post

pytestmark = pytest.mark.django_db


def _enterprise_in(code, name):
    province = Division.objects.get(code="410000")
    city, _ = Division.objects.get_or_create(
        code=code[:4] + "00", defaults={"name": "洛阳市", "level": "prefecture", "parent": province}
    )
    county, _ = Division.objects.get_or_create(
        code=code, defaults={"name": name, "level": "county", "parent": city}
    )
    return Organisation.objects.create(kind="enterprise", name=f"{name}示例企业", division=county)


@pytest.fixture
def two_cities():
    zhengzhou = factories.enterprise()
    luoyang = _enterprise_in("410302", "老城区")
    factories.instrument(owner=zhengzhou)
    factories.instrument(owner=luoyang)
    return zhengzhou, luoyang


def test_missing_permission_is_refused_in_chinese(two_cities):
    user = factories.business_user(two_cities[0], roles=["enterprise_staff"])

    with pytest.raises(PermissionDeniedError) as raised:
        scoped(Instrument.objects.all(), user, "instruments.manage")

    assert "器具备案" in raised.value.message


def test_unknown_permission_code_fails_loudly(two_cities):
    user = factories.business_user(two_cities[0], roles=["enterprise_admin"])

    with pytest.raises(ValueError):
        scoped(Instrument.objects.all(), user, "instruments.fly")


def test_enterprise_sees_only_its_own_instruments(two_cities):
    zhengzhou, luoyang = two_cities
    user = factories.business_user(zhengzhou, roles=["enterprise_admin"])

    visible = scoped(Instrument.objects.all(), user, "instruments.view")

    assert {row.enterprise_id for row in visible} == {zhengzhou.pk}


def test_other_enterprises_instrument_is_not_found(two_cities):
    zhengzhou, luoyang = two_cities
    user = factories.business_user(zhengzhou, roles=["enterprise_admin"])
    foreign = Instrument.objects.get(enterprise=luoyang)

    with pytest.raises(NotFoundError):
        get_in_scope(Instrument.objects.all(), user, "instruments.view", foreign.pk, noun="器具")


def test_city_regulator_sees_its_city_only(two_cities):
    zhengzhou, luoyang = two_cities
    regulator = factories.regulator()
    user = factories.business_user(regulator, roles=["regulator_officer"])

    visible = scoped(Instrument.objects.all(), user, "instruments.view")

    assert {row.enterprise_id for row in visible} == {zhengzhou.pk}


def test_provincial_regulator_sees_the_province(two_cities):
    province = Organisation.objects.create(
        kind="regulator", name="河南省市场监督管理局", division_id="410000"
    )
    user = factories.business_user(province, roles=["regulator_officer"])

    assert scoped(Instrument.objects.all(), user, "instruments.view").count() == 2


def test_widest_scope_of_two_roles_wins(two_cities):
    zhengzhou, _ = two_cities
    user = factories.business_user(zhengzhou, roles=["enterprise_staff", "enterprise_admin"])

    assert scoped(Instrument.objects.all(), user, "instruments.view").count() == 1


def test_own_scope_limits_users_to_themselves(two_cities):
    zhengzhou, _ = two_cities
    from business.accounts.models import BusinessUser

    staff = factories.business_user(zhengzhou, roles=["enterprise_staff"])
    factories.business_user(zhengzhou, roles=["enterprise_admin"])
    role = Role.objects.get(code="enterprise_staff")
    role.permissions = [*role.permissions, "users.manage"]
    role.save()

    visible = scoped(BusinessUser.objects.all(), staff, "users.manage")

    assert list(visible) == [staff]


def test_role_rejects_permissions_of_another_kind():
    role = Role(
        code="odd", name="奇怪角色", organisation_kind="enterprise", permissions=["records.enter"]
    )

    with pytest.raises(ValidationError) as raised:
        role.full_clean()

    assert "检定原始记录" in str(raised.value)


def test_assignment_rejects_role_of_another_kind(two_cities):
    user = factories.business_user(two_cities[0])
    assignment = RoleAssignment(user=user, role=Role.objects.get(code="verifier"))

    with pytest.raises(ValidationError):
        assignment.full_clean()


def test_my_access_lists_permissions_with_scope(client, two_cities):
    user = factories.business_user(two_cities[0], roles=["enterprise_admin"])

    response = post(
        client, "{ myAccess { roles organisationKind permissions { code scope } } }", **bearer(user)
    )

    access = data(response)["myAccess"]
    assert access["roles"] == ["企业管理员"]
    assert access["organisationKind"] == "enterprise"
    assert {"code": "instruments.manage", "scope": "organisation"} in access["permissions"]


def test_my_access_needs_sign_in(client):
    assert error_codes(post(client, "{ myAccess { roles } }")) == ["UNAUTHENTICATED"]
