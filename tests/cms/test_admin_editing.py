"""Editors open the page editors of every portal page type in the Wagtail admin."""

import pytest
from django.urls import reverse

from cms.models import SECTION_MODELS, HomePage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "unused")
    client.force_login(user)
    return client


def test_home_page_editor_opens(editor, portal):
    home = HomePage.objects.get()

    response = editor.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))

    assert response.status_code == 200
    assert "地方首页" in response.content.decode()


@pytest.mark.parametrize("section", sorted(SECTION_MODELS))
def test_article_editor_opens_with_readership(editor, portal, section):
    factories.division("410105", "金水区")
    page = SECTION_MODELS[section].objects.first()

    response = editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "发放查阅范围" in content
    assert "添加附件" in content or "附件" in content
    assert "410100" in content  # Division choices are listed.
