"""Portal search through search.service on the configured database back end."""

import io

import pytest
from django.db import connection

from business.certificates import services as certificate_services
from cms.models import NoticePage, SectionIndexPage
from search import indexing, service
from search.models import SearchDocument
from tests import factories

pytestmark = pytest.mark.django_db


def titles(results):
    return [item.title for item in results.items]


def test_two_character_query_finds_every_notice(portal):
    results = service.search("通知", kind="page", limit=50)

    notices = set(NoticePage.objects.filter(audience="public").values_list("title", flat=True))
    assert set(titles(results)) == notices
    assert results.total == 5
    assert results.total_is_capped is False


def test_one_character_query_finds_single_article(portal):
    results = service.search("洛", kind="page", limit=50)

    assert titles(results) == ["洛阳市推进医疗卫生计量器具全覆盖检定"]


def test_one_character_query_finds_all_matches(portal):
    results = service.search("法", kind="page", limit=50)

    assert "中华人民共和国计量法" in titles(results)
    assert "计量标准考核办法" in titles(results)
    assert "郑州市开展集贸市场计量专项检查" not in titles(results)


def test_four_character_query_finds_phrase(portal):
    results = service.search("强制检定", limit=50)

    title_matches = [title for title in titles(results) if "强制检定" in title]
    assert "关于开展2026年度强制检定计量器具专项监督检查的通知" in title_matches
    assert titles(results)[: len(title_matches)] == title_matches
    assert "省计量院完成全省加油机专项检定工作" not in titles(results)


def test_title_match_ranks_before_body_match(portal):
    results = service.search("计量法", limit=50)

    top_three = set(titles(results)[:3])
    assert top_three == {
        "中华人民共和国计量法", "中华人民共和国计量法实施细则", "《计量法》中的强制检定是什么",
    }


def test_terms_separated_by_space_must_all_occur(portal):
    results = service.search("郑州 专项", limit=50)

    assert titles(results) == ["郑州市开展集贸市场计量专项检查"]


def test_substring_not_split_across_words(portal):
    # Both characters occur in many articles, but never next to each other.
    assert service.search("法通", limit=50).total == 0


def test_mixed_chinese_and_latin_query(db):
    factories.catalogue_item()  # Creates regulation JJG 539-2016 数字指示秤.

    results = service.search("JJG 539")
    assert titles(results) == ["JJG 539-2016 数字指示秤"]
    assert results.items[0].kind == "regulation"
    assert "<mark>JJG</mark> <mark>539</mark>" in results.items[0].highlighted_title

    assert titles(service.search("ｊｊｇ５３９ 数字")) == []  # No space: one term, not in the text.
    assert titles(service.search("数字指示秤")) == ["JJG 539-2016 数字指示秤"]


@pytest.mark.parametrize(
    "query",
    ["' OR 1=1 --", "%_", "%", "_", "title:(a OR b)^2", "\\", "\\\\", '"', "*", "'; DROP TABLE x; --"],
)
def test_syntax_characters_are_plain_text(portal, query):
    results = service.search(query, limit=50)

    assert results.total == 0
    assert results.items == []


def test_like_wildcards_do_not_match_everything(portal):
    # "计%" must not behave as a LIKE pattern matching every text that starts with 计.
    assert service.search("计%", limit=50).total == 0
    assert service.search("计_", limit=50).total == 0


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_empty_query_rejected(db, query):
    with pytest.raises(service.SearchQueryError) as raised:
        service.search(query)

    assert raised.value.code == "required"
    assert raised.value.message == "请输入检索词。"


def test_long_query_rejected_in_chinese(db):
    with pytest.raises(service.SearchQueryError) as raised:
        service.search("计" * 201)

    assert raised.value.code == "too_long"
    assert "最多 200 个字符" in raised.value.message
    assert "201" in raised.value.message


def test_hundred_character_query_accepted(db):
    assert service.search("计" * 100).total == 0


def test_unknown_kind_and_deep_offset_rejected(db):
    with pytest.raises(service.SearchQueryError):
        service.search("计量", kind="person")
    with pytest.raises(service.SearchQueryError):
        service.search("计量", offset=5000)


def test_limit_and_offset_page_through_results(portal):
    first = service.search("计量", limit=3)
    second = service.search("计量", limit=3, offset=3)

    assert len(first.items) == 3
    assert not set(titles(first)) & set(titles(second))
    assert first.total == second.total


def test_script_in_title_is_escaped(portal):
    section = SectionIndexPage.objects.get(slug="notices")
    page = section.add_child(
        instance=NoticePage(
            title="<script>alert(1)</script>计量通知",
            slug="script-notice",
            summary="<img src=x onerror=alert(1)>计量",
            body="<p>正文 &lt;b&gt;计量&lt;/b&gt;</p>",
            live=False,
        )
    )
    page.save_revision().publish()

    results = service.search("计量通知")

    item = results.items[0]
    assert item.title == "<script>alert(1)</script>计量通知"
    assert "<script>" not in item.highlighted_title
    assert item.highlighted_title == "&lt;script&gt;alert(1)&lt;/script&gt;<mark>计量通知</mark>"
    assert "<img" not in item.snippet
    assert "<b>" not in item.snippet
    assert "&lt;img" in item.snippet


def test_publish_adds_and_unpublish_removes_page(portal):
    section = SectionIndexPage.objects.get(slug="notices")
    page = section.add_child(
        instance=NoticePage(title="关于衡器专项抽查的通知", slug="scales", summary="抽查安排。", live=False)
    )
    assert service.search("衡器专项").total == 0

    page.save_revision().publish()
    assert titles(service.search("衡器专项")) == ["关于衡器专项抽查的通知"]

    page.refresh_from_db()
    page.unpublish()
    assert service.search("衡器专项").total == 0
    assert not SearchDocument.objects.filter(kind="page", object_id=str(page.pk)).exists()


def test_draft_revision_not_searchable_until_published(portal):
    page = NoticePage.objects.get(slug="notices-1")
    page.title = "修改后的草稿标题衡器"
    page.save_revision()

    assert service.search("草稿标题").total == 0


def test_deleted_page_leaves_index(portal):
    page = NoticePage.objects.get(slug="notices-1")
    title = page.title

    page.delete()

    assert title not in titles(service.search("通知", limit=50))


def test_unpublished_pages_are_not_rebuilt(portal):
    from django.core.management import call_command

    page = NoticePage.objects.get(slug="notices-1")
    page.unpublish()
    call_command("rebuild_search_index", stdout=io.StringIO())

    assert page.title not in titles(service.search("通知", limit=50))


def test_institution_indexed_on_save_and_removed_when_inactive(db):
    institution = factories.institution(name="河南省示例计量检定所")

    assert titles(service.search("示例计量", kind="institution")) == ["河南省示例计量检定所"]

    institution.is_active = False
    institution.save()
    assert service.search("示例计量", kind="institution").total == 0


def test_enterprise_never_indexed(db):
    factories.enterprise(name="郑州示例超市有限公司")

    assert service.search("示例超市").total == 0


def test_certificate_found_by_number_without_personal_names(db):
    certificate = certificate_services.issue_certificate(factories.record())
    # issue_certificates writes with bulk_create, which sends no post_save.
    indexing.update_object(certificate)

    results = service.search(certificate.number)

    assert len(results.items) == 1
    item = results.items[0]
    assert item.kind == "certificate"
    assert item.title == certificate.number
    assert certificate.instrument_name in item.snippet
    assert certificate.institution_name in item.snippet
    for name in ("张伟", "王芳", "李娜", certificate.client_name):
        assert name not in item.snippet
        assert name not in item.title
    row = SearchDocument.objects.get(kind="certificate")
    for name in ("张伟", "王芳", "李娜", certificate.client_name):
        assert name not in row.body
        assert name not in row.search_text


def test_certificate_not_found_by_partial_number_or_name(db):
    certificate = certificate_services.issue_certificate(factories.record())
    indexing.update_object(certificate)

    assert service.search(certificate.number[:-2], kind="certificate").total == 0
    assert service.search("张伟").total == 0
    assert service.search(certificate.instrument_name, kind="certificate").total == 0


def test_voided_certificate_shows_status(db):
    certificate = certificate_services.issue_certificate(factories.record())
    certificate_services.void_certificate(certificate, "录入错误")

    results = service.search(certificate.number.lower())

    assert "已作废" in results.items[0].snippet


def test_total_is_capped(db, monkeypatch):
    from search.backends import base, database

    monkeypatch.setattr(database, "TOTAL_CAP", 3)
    for number in range(5):
        factories.institution(name=f"示例计量所{number}", prefix=f"SL{number}")

    results = service.search("示例计量所")

    assert results.total == 3
    assert results.total_is_capped is True
    assert base.TOTAL_CAP == 1000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="tsvector path needs PostgreSQL")
def test_postgres_rows_carry_gram_vector(portal):
    row = SearchDocument.objects.filter(kind="page").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::tsquery @@ search_vector FROM platform_search_searchdocument WHERE id = %s",
            ["'通' & '知'", row.pk],
        )
        assert cursor.fetchone() is not None
        cursor.execute(
            "SELECT count(*) FROM platform_search_searchdocument WHERE search_vector @@ %s::tsquery",
            ["'通知'"],
        )
        # Every notice, including the one for regulators only: readership is a query filter.
        assert cursor.fetchone()[0] == NoticePage.objects.count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN index exists on PostgreSQL only")
def test_postgres_gin_index_exists_and_is_used(portal):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'platform_search_searchdocument'"
        )
        definitions = [row[0] for row in cursor.fetchall()]
        assert any("USING gin (search_vector)" in definition for definition in definitions)

        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM platform_search_searchdocument WHERE search_vector @@ %s::tsquery",
            ["'通知'"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "search_vector_gin" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="tsvector path needs PostgreSQL")
def test_postgres_search_filters_with_gram_index(portal):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        results = service.search("通知", limit=50)

    assert results.total == 5
    search_sql = [q["sql"] for q in queries if "platform_search_searchdocument" in q["sql"]]
    text_sql = [sql for sql in search_sql if "LIKE" in sql]
    assert text_sql
    # A narrow query never needs the newest-matches window, so every text query uses the index.
    assert all("@@" in sql for sql in text_sql)
    assert any("ts_rank" in sql for sql in search_sql)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="rank window exists on PostgreSQL only")
def test_postgres_broad_query_ranked_within_newest_window(portal, monkeypatch):
    from search.backends.database import PostgresBackend

    monkeypatch.setattr(PostgresBackend, "RANK_WINDOW", 3)

    results = service.search("计", kind="page", limit=2)

    assert results.total > 3
    assert len(results.items) == 2
    assert all("计" in item.title or "计" in item.snippet for item in results.items)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="gram statistics exist on PostgreSQL only")
def test_postgres_broad_query_walks_newest_rows(portal, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    from search import text
    from search.backends.database import PostgresBackend

    # As if ANALYZE had found 计 in every document.
    monkeypatch.setattr(PostgresBackend, "gram_frequencies", classmethod(lambda cls: {"计": 1.0}))
    monkeypatch.setattr(PostgresBackend, "RANK_WINDOW", 1)

    with CaptureQueriesContext(connection) as queries:
        results = service.search("计", kind="page", limit=1)

    assert results.total_is_capped is True
    assert "计" in text.normalise(results.items[0].title + results.items[0].snippet)
    walk = [q["sql"] for q in queries if "AS recent" in q["sql"]]
    assert walk and "@@" not in walk[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="gram statistics exist on PostgreSQL only")
def test_postgres_broad_guess_falls_back_to_index(portal, monkeypatch):
    from search.backends.database import PostgresBackend

    monkeypatch.setattr(PostgresBackend, "gram_frequencies", classmethod(lambda cls: {"通知": 1.0}))

    results = service.search("通知", limit=50)

    assert results.total == 5
    assert results.total_is_capped is False
