"""Search over the portal's page types: sections, readership, rare characters, odd input."""

import pytest
from django.utils import timezone

from business.accounts.models import BusinessUser
from business.organisations.models import Organisation
from cms.models import DisclosurePage, NoticePage, SectionIndexPage
from cms.readership import Reader
from search import service
from search.backends.base import ParsedQuery
from search.backends.elasticsearch import build_search
from tests import factories
from tests.api.client import post

pytestmark = pytest.mark.django_db

SEARCH = """
query Search($query: String!, $section: ArticleSection) {
  search(query: $query, section: $section) {
    total
    items { title highlightedTitle snippet section url }
    errors { field code message }
  }
}
"""

REGULATOR = Reader(signed_in=True, organisation_kind="regulator", division_chain=frozenset({"410000"}))


def run(client, query, section=None):
    response = post(client, SEARCH, {"query": query, "section": section}).json()
    assert "errors" not in response, response
    return response["data"]["search"]


def test_new_page_types_are_searchable(client, portal):
    assert run(client, "计量授权公示")["items"][0]["title"] == "2026年法定计量检定机构计量授权公示"
    assert run(client, "短斤缺两")["total"] == 1
    # A catalogue entry's code is found although it sits in a StreamField block.
    assert run(client, "JJG 162")["items"][0]["title"] == "2026年河南省常用计量检定规程目录"


def test_section_filter_keeps_one_section(client, portal):
    everywhere = run(client, "公示")
    disclosures = run(client, "公示", section="DISCLOSURES")

    assert everywhere["total"] > disclosures["total"] > 0
    assert {item["section"] for item in disclosures["items"]} == {"DISCLOSURES"}


def test_highlighting_marks_terms_and_escapes_html(client, portal):
    section = SectionIndexPage.objects.get(slug="notices")
    section.add_child(
        instance=NoticePage(title="<script>alert(1)</script>计量通知", slug="xss", summary="计量")
    ).save_revision().publish()

    item = run(client, "计量通知")["items"][0]

    assert item["highlightedTitle"] == "&lt;script&gt;alert(1)&lt;/script&gt;<mark>计量通知</mark>"


@pytest.mark.parametrize(
    "query",
    ["法", "计" * 200, "' OR 1=1 --", "title:(a OR b)^2 AND NOT c*", "%_\\", "\"计量\"~2", "&|!():*"],
)
def test_odd_queries_return_results_without_errors(client, portal, query):
    result = run(client, query)

    assert result["errors"] == []
    assert result["total"] >= 0


def test_rare_characters_indexed_and_found(client, portal):
    section = SectionIndexPage.objects.get(slug="disclosures")
    page = section.add_child(
        instance=DisclosurePage(title="吉𠮷䶮计量器具经销部名称变更公示", slug="rare", summary="经营者：王𠮷")
    )
    page.save_revision().publish()

    one = run(client, "𠮷")
    pair = run(client, "𠮷䶮")
    detail = post(
        client, "query($id: ID!) { portalArticle(id: $id) { title summary } }", {"id": str(page.pk)}
    )

    assert one["items"][0]["title"] == "吉𠮷䶮计量器具经销部名称变更公示"
    assert "<mark>𠮷</mark>" in one["items"][0]["highlightedTitle"]
    assert pair["total"] == 1
    assert detail.json()["data"]["portalArticle"] == {
        "title": "吉𠮷䶮计量器具经销部名称变更公示",
        "summary": "经营者：王𠮷",
    }


def test_restricted_page_found_only_by_its_readers(portal):
    anonymous = service.search("监管部门内部")
    regulator = service.search("监管部门内部", reader=REGULATOR)
    enterprise = service.search(
        "监管部门内部", reader=Reader(True, "enterprise", frozenset({"410000"}))
    )

    assert anonymous.total == 0
    assert regulator.total == 1
    assert enterprise.total == 0


def test_search_api_uses_signed_in_reader(client, portal, monkeypatch):
    organisation = Organisation.objects.create(
        kind=Organisation.Kind.REGULATOR, name="郑州市市场监督管理局", division=factories.division()
    )
    user = BusinessUser.objects.create(
        username="jianguan", display_name="监管", organisation=organisation, password="!",
        must_change_password=False, password_changed_at=timezone.now(),
    )
    monkeypatch.setattr("business.accounts.middleware.sessions.session_user", lambda request: user)

    assert run(client, "监管部门内部")["total"] == 1


def test_unknown_section_rejected(db):
    with pytest.raises(service.SearchQueryError) as raised:
        service.search("计量", section="nonsense")

    assert raised.value.code == "invalid_section"


def test_elasticsearch_request_filters_readership_and_section():
    query = ParsedQuery(terms=["计量"], kind=None, limit=10, offset=0, section="notices", reader=REGULATOR)

    filters = build_search(query, "test-search").to_dict()["query"]["bool"]["filter"]

    assert {"term": {"section": "notices"}} in filters
    readership = filters[0]["bool"]["should"]
    assert {"term": {"audience": "public"}} in readership
    assert {"term": {"audience": "signed_in"}} in readership
    restricted = readership[2]["bool"]["filter"]
    assert {"term": {"audience": "restricted"}} in restricted


def test_elasticsearch_request_for_anonymous_is_public_only():
    query = ParsedQuery(terms=["计量"], kind=None, limit=10, offset=0)

    filters = build_search(query, "test-search").to_dict()["query"]["bool"]["filter"]

    assert filters[0] == {"term": {"audience": "public"}}
