"""Organisations, attributes and business users in the Wagtail admin for the system administrator."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from business.access.models import Role
from business.accounts.models import BusinessUser
from business.audit.models import AuditEvent
from business.audit.roles import (
    AUDIT_ADMINISTRATORS,
    SECURITY_ADMINISTRATORS,
    SYSTEM_ADMINISTRATORS,
)
from business.organisations.models import Organisation, OrganisationAttribute
from tests import factories

from .management_helpers import enterprise_in, luoyang_county

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_SM3_ITERATIONS = 1_000


def admin_in(group_name, username="sysadmin"):
    user = User.objects.create_user(username, password="Guanli#2026x", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def system_admin(db):
    factories.division()
    luoyang_county()
    return admin_in(SYSTEM_ADMINISTRATORS)


def test_list_filters_by_division_with_subdivisions(system_admin):
    _, client = system_admin
    enterprise_in("410105", "金水区超市")
    enterprise_in("410305", "涧西区超市")

    page = client.get(
        reverse("organisations_admin:index"), {"division_within": "410100"}
    ).content.decode()

    assert "金水区超市" in page
    assert "涧西区超市" not in page


def test_create_organisation_with_attribute_checked(system_admin):
    user, client = system_admin
    capital = OrganisationAttribute.objects.create(
        organisation_kind="enterprise", name="注册资本（万元）", data_type="number", required=True
    )
    form = {
        "kind": "enterprise",
        "name": "示例加油站",
        "credit_code": factories._credit_code("410105"),
        "division": "410105",
        "address": "",
        f"attr_{capital.key}": "很多",
    }

    rejected = client.post(reverse("organisations_admin:add"), form)
    form[f"attr_{capital.key}"] = "300"
    accepted = client.post(reverse("organisations_admin:add"), form)

    assert "注册资本（万元）”应为数字" in rejected.content.decode()
    assert accepted.status_code == 302
    organisation = Organisation.objects.get(name="示例加油站")
    assert organisation.attributes == {capital.key: "300"}
    event = AuditEvent.objects.get(action="organisation.create")
    assert event.actor_table == "admin"
    assert event.actor_id == str(user.pk)


def test_attribute_filter_in_admin_list(system_admin):
    _, client = system_admin
    scale = OrganisationAttribute.objects.create(
        organisation_kind="enterprise",
        name="企业规模",
        data_type="choice",
        options=["大型", "小型"],
    )
    big = enterprise_in("410105", "大公司")
    big.attributes = {scale.key: "大型"}
    big.save()
    enterprise_in("410105", "小公司")

    page = client.get(
        reverse("organisations_admin:index"), {"attribute": scale.pk, "attribute_value": "大型"}
    ).content.decode()

    assert "大公司" in page
    assert "小公司" not in page


def test_delete_with_users_refused_and_listed(system_admin):
    _, client = system_admin
    shop = enterprise_in("410105")
    factories.business_user(shop)

    response = client.post(reverse("organisations_admin:delete", args=[shop.pk]), follow=True)

    assert Organisation.objects.filter(pk=shop.pk).exists()
    assert "业务用户 1 条" in response.content.decode()


def test_disable_via_edit_audited(system_admin):
    _, client = system_admin
    shop = enterprise_in("410105")

    client.post(
        reverse("organisations_admin:edit", args=[shop.pk]),
        {"name": shop.name, "credit_code": shop.credit_code, "address": "", "is_active": ""},
    )

    shop.refresh_from_db()
    assert shop.is_active is False
    assert AuditEvent.objects.filter(action="organisation.disable").exists()


def test_batch_move_organisations(system_admin):
    _, client = system_admin
    first, second = enterprise_in("410105", "甲"), enterprise_in("410105", "乙")

    response = client.post(
        reverse("organisations_admin:move"),
        {"organisations": [first.pk, second.pk], "division": "410305"},
    )

    assert response.status_code == 302
    assert set(Organisation.objects.values_list("division", flat=True)) == {"410305"}


def test_create_user_shows_password_once_without_roles(system_admin):
    _, client = system_admin
    shop = enterprise_in("410105")
    role = Role.objects.get(code="enterprise_admin")

    response = client.post(
        reverse("business_users_admin:add"),
        {
            "username": "shop_boss",
            "display_name": "钱老板",
            "organisation": shop.pk,
            # Ignored: the system administrator may not grant roles.
            "roles": [role.pk],
        },
    )

    page = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    user = BusinessUser.objects.get(username="shop_boss")
    password = page.split("data-initial-password>")[1].split("<")[0]
    assert user.check_password(password)
    assert user.must_change_password
    assert not user.role_assignments.exists()


def test_system_administrator_cannot_open_role_grants(system_admin):
    _, client = system_admin
    worker = factories.business_user(enterprise_in("410105"))

    role = Role.objects.get(code="enterprise_admin")
    listing = client.get(reverse("access_grants"))
    grant = client.post(reverse("access_grant_edit", args=[worker.pk]), {"roles": [role.pk]})

    # Wagtail turns the refusal into a redirect to the dashboard.
    assert listing.status_code in (302, 403)
    assert grant.status_code in (302, 403)
    assert not worker.role_assignments.exists()


def test_security_administrator_grants_roles_audited(db):
    factories.division()
    _, client = admin_in(SECURITY_ADMINISTRATORS, "anquan")
    worker = factories.business_user(enterprise_in("410105"))
    role = Role.objects.get(code="enterprise_metrologist")

    listing = client.get(reverse("access_grants"), {"q": worker.username})
    response = client.post(reverse("access_grant_edit", args=[worker.pk]), {"roles": [role.pk]})

    assert worker.username in listing.content.decode()
    assert response.status_code == 302
    assert list(worker.role_assignments.values_list("role__code", flat=True)) == [
        "enterprise_metrologist"
    ]
    assert AuditEvent.objects.filter(
        action="business_user.assign_roles", actor_table="admin"
    ).exists()


def test_security_administrator_cannot_grant_role_of_other_kind(db):
    factories.division()
    _, client = admin_in(SECURITY_ADMINISTRATORS, "anquan")
    worker = factories.business_user(enterprise_in("410105"))

    response = client.post(
        reverse("access_grant_edit", args=[worker.pk]),
        {"roles": [Role.objects.get(code="verifier").pk]},
    )

    assert response.status_code == 200
    assert not worker.role_assignments.exists()


def test_reset_password_and_unlock(system_admin):
    _, client = system_admin
    worker = factories.business_user(enterprise_in("410105"))

    reset = client.post(reverse("business_users_admin:reset_password", args=[worker.pk]))
    unlock = client.post(reverse("business_users_admin:unlock", args=[worker.pk]))

    worker.refresh_from_db()
    password = reset.content.decode().split("data-initial-password>")[1].split("<")[0]
    assert worker.check_password(password)
    assert worker.must_change_password
    assert unlock.status_code == 302
    assert AuditEvent.objects.filter(
        action="business_user.reset_password", actor_table="admin"
    ).exists()
    assert AuditEvent.objects.filter(action="business_user.unlock", actor_table="admin").exists()


def test_batch_move_users_same_kind_only(system_admin):
    _, client = system_admin
    first, second = enterprise_in("410105", "甲"), enterprise_in("410105", "乙")
    worker = factories.business_user(first)
    regulator = Organisation.objects.create(kind="regulator", name="监管局", division_id="410100")

    refused = client.post(
        reverse("business_users_admin:move"), {"users": [worker.pk], "organisation": regulator.pk}
    )
    moved = client.post(
        reverse("business_users_admin:move"), {"users": [worker.pk], "organisation": second.pk}
    )

    assert "同类单位" in refused.content.decode()
    assert moved.status_code == 302
    worker.refresh_from_db()
    assert worker.organisation == second


@pytest.mark.parametrize("group", [SECURITY_ADMINISTRATORS, AUDIT_ADMINISTRATORS])
def test_other_administrators_refused(group, db):
    factories.division()
    _, client = admin_in(group, "other")
    shop = enterprise_in("410105")

    for url in (
        reverse("organisations_admin:index"),
        reverse("business_users_admin:index"),
        reverse("organisation_attributes_admin:index"),
        reverse("organisations_admin:edit", args=[shop.pk]),
    ):
        assert client.get(url).status_code in {302, 403}, url
    assert client.post(reverse("organisations_admin:move"), {}).status_code in {302, 403}


def test_division_tree_counts_and_links(system_admin):
    _, client = system_admin
    enterprise_in("410105", "金水区超市")

    page = client.get(reverse("organisations_admin:tree")).content.decode()

    assert "金水区</a>\n            （1）" in page
    assert "?division_within=410100" in page
