"""A visitor reads the portal: home blocks, division home, sections, articles and search."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.documents.models import Document

from business.accounts import services
from business.demo.generator import DemoDataGenerator
from business.organisations.models import Organisation
from cms.models import DisclosurePage, PageAttachment, SectionIndexPage

# serialized_rollback restores the root page and site that Wagtail's migrations create,
# which a transactional test would otherwise flush away.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REGULATORS_ONLY = "关于报送2026年度计量监督检查工作总结的通知（监管部门内部）"
PASSWORD = "Jianguan-Zz#2026"


@pytest.fixture
def portal(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_reference_data", verbosity=0)
    DemoDataGenerator(seed=3).create_portal_pages()
    call_command("rebuild_search_index", kind=["page"], verbosity=0)


def test_home_shows_blocks_and_division_switch(page, live_server, portal, screenshot_dir):
    page.goto(live_server.url + "/")

    expect(page.get_by_test_id("home-banner")).to_be_visible()
    expect(page.get_by_role("tab", name="公示公告")).to_be_visible()
    expect(page.get_by_test_id("topic-tile")).to_have_count(6)
    expect(page.get_by_test_id("home-links")).to_contain_text("国家市场监督管理总局")
    page.screenshot(path=screenshot_dir / "portal-home-blocks.png", full_page=True)

    page.get_by_test_id("division-switch").locator(".el-select").click()
    page.get_by_role("option", name="郑州市").click()

    expect(page).to_have_url(f"{live_server.url}/?division=410100")
    expect(page.get_by_test_id("division-note")).to_have_text("当前显示郑州市的首页")
    expect(page.get_by_test_id("topic-tile")).to_have_count(3)
    expect(page.get_by_test_id("home-banner")).to_have_count(0)


def test_topic_tile_opens_topic_page_with_external_links(page, live_server, portal):
    page.goto(live_server.url + "/")

    page.get_by_test_id("topic-tile").first.get_by_role("link").click()

    expect(page.get_by_test_id("article-title")).to_have_text("国家企业信用信息公示系统")
    link = page.get_by_test_id("article-links").get_by_role("link")
    expect(link).to_have_attribute("href", "https://www.gsxt.gov.cn/")
    expect(link).to_have_attribute("target", "_blank")


def test_disclosures_list_and_article_with_attachment(page, live_server, portal, screenshot_dir):
    disclosure = DisclosurePage.objects.order_by("-date").first()
    document = Document.objects.create(
        title="考核合格名单", file=ContentFile(b"%PDF-1.4 demo", name="list.pdf")
    )
    disclosure.attachments.add(PageAttachment(document=document, title="考核合格名单.pdf"))
    disclosure.save_revision().publish()

    page.goto(live_server.url + "/")
    page.get_by_test_id("nav-section").filter(has_text="公示公告").click()

    expect(page.get_by_test_id("section-title")).to_have_text("公示公告")
    expect(page.get_by_test_id("section-item")).to_have_count(3)
    expect(page.get_by_test_id("section-item").first).to_contain_text("公示截止")
    page.screenshot(path=screenshot_dir / "portal-disclosures.png", full_page=True)

    page.get_by_role("link", name=disclosure.title).click()
    expect(page.get_by_test_id("article-period")).to_contain_text("公示期")
    attachment = page.get_by_test_id("article-attachments").get_by_role("link")
    expect(attachment).to_have_text("考核合格名单.pdf")
    response = page.request.get(live_server.url + attachment.get_attribute("href"))
    assert response.status == 200


def test_legal_education_section(page, live_server, portal):
    page.goto(live_server.url + "/sections/legal-education")

    expect(page.get_by_test_id("section-item")).to_have_count(3)
    active = page.get_by_test_id("section-nav").get_by_role("link", name="计量普法")
    expect(active).to_have_attribute("aria-current", "page")


def test_search_highlights_and_filters_by_section(page, live_server, portal, screenshot_dir):
    page.goto(live_server.url + "/")
    # Let the home finish (it writes image renditions) before the next request: the
    # in-memory SQLite database of the test server locks a table per writer.
    expect(page.get_by_test_id("home-banner")).to_be_visible()
    page.get_by_test_id("header-search-input").fill("公示")
    page.get_by_test_id("header-search-submit").click()

    expect(page).to_have_url(f"{live_server.url}/search?q=%E5%85%AC%E7%A4%BA")
    expect(page.get_by_test_id("search-result").first.locator("mark").first).to_have_text("公示")
    page.screenshot(path=screenshot_dir / "portal-search.png", full_page=True)

    page.get_by_test_id("search-sections").get_by_text("公示公告").click()
    expect(page).to_have_url(f"{live_server.url}/search?q=%E5%85%AC%E7%A4%BA&section=DISCLOSURES")
    expect(page.get_by_test_id("search-result")).to_have_count(3)


def test_rare_characters_shown_and_found(page, live_server, portal):
    section = SectionIndexPage.objects.get(slug="disclosures")
    section.add_child(
        instance=DisclosurePage(title="王𠮷与䶮记计量器具经销部变更公示", slug="rare", summary="𠮷")
    ).save_revision().publish()

    page.goto(live_server.url + "/search?q=%F0%A0%AE%B7")

    expect(page.get_by_test_id("search-result").first).to_contain_text("王𠮷与䶮记计量器具经销部变更公示")
    page.get_by_test_id("search-result").first.get_by_role("link").click()
    expect(page.get_by_test_id("article-title")).to_have_text("王𠮷与䶮记计量器具经销部变更公示")


def test_restricted_notice_only_for_regulators(page, live_server, portal):
    page.goto(live_server.url + "/sections/notices")
    expect(page.get_by_test_id("section-item").first).to_be_visible()
    expect(page.get_by_text(REGULATORS_ONLY)).to_have_count(0)

    regulator = Organisation.objects.create(
        kind=Organisation.Kind.REGULATOR, name="郑州市市场监督管理局（测试）", division_id="410100"
    )
    services.create_business_user(
        username="jianguan_zz", display_name="李监管", organisation=regulator,
        password=PASSWORD, must_change_password=False,
    )
    page.goto(live_server.url + "/login")
    page.get_by_test_id("login-username").fill("jianguan_zz")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("header-user-name")).to_have_text("李监管")

    page.goto(live_server.url + "/sections/notices")
    item = page.get_by_test_id("section-item").filter(has_text=REGULATORS_ONLY)
    expect(item).to_contain_text("限定范围")
    item.get_by_role("link").click()
    expect(page.get_by_test_id("article-readership")).to_contain_text("监管部门")
