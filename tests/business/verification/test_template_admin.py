"""Record templates maintained in the Wagtail admin."""

import pytest
from django.urls import reverse

from business.verification import services
from business.verification.models import RecordTemplate
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "unused")
    client.force_login(user)
    return client


def test_template_list_and_edit_open(admin_client):
    item = factories.catalogue_item()
    template = services.template_for(item.regulations.get(), None)

    listing = admin_client.get(reverse("record_templates:index"))
    edit = admin_client.get(reverse("record_templates:edit", args=[template.pk]))

    assert listing.status_code == 200
    assert template.name in listing.content.decode()
    assert edit.status_code == 200
    assert "最大示值误差" in edit.content.decode()


def test_generic_template_created_once():
    item = factories.catalogue_item()
    regulation = item.regulations.get()

    first = services.template_for(regulation, None)
    second = services.template_for(regulation, None)

    assert first == second
    assert RecordTemplate.objects.count() == 1
    assert first.fields.filter(required=True).count() == 5
