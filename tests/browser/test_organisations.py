"""Registration → review by the regulator → first sign-in with the forced password change,
and the regulator's organisation screen."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from business.access.builtin_roles import assign_builtin_role
from business.accounts import services
from business.organisations.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REVIEWER = "zz_reviewer"
REVIEWER_PASSWORD = "Zhengzhou#Meter77"
APPLICANT = "glasses_shop"
APPLICANT_PASSWORD = "Jinshui-Scale-2026"
NEW_PASSWORD = "Glasses-Shop-2027"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def reviewer():
    county = factories.division()
    regulator = Organisation.objects.create(
        kind=Organisation.Kind.REGULATOR, name="郑州市市场监督管理局", division=county.parent
    )
    user = services.create_business_user(
        username=REVIEWER,
        display_name="李审核",
        organisation=regulator,
        password=REVIEWER_PASSWORD,
        must_change_password=False,
    )
    assign_builtin_role(user, "regulator_admin")
    return user


def licence_file(tmp_path):
    path = tmp_path / "licence.png"
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def sign_in(page, base_url, username, password):
    page.goto(base_url + "/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()


def test_registration_review_and_first_sign_in(
    browser, live_server, reviewer, tmp_path, screenshot_dir
):
    base = live_server.url
    credit_code = factories._credit_code("410105")

    # The enterprise registers.
    applicant = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = applicant.new_page()
    page.goto(base + "/register")
    page.get_by_test_id("register-submit").click()
    expect(page.get_by_text("请填写企业名称")).to_be_visible()

    page.get_by_test_id("register-enterprise-name").fill("郑州市金水区示例眼镜有限公司")
    page.get_by_test_id("register-credit-code").fill(credit_code)
    page.locator(".register .el-cascader").click()
    page.locator(".el-cascader-node", has_text="河南省").click()
    page.locator(".el-cascader-node", has_text="郑州市").click()
    page.locator(".el-cascader-node", has_text="金水区").click()
    page.get_by_test_id("register-address").fill("郑州市金水区花园路 88 号")
    page.get_by_test_id("register-contact-name").fill("王敏")
    page.get_by_test_id("register-contact-phone").fill("13812345678")
    page.get_by_test_id("register-username").fill(APPLICANT)
    page.get_by_test_id("register-password").fill(APPLICANT_PASSWORD)
    page.get_by_test_id("register-confirm-password").fill(APPLICANT_PASSWORD)
    page.get_by_test_id("register-licence").set_input_files(licence_file(tmp_path))
    page.screenshot(path=screenshot_dir / "register.png", full_page=True)
    page.get_by_test_id("register-submit").click()
    expect(page.get_by_test_id("register-submitted")).to_contain_text("注册申请已提交")
    applicant.close()

    # The regulator reviews it and approves.
    office = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = office.new_page()
    sign_in(page, base, REVIEWER, REVIEWER_PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/login$"))
    page.goto(base + "/workbench/registrations")
    page.get_by_test_id(f"registration-open-{credit_code}").click()
    page.get_by_test_id("registration-show-licence").click()
    expect(page.get_by_test_id("registration-licence-image")).to_be_visible()
    page.screenshot(path=screenshot_dir / "registration-review.png", full_page=True)
    page.get_by_test_id("registration-approve").click()
    page.locator(".el-message-box__btns .el-button--primary").click()
    outcome = page.get_by_test_id("registration-outcome")
    expect(outcome).to_contain_text("一次性初始密码")
    initial_password = re.search(r"初始密码：(\S+?)。", outcome.inner_text()).group(1)
    expect(page.get_by_test_id("registration-status")).to_have_text("已通过")
    office.close()

    # The enterprise signs in for the first time and must change the password.
    first = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = first.new_page()
    sign_in(page, base, APPLICANT, initial_password)
    expect(page).to_have_url(f"{base}/change-password")
    page.get_by_test_id("old-password").fill(initial_password)
    page.get_by_test_id("new-password").fill(NEW_PASSWORD)
    page.get_by_test_id("confirm-password").fill(NEW_PASSWORD)
    page.get_by_test_id("change-password-submit").click()
    expect(page).to_have_url(f"{base}/")
    first.close()


def test_regulator_disables_enterprise(page, live_server, reviewer, screenshot_dir):
    shop = factories.enterprise("郑州市金水区示例超市有限公司")

    sign_in(page, live_server.url, REVIEWER, REVIEWER_PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/login$"))
    page.goto(live_server.url + "/workbench/organisations")
    table = page.get_by_test_id("organisation-table")
    expect(table).to_contain_text(shop.name)
    expect(page.get_by_test_id("organisation-tree")).to_contain_text("郑州市")
    page.screenshot(path=screenshot_dir / "organisations.png", full_page=True)

    page.get_by_test_id(f"organisation-toggle-{shop.pk}").click()
    page.locator(".el-message-box__btns .el-button--primary").click()
    expect(table.locator("tr", has_text=shop.name)).to_contain_text("停用")
    # Reading the row again from the server shows the change was stored. The test
    # does not query the database itself: SQLite's shared in-memory database is
    # locked while the live server thread writes.
    page.reload()
    expect(
        page.get_by_test_id("organisation-table").locator("tr", has_text=shop.name)
    ).to_contain_text("停用")
