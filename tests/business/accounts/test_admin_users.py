"""Admin accounts created in the Wagtail admin cannot take a business user's name."""

import pytest
from django.apps import apps

from business.accounts import services
from business.accounts.admin_users import AdminUserCreationForm, AdminUserViewSet
from tests import factories

pytestmark = pytest.mark.django_db


def creation_form(username):
    return AdminUserCreationForm(
        data={
            "username": username,
            "email": "admin@example.gov.cn",
            "first_name": "测试",
            "last_name": "管理员",
            "password1": "Guanli#2026x",
            "password2": "Guanli#2026x",
        }
    )


def test_admin_form_rejects_business_user_name():
    services.create_business_user(
        username="LiNa",
        display_name="李娜",
        organisation=factories.enterprise(),
        password="Jiliang#2026",
    )

    form = creation_form("lina")

    assert not form.is_valid()
    assert "业务用户" in form.errors["username"][0]


def test_admin_form_accepts_free_name():
    form = creation_form("sysadmin2")

    assert form.is_valid(), form.errors


def test_wagtail_uses_checking_viewset():
    assert apps.get_app_config("wagtailusers").user_viewset.endswith("AdminUserViewSet")
    assert AdminUserViewSet().get_form_class() is AdminUserCreationForm


def test_admin_add_user_page_renders(admin_client):
    from django.urls import reverse

    response = admin_client.get(reverse("wagtailusers_users:add"))

    assert response.status_code == 200
