"""A visitor asks a question, the regulator replies, the visitor looks the reply up;
a visitor fills in a survey once and is refused the second time."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from business.access.builtin_roles import assign_builtin_role
from business.accounts import services as accounts
from business.audit.services import RequestInfo
from business.core import captcha
from business.surveys import services as surveys
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CAPTCHA_ANSWER = "ACDE"
OFFICER_USERNAME = "zhaoqiang"
OFFICER_PASSWORD = "Zhengzhou#Meter77"
QUESTION_BODY = '<script>alert("x")</script> 超市的电子计价秤需要多久检定一次？'
REPLY = "用于贸易结算的电子计价秤属于强制检定计量器具，检定周期一般为 1 年。"


@pytest.fixture
def officer():
    factories.division()
    regulator = factories.regulator("郑州市市场监督管理局", "410100")
    user = accounts.create_business_user(
        username=OFFICER_USERNAME,
        display_name="赵强",
        organisation=regulator,
        password=OFFICER_PASSWORD,
        must_change_password=False,
    )
    assign_builtin_role(user, "regulator_admin")
    return user


@pytest.fixture
def known_captcha(monkeypatch):
    # The live server runs in this process, so its captchas get this answer too.
    monkeypatch.setattr(captcha, "_new_answer", lambda: CAPTCHA_ANSWER)


@pytest.fixture
def survey(officer):
    now = timezone.now()
    request_info = RequestInfo(channel="system")
    created = surveys.save_survey(
        officer,
        survey=None,
        title="计量服务满意度调查",
        description="请根据办理业务的体验作答。",
        audience="public",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        questions=[
            surveys.QuestionSpec("single", "您的身份", True, ["企业", "技术机构", "个人"]),
            surveys.QuestionSpec("rating", "总体满意度", True),
        ],
        request_info=request_info,
    )
    return surveys.set_status(created, officer, "published", request_info=request_info)


def choose_division(page):
    page.get_by_test_id("interaction-division").click()
    for name in ("河南省", "郑州市", "金水区"):
        page.locator(".el-cascader-node", has_text=name).click()


def submit_consultation(page, base_url) -> tuple[str, str]:
    page.goto(base_url + "/interaction")
    page.get_by_test_id("interaction-title").fill("电子计价秤检定周期")
    page.get_by_test_id("interaction-body").fill(QUESTION_BODY)
    choose_division(page)
    page.get_by_test_id("interaction-contact-name").fill("王小明")
    page.get_by_test_id("interaction-contact-phone").fill("13812345678")
    page.get_by_test_id("interaction-publish-consent").click()
    expect(page.get_by_test_id("captcha-image")).to_be_visible()
    page.get_by_test_id("captcha-answer").fill(CAPTCHA_ANSWER)
    page.get_by_test_id("interaction-submit").click()

    expect(page.get_by_test_id("interaction-submitted")).to_be_visible()
    number = page.get_by_test_id("submitted-number").inner_text()
    query_code = page.get_by_test_id("submitted-query-code").inner_text()
    return number, query_code


def reply_as_regulator(page, base_url, number):
    page.goto(base_url + "/login?redirect=/workbench/interaction/handle")
    page.get_by_test_id("login-username").fill(OFFICER_USERNAME)
    page.get_by_test_id("login-password").fill(OFFICER_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(f"{base_url}/workbench/interaction/handle")

    page.get_by_test_id(f"handle-open-{number}").click()
    expect(page.get_by_test_id("handle-detail-body")).to_have_text(QUESTION_BODY)
    page.get_by_test_id("handle-reply").fill(REPLY)
    page.get_by_test_id("handle-reply-submit").click()
    expect(page.get_by_test_id("handle-detail-status")).to_have_text("已答复")


def test_consultation_reply_looked_up(
    browser, page, live_server, officer, known_captcha, screenshot_dir
):
    number, query_code = submit_consultation(page, live_server.url)
    page.screenshot(path=screenshot_dir / "interaction-submitted.png", full_page=True)

    officer_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    officer_page = officer_context.new_page()
    reply_as_regulator(officer_page, live_server.url, number)
    officer_page.screenshot(path=screenshot_dir / "interaction-handle.png", full_page=True)
    officer_context.close()

    page.goto(live_server.url + "/interaction")
    page.get_by_role("tab", name="办理进度查询").click()
    page.get_by_test_id("lookup-number").fill(number)
    page.get_by_test_id("lookup-query-code").fill(query_code)
    page.get_by_test_id("lookup-submit").click()

    expect(page.get_by_test_id("lookup-status")).to_have_text("已答复")
    expect(page.get_by_test_id("lookup-reply")).to_have_text(REPLY)
    # The script in the question is shown as text and never ran.
    expect(page.get_by_test_id("lookup-body")).to_have_text(QUESTION_BODY)
    page.screenshot(path=screenshot_dir / "interaction-lookup.png", full_page=True)

    page.goto(live_server.url + "/interaction/replies")
    expect(page.get_by_test_id("published-reply")).to_have_count(1)
    expect(page.get_by_test_id("published-reply")).to_contain_text("王**")


def test_survey_filled_once(page, live_server, survey, screenshot_dir):
    page.goto(f"{live_server.url}/surveys")
    page.get_by_test_id(f"survey-open-{survey.pk}").click()

    question = page.get_by_test_id("survey-question-1")
    question.get_by_text("企业", exact=True).click()
    page.get_by_test_id("survey-question-2").locator(".el-rate__item").nth(3).click()
    page.screenshot(path=screenshot_dir / "survey-fill.png", full_page=True)
    page.get_by_test_id("survey-submit").click()
    expect(page.get_by_test_id("survey-thanks")).to_be_visible()

    # The same browser opens the survey again: the form is gone.
    page.reload()
    expect(page.get_by_test_id("survey-already-answered")).to_be_visible()
    expect(page.get_by_test_id("survey-form")).to_have_count(0)
    assert survey.responses.count() == 1
