"""The public GraphQL ``search`` query."""

import pytest

from tests.api.client import post

pytestmark = pytest.mark.django_db

SEARCH = """
query Search($query: String!, $kind: SearchKind, $limit: Int, $offset: Int) {
  search(query: $query, kind: $kind, limit: $limit, offset: $offset) {
    total
    totalIsCapped
    items { kind title highlightedTitle url snippet }
    errors { field message code }
  }
}
"""


def run_search(client, **variables):
    response = post(client, SEARCH, variables)
    assert response.status_code == 200
    return response.json()


def test_search_returns_highlighted_snippets(client, portal):
    body = run_search(client, query="计量器具", kind="PAGE", limit=5)

    result = body["data"]["search"]
    assert result["errors"] == []
    assert result["total"] >= 3
    assert result["totalIsCapped"] is False
    assert len(result["items"]) == min(5, result["total"])
    for item in result["items"]:
        assert item["kind"] == "PAGE"
        assert item["url"].startswith("/articles/")
        assert "<mark>计量器具</mark>" in item["snippet"] or "<mark>计量器具</mark>" in (
            item["highlightedTitle"]
        )


def test_search_without_kind_covers_all_kinds(client, portal):
    from tests import factories

    factories.institution(name="河南省计量测试科学研究院")

    result = run_search(client, query="计量测试")["data"]["search"]

    kinds = {item["kind"] for item in result["items"]}
    assert kinds == {"INSTITUTION", "PAGE"}


def test_200_character_query_searches(client, portal):
    result = run_search(client, query="计量" * 100)["data"]["search"]

    assert result["errors"] == []
    assert result["items"] == []


def test_too_long_query_returns_chinese_error(client, db):
    result = run_search(client, query="计" * 201)["data"]["search"]

    assert result["items"] == []
    assert result["total"] == 0
    assert result["errors"] == [
        {
            "field": "query",
            "message": "检索词过长：最多 200 个字符，当前 201 个，请缩短后重试。",
            "code": "too_long",
        }
    ]


def test_blank_query_returns_chinese_error(client, db):
    result = run_search(client, query="   ")["data"]["search"]

    assert result["errors"][0]["code"] == "required"
    assert result["errors"][0]["message"] == "请输入检索词。"


def test_lucene_syntax_is_harmless(client, portal):
    body = run_search(client, query="title:(a OR b)^2")

    assert "errors" not in body
    assert body["data"]["search"]["total"] == 0


def test_search_is_rate_limited(client, db, settings):
    settings.SEARCH_RATE_LIMIT = 2
    settings.SEARCH_RATE_WINDOW_SECONDS = 60

    for _ in range(2):
        assert "errors" not in run_search(client, query="计量")

    body = run_search(client, query="计量")

    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert body["errors"][0]["message"] == "查询过于频繁，请稍后再试。"
