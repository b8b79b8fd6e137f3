"""A visitor opens the portal and checks a demo certificate."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from business.certificates.models import Certificate
from business.demo.generator import DemoDataGenerator

# serialized_rollback restores the root page and site that Wagtail's migrations create,
# which a transactional test would otherwise flush away.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo():
    call_command("load_reference_data", verbosity=0)
    return DemoDataGenerator(seed=7).run(enterprises=2, instruments=3, certificates=2)


def open_check(page, live_server, number, code):
    page.goto(f"{live_server.url}/certificate-check")
    page.get_by_test_id("check-number").fill(number)
    page.get_by_test_id("check-code").fill(code)
    page.get_by_test_id("check-submit").click()
    return page.get_by_test_id("check-result")


def test_home_page_lists_news_sections(page, live_server, demo, screenshot_dir):
    page.goto(live_server.url + "/")

    expect(page.get_by_test_id("news-tabs")).to_be_visible()
    expect(page.get_by_test_id("news-item").first).to_be_visible()
    page.get_by_role("tab", name="通知公告").click()
    expect(page.get_by_text("关于启用计量器具电子检定证书的通知")).to_be_visible()
    page.screenshot(path=screenshot_dir / "portal-home.png", full_page=True)


def test_demo_certificate_checks_as_authentic(page, live_server, demo, screenshot_dir):
    result = open_check(page, live_server, demo.sample_number, demo.sample_check_code)

    expect(result).to_have_attribute("data-status", "AUTHENTIC")
    expect(page.get_by_test_id("check-field-number")).to_have_text(demo.sample_number)
    expect(page.get_by_test_id("check-field-conclusion")).to_have_text("合格")
    page.screenshot(path=screenshot_dir / "certificate-check-authentic.png", full_page=True)


def test_changed_conclusion_checks_as_altered(page, live_server, demo):
    Certificate.objects.filter(number=demo.sample_number).update(conclusion="不合格")

    result = open_check(page, live_server, demo.sample_number, demo.sample_check_code)

    expect(result).to_have_attribute("data-status", "ALTERED")
    expect(result).to_contain_text("签发后被改动")


def test_wrong_check_code_reports_not_found(page, live_server, demo):
    wrong = "22222222" if demo.sample_check_code != "22222222" else "33333333"

    result = open_check(page, live_server, demo.sample_number, wrong)

    expect(result).to_have_attribute("data-status", "NOT_FOUND")


def test_qr_link_runs_check_from_url(page, live_server, demo):
    page.goto(
        f"{live_server.url}/certificate-check"
        f"?number={demo.sample_number}&code={demo.sample_check_code}"
    )

    expect(page.get_by_test_id("check-result")).to_have_attribute("data-status", "AUTHENTIC")
