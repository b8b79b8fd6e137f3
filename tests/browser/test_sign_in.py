"""A business user signs in, changes the initial password and signs out, on a PC and a phone."""

import pytest
from playwright.sync_api import expect

from business.accounts import services
from business.accounts.models import BusinessUser
from tests import factories

# serialized_rollback restores the root page and site that Wagtail's migrations create,
# which a transactional test would otherwise flush away.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

USERNAME = "wangfang"
DISPLAY_NAME = "王芳"
ORGANISATION_NAME = "郑州市金水区示例超市有限公司"
INITIAL_PASSWORD = "Initial-Pass-2026"
NEW_PASSWORD = "Jinshui-Scale-2026"
PHONE_VIEWPORT = {"width": 375, "height": 740}


@pytest.fixture
def business_user():
    return services.create_business_user(
        username=USERNAME,
        display_name=DISPLAY_NAME,
        organisation=factories.enterprise(name=ORGANISATION_NAME),
        password=INITIAL_PASSWORD,
    )


def fill_sign_in(page, username, password):
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)


def test_first_sign_in_changes_password(page, live_server, business_user, screenshot_dir):
    page.goto(live_server.url + "/")
    page.get_by_test_id("header-login").click()
    expect(page).to_have_url(f"{live_server.url}/login")

    fill_sign_in(page, USERNAME, INITIAL_PASSWORD)
    page.screenshot(path=screenshot_dir / "sign-in.png", full_page=True)
    page.get_by_test_id("login-submit").click()

    expect(page).to_have_url(f"{live_server.url}/change-password")
    expect(page.get_by_test_id("must-change-notice")).to_contain_text("首次登录或密码重置后须修改密码")
    # Until the password is changed, other signed-in pages lead back here.
    page.goto(live_server.url + "/profile")
    expect(page).to_have_url(f"{live_server.url}/change-password")

    page.get_by_test_id("old-password").fill(INITIAL_PASSWORD)
    page.get_by_test_id("new-password").fill(NEW_PASSWORD)
    page.get_by_test_id("confirm-password").fill(NEW_PASSWORD)
    page.screenshot(path=screenshot_dir / "change-password.png", full_page=True)
    page.get_by_test_id("change-password-submit").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".change-password-success")).to_contain_text("密码已修改")
    expect(page.get_by_test_id("header-user-name")).to_have_text(DISPLAY_NAME)
    expect(page.get_by_test_id("header-user-organisation")).to_have_text(ORGANISATION_NAME)
    business_user.refresh_from_db()
    assert business_user.must_change_password is False

    page.get_by_test_id("header-logout").click()
    expect(page.get_by_test_id("header-login")).to_be_visible()
    expect(page.get_by_test_id("header-user")).to_have_count(0)

    # Sign in again with the new password on a phone-sized screen, starting from a
    # signed-in page so that sign-in returns there.
    page.set_viewport_size(PHONE_VIEWPORT)
    page.goto(live_server.url + "/profile")
    expect(page).to_have_url(f"{live_server.url}/login?redirect=/profile")
    fill_sign_in(page, USERNAME, NEW_PASSWORD)
    submit = page.get_by_test_id("login-submit")
    box = submit.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE_VIEWPORT["width"]
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE_VIEWPORT["width"], f"the sign-in page scrolls sideways: {page_width} px wide"
    submit.click()

    expect(page).to_have_url(f"{live_server.url}/profile")
    expect(page.get_by_test_id("profile-display-name")).to_have_text(DISPLAY_NAME)
    expect(page.get_by_test_id("profile-username")).to_have_text(USERNAME)
    expect(page.get_by_test_id("profile-organisation")).to_have_text(ORGANISATION_NAME)
    # The security section has loaded, so no request of the page is still running
    # when signing out ends the session.
    expect(page.get_by_test_id("totp-status")).to_have_text("未启用")
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE_VIEWPORT["width"], f"the profile page scrolls sideways: {page_width} px wide"

    page.get_by_test_id("profile-logout").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("header-login")).to_be_visible()


def test_wrong_password_shows_generic_message(page, live_server, business_user):
    page.goto(live_server.url + "/login")

    fill_sign_in(page, USERNAME, "Wrong-Pass-2026")
    page.get_by_test_id("login-submit").click()

    expect(page.get_by_test_id("login-error")).to_have_text(services.GENERIC_LOGIN_FAILURE)
    expect(page).to_have_url(f"{live_server.url}/login")
    expect(page.get_by_test_id("header-login")).to_be_visible()
    assert BusinessUser.objects.get(pk=business_user.pk).failed_login_count == 1


def test_unknown_user_shows_same_message(page, live_server, business_user):
    page.goto(live_server.url + "/login")

    fill_sign_in(page, "nobody", INITIAL_PASSWORD)
    page.get_by_test_id("login-submit").click()

    expect(page.get_by_test_id("login-error")).to_have_text(services.GENERIC_LOGIN_FAILURE)


def totp_code(secret: str, steps_ahead: int = 0) -> str:
    import time

    import pyotp

    totp = pyotp.TOTP(secret)
    return totp.at(time.time() + steps_ahead * totp.interval)


def test_enrol_totp_then_sign_in_with_it(page, live_server, screenshot_dir):
    user = services.create_business_user(
        username=USERNAME,
        display_name=DISPLAY_NAME,
        organisation=factories.enterprise(name=ORGANISATION_NAME),
        password=NEW_PASSWORD,
        must_change_password=False,
    )

    # Sign in with the password and turn TOTP on from the profile page.
    page.goto(live_server.url + "/login?redirect=/profile")
    fill_sign_in(page, USERNAME, NEW_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(f"{live_server.url}/profile")
    expect(page.get_by_test_id("totp-status")).to_have_text("未启用")
    page.get_by_test_id("totp-enable").click()
    expect(page.get_by_test_id("totp-qr")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    page.get_by_test_id("totp-code").fill(totp_code(secret))
    page.screenshot(path=screenshot_dir / "totp-enrolment.png", full_page=True)
    page.get_by_test_id("totp-confirm").click()
    expect(page.get_by_test_id("recovery-codes")).to_be_visible()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    expect(page.get_by_test_id("totp-status")).to_contain_text("已启用")
    page.get_by_test_id("recovery-saved").click()
    page.get_by_test_id("profile-logout").click()
    expect(page.get_by_test_id("header-login")).to_be_visible()

    # The password alone now leads to the second step.
    page.goto(live_server.url + "/login")
    fill_sign_in(page, USERNAME, NEW_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("second-factor-step")).to_be_visible()
    expect(page.get_by_test_id("header-login")).to_be_visible()
    # The enrolment used this time step's code, so the next step's code is sent; the
    # server accepts one step of clock drift.
    page.get_by_test_id("second-factor-code").fill(totp_code(secret, steps_ahead=1))
    page.screenshot(path=screenshot_dir / "sign-in-second-factor.png", full_page=True)
    page.get_by_test_id("second-factor-submit").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("header-user-name")).to_have_text(DISPLAY_NAME)
    user.refresh_from_db()
    assert user.totp_device.confirmed_at is not None


def test_captcha_after_failures(page, live_server, business_user, settings):
    settings.LOGIN_CAPTCHA_AFTER_FAILURES = 1
    page.goto(live_server.url + "/login")

    fill_sign_in(page, USERNAME, "Wrong-Pass-2026")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("login-error")).to_have_text(services.GENERIC_LOGIN_FAILURE)

    expect(page.get_by_test_id("captcha-image")).to_be_visible()
    first_image = page.get_by_test_id("captcha-image").get_attribute("src")
    page.get_by_test_id("captcha-refresh").click()
    expect(page.get_by_test_id("captcha-image")).not_to_have_attribute("src", first_image or "")
