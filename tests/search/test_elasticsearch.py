"""Elasticsearch back end: mapping and request building without a server, and an
integration run against the engine at ELASTICSEARCH_URL when it responds to a ping."""

import os

import pytest

from search.backends import backend_name
from search.backends.base import ParsedQuery
from search.backends.elasticsearch import IndexedDocument, alias_name, build_search


def parsed(*terms, kind=None, limit=10, offset=0):
    return ParsedQuery(terms=list(terms), kind=kind, limit=limit, offset=offset)


def test_mapping_uses_cjk_analyzer_with_gram_subfield():
    mapping = IndexedDocument._doc_type.mapping.to_dict()["properties"]

    assert mapping["title"]["analyzer"] == "cjk"
    assert mapping["body"]["analyzer"] == "cjk"
    assert mapping["title"]["fields"]["grams"]["analyzer"] == "cjk_grams"
    assert mapping["kind"]["type"] == "keyword"
    assert mapping["exact_key"]["type"] == "keyword"
    assert mapping["url"] == {"type": "keyword", "index": False}


def test_gram_analyzer_keeps_unigrams():
    analysis = IndexedDocument._doc_type.mapping._collect_analysis()

    assert analysis["analyzer"]["cjk_grams"]["tokenizer"] == "standard"
    bigram_filter = analysis["filter"]["cjk_unigrams_and_bigrams"]
    assert bigram_filter == {"type": "cjk_bigram", "output_unigrams": True}


def test_index_names_carry_environment_prefix(settings):
    settings.PLATFORM_ENV = "development"
    settings.SEARCH_INDEX_PREFIX = ""
    assert alias_name() == "metrology-development-search"

    settings.SEARCH_INDEX_PREFIX = "metrology-staging"
    assert alias_name() == "metrology-staging-search"


def test_query_is_multi_match_per_term_with_highlight():
    request = build_search(parsed("计量", "jjg"), "test-search").to_dict()

    text_query = request["query"]["bool"]["should"][0]["bool"]
    matches = [clause["multi_match"] for clause in text_query["must"]]
    assert [match["query"] for match in matches] == ["计量", "jjg"]
    assert all(match["operator"] == "and" for match in matches)
    assert "title^3" in matches[0]["fields"]
    assert "body.grams" in matches[0]["fields"]
    assert text_query["must_not"] == [{"term": {"kind": "certificate"}}]
    assert request["highlight"]["pre_tags"] == ["<mark>"]
    assert request["highlight"]["encoder"] == "html"
    assert request["track_total_hits"] == 1000


def test_single_term_also_matches_certificate_number():
    request = build_search(parsed("hnjy2026000001"), "test-search").to_dict()

    certificate_query = request["query"]["bool"]["should"][1]["bool"]["filter"]
    assert {"term": {"exact_key": "hnjy2026000001"}} in certificate_query


def test_kind_filter_and_paging():
    request = build_search(parsed("计量", kind="page", limit=5, offset=10), "test-search").to_dict()

    assert {"term": {"kind": "page"}} in request["query"]["bool"]["filter"]
    assert request["from"] == 10
    assert request["size"] == 5


def test_lucene_syntax_is_passed_as_text():
    request = build_search(parsed("title:(a", "or", "b)^2"), "test-search").to_dict()

    must = request["query"]["bool"]["should"][0]["bool"]["must"]
    queries = [clause["multi_match"]["query"] for clause in must]
    assert queries == ["title:(a", "or", "b)^2"]
    assert "query_string" not in str(request)


def test_punctuation_only_query_matches_nothing():
    request = build_search(parsed("%_"), "test-search").to_dict()

    should = request["query"]["bool"]["should"]
    assert len(should) == 1  # Only the exact certificate-number alternative remains.


def test_backend_chosen_from_settings(settings):
    settings.SEARCH_BACKEND = None
    settings.ELASTICSEARCH_URL = ""
    assert backend_name() == "database"

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9200"
    assert backend_name() == "elasticsearch"

    settings.SEARCH_BACKEND = "database"
    assert backend_name() == "database"


ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")


def _engine_answers() -> bool:
    if not ELASTICSEARCH_URL:
        return False
    from elasticsearch import Elasticsearch

    try:
        return Elasticsearch(ELASTICSEARCH_URL, request_timeout=3).ping()
    except Exception:
        return False


requires_engine = pytest.mark.skipif(
    not _engine_answers(),
    reason=(
        "ELASTICSEARCH_URL is not set"
        if not ELASTICSEARCH_URL
        else f"no Elasticsearch answers at ELASTICSEARCH_URL ({ELASTICSEARCH_URL})"
    ),
)


@pytest.fixture
def engine(settings, portal):
    from elasticsearch import Elasticsearch

    from search.backends.elasticsearch import ElasticsearchBackend

    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = ELASTICSEARCH_URL
    settings.SEARCH_INDEX_PREFIX = f"metrology-test-{os.getpid()}"
    settings.SEARCH_REFRESH_ON_WRITE = True
    backend = ElasticsearchBackend.from_settings()
    backend.rebuild()
    yield backend
    client = Elasticsearch(ELASTICSEARCH_URL)
    # Delete by name: Elasticsearch 8 rejects wildcard deletes by default.
    for index in client.indices.get_alias(name=backend.alias):
        client.indices.delete(index=index)


@requires_engine
def test_engine_finds_chinese_terms(engine):
    from search import service

    assert service.search("通知", kind="page", limit=50).total == 5
    assert [item.title for item in service.search("洛").items] == ["洛阳市推进医疗卫生计量器具全覆盖检定"]
    results = service.search("强制检定", limit=50)
    assert results.items[0].title == "关于开展2026年度强制检定计量器具专项监督检查的通知"
    assert service.search("title:(a OR b)^2").total == 0


@requires_engine
def test_engine_sees_publish_and_unpublish(engine, django_capture_on_commit_callbacks):
    from cms.models import NoticePage, SectionIndexPage
    from search import service

    section = SectionIndexPage.objects.get(slug="notices")
    page = section.add_child(
        instance=NoticePage(title="关于衡器专项抽查的通知", slug="scales", live=False)
    )
    # Engine updates run after the commit, which the test transaction never reaches.
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert [item.title for item in service.search("衡器专项").items] == ["关于衡器专项抽查的通知"]

    page.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert service.search("衡器专项").total == 0


@requires_engine
def test_rebuild_swaps_alias(engine):
    first = set(engine.client.indices.get_alias(name=engine.alias))

    engine.rebuild()

    second = set(engine.client.indices.get_alias(name=engine.alias))
    assert len(second) == 1
    assert first != second
    assert not engine.client.indices.exists(index=list(first))
