"""The portal operations the frontend sends, run against real pages."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql import parse, validate

from business.demo.generator import DemoDataGenerator
from cms.models import NoticePage
from tests.api.client import post

pytestmark = pytest.mark.django_db

OPERATIONS = Path(settings.BASE_DIR) / "graphql" / "operations"


def operation_document(name: str) -> str:
    return (OPERATIONS / name).read_text(encoding="utf-8")


def run(client, file_name, operation, variables=None):
    body = {
        "query": operation_document(file_name),
        "operationName": operation,
        "variables": variables or {},
    }
    response = client.post("/graphql/", json.dumps(body), content_type="application/json")
    return response.json()


@pytest.fixture
def portal():
    DemoDataGenerator(seed=1).create_portal_pages()


@pytest.mark.parametrize("file_name", sorted(p.name for p in OPERATIONS.glob("*.graphql")))
def test_frontend_operations_validate_against_schema(file_name):
    from grapple.schema import schema

    errors = validate(schema.graphql_schema, parse(operation_document(file_name)))

    assert errors == []


def test_portal_home_lists_sections_newest_first(client, portal):
    data = run(client, "portal.graphql", "PortalHome")["data"]

    assert len(data["notices"]) == 5
    dates = [item["date"] for item in data["notices"]]
    assert dates == sorted(dates, reverse=True)
    assert data["workUpdates"][0]["title"] == "省计量院完成全省加油机专项检定工作"
    assert data["laws"][0]["title"] == "中华人民共和国计量法"


def test_portal_home_hides_unpublished_pages(client, portal):
    draft = NoticePage.objects.filter(audience="public").order_by("-date").first()
    draft.unpublish()

    data = run(client, "portal.graphql", "PortalHome")["data"]

    assert draft.title not in [item["title"] for item in data["notices"]]


def test_portal_home_query_count_is_bounded(client, portal):
    with CaptureQueriesContext(connection) as queries:
        run(client, "portal.graphql", "PortalHome")

    # Three section queries plus session and site look-ups; a per-row query would
    # add at least 15.
    assert len(queries) <= 8


def test_article_detail_returns_rendered_body(client, portal):
    notice = NoticePage.objects.filter(audience="public").order_by("-date").first()

    page = run(client, "portal.graphql", "ArticleDetail", {"id": str(notice.pk)})["data"]["page"]

    assert page["title"] == notice.title
    assert page["sectionName"] == "通知公告"
    assert page["body"].startswith("<p>")
    assert "linktype=" not in page["body"]


def test_articles_limit_is_capped(client, portal):
    response = post(client, "{ articles(section: LAWS, limit: 100000) { id } }")

    assert len(response.json()["data"]["articles"]) == 5


def test_internal_link_in_body_points_at_frontend_route(client, portal):
    from cms.models import LawPage

    target = LawPage.objects.order_by("pk").first()
    notice = NoticePage.objects.filter(audience="public").order_by("-date").first()
    notice.body = f'<p><a linktype="page" id="{target.pk}">计量法</a></p>'
    notice.save_revision().publish()

    data = run(client, "portal.graphql", "PortalArticle", {"id": str(notice.pk)})["data"]

    assert f'<a href="/articles/{target.pk}">计量法</a>' in data["portalArticle"]["body"]
