import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.admin.menu import admin_menu
from wagtail.models import ReferenceIndex

from business.reference.models import CatalogueItem, Division

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.business.reference.admin_urls")]


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "unused")
    client.force_login(user)
    return client


def test_catalogue_listing_shows_confidence(admin_client, reference_data):
    response = admin_client.get(reverse("catalogueitem:index"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "待核实" in content
    assert "已核实" in content


def test_catalogue_filter_on_confidence(admin_client, reference_data):
    response = admin_client.get(reverse("catalogueitem:index"), {"confidence": "C"})

    assert response.status_code == 200
    listed = {item.pk for item in response.context["object_list"]}
    confirmed = set(CatalogueItem.objects.filter(confidence="C").values_list("pk", flat=True))
    assert listed == confirmed


@pytest.mark.parametrize("name", ["division", "calendarday", "regulation", "catalogueitem"])
def test_reference_listings_open(admin_client, reference_data, name):
    assert admin_client.get(reverse(f"{name}:index")).status_code == 200


def test_division_edit_disables_code(admin_client, reference_data):
    response = admin_client.get(reverse("division:edit", args=["410105"]))

    assert response.status_code == 200
    assert response.context["form"].fields["code"].disabled is True


def test_division_add_allows_code(admin_client):
    response = admin_client.get(reverse("division:add"))

    assert response.status_code == 200
    assert response.context["form"].fields["code"].disabled is False


def test_admin_menu_has_reference_group(rf, django_user_model):
    request = rf.get("/admin/")
    request.user = django_user_model.objects.create_superuser("menu", "menu@example.com", "unused")

    groups = [item for item in admin_menu.menu_items_for_request(request) if item.label == "基础数据"]

    assert len(groups) == 1
    labels = [item.label for item in groups[0].menu.menu_items_for_request(request)]
    assert labels == [
        "强制检定目录",
        "计量技术法规",
        "节假日日历",
        "节假日与调休",
        "行政区划",
        "国民经济行业",
    ]


def test_division_edit_cannot_change_code(admin_client, reference_data):
    url = reverse("division:edit", args=["410105"])
    form_data = {
        "code": "410199",
        "name": "金水区（改）",
        "level": "county",
        "parent": "410100",
        "is_admin_division": "on",
    }

    response = admin_client.post(url, form_data)

    assert response.status_code == 302
    assert Division.objects.get(code="410105").name == "金水区（改）"
    assert not Division.objects.filter(code="410199").exists()


def test_delete_of_protected_division_reports_error(admin_client, reference_data):
    # Without an index entry Wagtail lets the request through and Django raises
    # ProtectedError, as for a protected reference from a model Wagtail does not index.
    ReferenceIndex.objects.all().delete()

    response = admin_client.post(reverse("division:delete", args=["410100"]), follow=True)

    assert response.status_code == 200
    assert Division.objects.filter(code="410100").exists()
    errors = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("无法删除" in message for message in errors)
