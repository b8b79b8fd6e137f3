"""Readership (发放查阅范围) enforced on every GraphQL path, the document view and search."""

import io

import pytest
from django.core.files.base import ContentFile
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents.models import Document
from wagtail.models import Page, PageViewRestriction

from cms import readership
from cms.models import DisclosurePage, NoticePage, PageAttachment, WorkUpdatePage
from cms.readership import Audience, Reader
from tests.api.client import post

pytestmark = pytest.mark.django_db

REGULATORS_ONLY = "关于报送2026年度计量监督检查工作总结的通知（监管部门内部）"
SIGNED_IN_ONLY = "平台用户培训安排（登录用户可见）"

# Every generic grapple path that can hand out a page, plus our own fields.
GENERIC_PATHS = """
query Paths($id: ID!, $slug: String!, $parent: ID!) {
  byId: page(id: $id) { id title }
  bySlug: page(slug: $slug) { id title }
  all: pages(limit: 100) { id title }
  children: pages(parent: $parent, limit: 100) { id title }
  searched: pages(searchQuery: "监管部门内部", limit: 100) { id title }
  section: page(id: $parent) { children { id title } descendants { id title } }
  sites { pages(limit: 100) { id title } }
  articles(section: NOTICES, limit: 50) { id title }
  articleList(section: NOTICES, page: 1, pageSize: 50) { totalCount items { id title } }
  portalArticle(id: $id) { id title }
  search(query: "监管部门内部") { total items { title } }
}
"""


def regulators_notice():
    return NoticePage.objects.get(title=REGULATORS_ONLY)


def titles_in(data) -> set[str]:
    """Collect every title anywhere in a response."""
    found = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "title" and isinstance(value, str):
                found.add(value)
            else:
                found |= titles_in(value)
    elif isinstance(data, list):
        for value in data:
            found |= titles_in(value)
    return found


def run_paths(client, page):
    variables = {"id": str(page.pk), "slug": page.slug, "parent": str(page.get_parent().pk)}
    response = post(client, GENERIC_PATHS, variables).json()
    assert "errors" not in response, response
    return response["data"]


def reindex():
    from django.core.management import call_command

    call_command("rebuild_search_index", kind=["page"], stdout=io.StringIO())


def test_anonymous_never_gets_restricted_page(client, portal):
    reindex()

    data = run_paths(client, regulators_notice())

    assert REGULATORS_ONLY not in titles_in(data)
    assert data["byId"] is None
    assert data["bySlug"] is None
    assert data["portalArticle"] is None
    assert data["search"]["total"] == 0


def test_wrong_kind_never_gets_restricted_page(client, portal, sign_in):
    reindex()
    sign_in("enterprise")

    data = run_paths(client, regulators_notice())

    assert REGULATORS_ONLY not in titles_in(data)


def test_regulator_gets_restricted_page_everywhere(client, portal, sign_in):
    reindex()
    sign_in("regulator")

    data = run_paths(client, regulators_notice())

    assert data["byId"]["title"] == REGULATORS_ONLY
    assert data["portalArticle"]["title"] == REGULATORS_ONLY
    assert REGULATORS_ONLY in {item["title"] for item in data["articles"]}
    assert REGULATORS_ONLY in {item["title"] for item in data["articleList"]["items"]}
    assert data["search"]["items"][0]["title"] == REGULATORS_ONLY


def test_signed_in_page_needs_any_business_user(client, portal, sign_in):
    page = WorkUpdatePage.objects.get(title=SIGNED_IN_ONLY)
    query = "query($id: ID!) { portalArticle(id: $id) { title readership } }"

    anonymous = post(client, query, {"id": str(page.pk)}).json()["data"]["portalArticle"]
    sign_in("enterprise")
    signed_in = post(client, query, {"id": str(page.pk)}).json()["data"]["portalArticle"]

    assert anonymous is None
    assert signed_in == {"title": SIGNED_IN_ONLY, "readership": "登录用户"}


def _restrict_to_luoyang(page):
    page.audience = Audience.RESTRICTED
    page.audience_kinds = ""
    page.audience_divisions = ",410300,"
    page.save_revision().publish()


@pytest.mark.parametrize(
    ("division_code", "allowed"),
    [("410305", True), ("410300", True), ("410105", False)],
)
def test_division_readership_includes_divisions_below(client, portal, sign_in, division_code, allowed):
    from tests import factories

    factories.division("410305", "涧西区")
    page = NoticePage.objects.filter(audience=Audience.PUBLIC).first()
    _restrict_to_luoyang(page)
    sign_in("enterprise", division_code, "某区")

    result = post(client, "query($id: ID!) { page(id: $id) { title } }", {"id": str(page.pk)})

    assert (result.json()["data"]["page"] is not None) is allowed


def test_unpublished_page_never_returned(client, portal):
    page = NoticePage.objects.filter(audience=Audience.PUBLIC).first()
    reindex()
    page.unpublish()

    data = run_paths(client, page)

    assert page.title not in titles_in(data)
    search = post(client, "query($q: String!) { search(query: $q) { total } }", {"q": page.title})
    assert search.json()["data"]["search"]["total"] == 0


def test_draft_changes_stay_private(client, portal):
    page = NoticePage.objects.filter(audience=Audience.PUBLIC).first()
    page.title = "草稿标题不得外泄"
    page.save_revision()

    data = run_paths(client, NoticePage.objects.get(pk=page.pk))

    assert "草稿标题不得外泄" not in titles_in(data)


def test_preview_token_returns_nothing(client, portal):
    page = NoticePage.objects.filter(audience=Audience.PUBLIC).first()
    page.unpublish()

    response = post(
        client, "query($token: String!) { page(token: $token) { title } }",
        {"token": f"id={page.pk};page_type=cms.noticepage:forged"},
    ).json()

    assert response["data"]["page"] is None


def test_parent_of_live_page_under_draft_section_is_hidden(client, portal):
    page = NoticePage.objects.filter(audience=Audience.PUBLIC).first()
    section = page.get_parent()
    Page.objects.filter(pk=section.pk).update(live=False)

    response = post(client, "query($id: ID!) { page(id: $id) { parent { title } } }", {"id": str(page.pk)})

    assert response.json()["data"]["page"]["parent"] is None


def test_redirect_to_restricted_page_hides_page(client, portal):
    Redirect.objects.create(old_path="/old-notice", redirect_page=regulators_notice())

    response = post(client, "{ redirects { oldPath page { title } } }").json()

    assert response["data"]["redirects"][0]["page"] is None


def test_wagtail_view_restriction_hides_page_from_everyone(client, portal, sign_in):
    page = NoticePage.objects.filter(audience=Audience.PUBLIC).first()
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    sign_in("regulator")

    response = post(client, "query($id: ID!) { portalArticle(id: $id) { title } }", {"id": str(page.pk)})

    assert response.json()["data"]["portalArticle"] is None


def _attach(page, name="检查方案.pdf"):
    document = Document.objects.create(title=name, file=ContentFile(b"%PDF-1.4 demo", name=name))
    page.attachments.add(PageAttachment(document=document, title=name))
    page.save_revision().publish()
    return document


def test_attachment_of_restricted_page_not_served_to_anonymous(client, portal):
    document = _attach(regulators_notice())

    listed = post(client, "{ documents { title } }").json()["data"]["documents"]
    single = post(client, "query($id: ID) { document(id: $id) { title } }", {"id": str(document.pk)})
    served = client.get(document.url)

    assert listed == []
    assert single.json()["data"]["document"] is None
    assert served.status_code == 404


def test_attachment_of_restricted_page_served_to_reader(client, portal, sign_in):
    document = _attach(regulators_notice())
    sign_in("regulator")

    article = post(
        client,
        "query($id: ID!) { portalArticle(id: $id) { attachments { title url fileExtension } } }",
        {"id": str(regulators_notice().pk)},
    ).json()["data"]["portalArticle"]
    served = client.get(document.url)

    assert article["attachments"] == [{"title": "检查方案.pdf", "url": document.url, "fileExtension": "pdf"}]
    assert served.status_code == 200


def test_attachment_of_public_page_is_public(client, portal):
    page = DisclosurePage.objects.first()
    document = _attach(page, "公示名单.pdf")

    served = client.get(document.url)

    assert served.status_code == 200


def test_unattached_document_not_served(client, db):
    document = Document.objects.create(title="草稿附件", file=ContentFile(b"x", name="draft.pdf"))

    assert client.get(document.url).status_code == 404


def test_readership_change_follows_publish_in_search(client, portal):
    page = NoticePage.objects.filter(audience=Audience.PUBLIC).first()
    reindex()
    query = "query($q: String!) { search(query: $q) { total } }"

    page.audience = Audience.SIGNED_IN
    page.save_revision()  # A draft change alone changes nothing.
    before_publish = post(client, query, {"q": page.title}).json()["data"]["search"]["total"]
    page.save_revision().publish()
    after_publish = post(client, query, {"q": page.title}).json()["data"]["search"]["total"]

    assert before_publish == 1
    assert after_publish == 0


def test_deleted_page_leaves_search(client, portal):
    page = NoticePage.objects.filter(audience=Audience.PUBLIC).first()
    reindex()
    title = page.title

    page.delete()

    assert post(client, "query($q: String!) { search(query: $q) { total } }", {"q": title}).json()[
        "data"
    ]["search"]["total"] == 0


def test_restricted_page_without_kind_or_division_rejected_by_form(portal):
    from cms.models import ReadershipPageForm

    page = regulators_notice()
    form_class = NoticePage.get_edit_handler().get_form_class()
    assert issubclass(form_class, ReadershipPageForm)
    form = form_class(
        data={"title": page.title, "slug": page.slug, "date": "2026-11-29", "audience": "restricted",
              "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
              "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000"},
        instance=page,
        parent_page=page.get_parent(),
        for_user=None,
    )

    assert not form.is_valid()
    assert "请至少勾选一种单位类型" in form.errors["audience"][0]


@pytest.mark.parametrize(
    ("audience", "kinds", "divisions", "reader", "allowed"),
    [
        ("public", "", "", readership.ANONYMOUS, True),
        ("signed_in", "", "", readership.ANONYMOUS, False),
        ("restricted", ",regulator,", "", Reader(True, "regulator", frozenset({"410000"})), True),
        ("restricted", ",regulator,", "", Reader(True, "enterprise", frozenset({"410000"})), False),
        ("restricted", "", ",410100,", Reader(True, "enterprise", frozenset({"410105", "410100"})), True),
        ("restricted", "", ",410100,", Reader(True, "enterprise", frozenset({"410305", "410300"})), False),
        ("unknown", "", "", Reader(True, "regulator", frozenset()), False),
    ],
)
def test_allows_rule(audience, kinds, divisions, reader, allowed):
    assert readership.allows(audience, kinds, divisions, reader) is allowed
