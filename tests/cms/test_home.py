"""The portal home query: editor-arranged blocks, division homes and the cache."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from business.demo.generator import DemoDataGenerator
from cms.models import NoticePage, SectionIndexPage
from cms.readership import Audience
from tests import factories
from tests.api.client import post

pytestmark = pytest.mark.django_db

HOME = """
query Home($division: String) {
  portalHome(division: $division) {
    title
    division { code name }
    divisions { code name }
    blocks {
      kind
      title
      slides { title image { url width height } href external }
      tabs { section title items { id title date } }
      tiles { title href external }
      links { title href external categoryLabel }
    }
  }
}
"""


@pytest.fixture
def portal_with_divisions(db):
    factories.division("410105", "金水区")
    DemoDataGenerator(seed=1).create_portal_pages()


def home(client, division=None):
    response = post(client, HOME, {"division": division}).json()
    assert "errors" not in response, response
    return response["data"]["portalHome"]


def test_blocks_follow_editor_order(client, portal_with_divisions):
    data = home(client)

    kinds = [block["kind"] for block in data["blocks"]]
    assert kinds == ["BANNER", "NEWS_TABS", "TOPIC_TILES", "LINKS"]
    banner = data["blocks"][0]
    assert banner["slides"][0]["image"]["width"] == 1200
    assert banner["slides"][0]["image"]["url"].endswith(".png")


def test_news_tabs_show_public_articles_only(client, portal_with_divisions):
    tabs = home(client)["blocks"][1]["tabs"]

    assert [tab["section"] for tab in tabs] == [
        "WORK_UPDATES", "NOTICES", "LAWS", "LEGAL_EDUCATION", "DISCLOSURES",
    ]
    notice_titles = [item["title"] for item in tabs[1]["items"]]
    assert len(notice_titles) == 5
    assert not any("监管部门内部" in title for title in notice_titles)
    dates = [item["date"] for item in tabs[1]["items"]]
    assert dates == sorted(dates, reverse=True)


def test_topic_tiles_link_to_topic_pages(client, portal_with_divisions):
    tiles = home(client)["blocks"][2]["tiles"]

    assert tiles[0]["title"] == "国家企业信用信息公示系统"
    assert tiles[0]["href"].startswith("/articles/")
    assert tiles[0]["external"] is False


def test_division_home_used_for_county_below(client, portal_with_divisions):
    data = home(client, "410105")

    assert data["division"] == {"code": "410100", "name": "郑州市"}
    assert data["divisions"] == [{"code": "410100", "name": "郑州市"}]
    assert [block["kind"] for block in data["blocks"]] == ["NEWS_TABS", "TOPIC_TILES"]


def test_unknown_division_falls_back_to_province(client, portal_with_divisions):
    data = home(client, "419999")

    assert data["division"] is None
    assert data["blocks"][0]["kind"] == "BANNER"


def test_malformed_division_rejected_in_chinese(client, portal_with_divisions):
    response = post(client, HOME, {"division": "zz' OR 1=1"}).json()

    assert response["errors"][0]["extensions"]["code"] == "INVALID_DIVISION"
    assert "应为 6 位数字" in response["errors"][0]["message"]


def test_second_request_served_from_cache(client, portal_with_divisions):
    home(client)

    with CaptureQueriesContext(connection) as queries:
        home(client)

    cms_queries = [
        query["sql"] for query in queries if "cms_" in query["sql"] or "wagtailcore" in query["sql"]
    ]
    assert cms_queries == []


def _new_notice(title):
    section = SectionIndexPage.objects.get(slug="notices")
    page = section.add_child(
        instance=NoticePage(title=title, slug="fresh", date=datetime.date(2027, 1, 1), live=False)
    )
    return page


def test_publish_clears_cache(client, portal_with_divisions):
    home(client)
    page = _new_notice("新发布的通知")

    page.save_revision().publish()

    notices = home(client)["blocks"][1]["tabs"][1]["items"]
    assert notices[0]["title"] == "新发布的通知"


def test_unpublish_and_delete_clear_cache(client, portal_with_divisions):
    page = NoticePage.objects.filter(audience=Audience.PUBLIC).order_by("-date").first()
    home(client)

    page.unpublish()
    after_unpublish = [item["title"] for item in home(client)["blocks"][1]["tabs"][1]["items"]]
    other = NoticePage.objects.filter(audience=Audience.PUBLIC, live=True).order_by("-date").first()
    other.delete()
    after_delete = [item["title"] for item in home(client)["blocks"][1]["tabs"][1]["items"]]

    assert page.title not in after_unpublish
    assert other.title not in after_delete


def test_home_without_layout_shows_default_tabs(client, db):
    DemoDataGenerator(seed=1).create_portal_pages()
    from cms.models import HomePage

    page = HomePage.objects.get()
    page.layout = []
    page.save_revision().publish()

    blocks = home(client)["blocks"]

    assert [block["kind"] for block in blocks] == ["NEWS_TABS"]
    assert [tab["title"] for tab in blocks[0]["tabs"]] == ["工作动态", "通知公告", "法律法规"]
