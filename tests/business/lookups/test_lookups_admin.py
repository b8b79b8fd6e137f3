"""The look-up lists are maintained in the Wagtail admin."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("lookup-admin", password="Admin#Pass-2026")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url_name",
    ["committeeexpert:index", "manufacturer:index", "selfdeclaration:index", "institutionprofile:index"],
)
def test_lookup_admin_lists_open(admin_client, url_name):
    response = admin_client.get(reverse(url_name))

    assert response.status_code == 200
