"""An enterprise user reads an expiry warning, prints QR labels, and the label opens the public status."""

import datetime

import pytest
from playwright.sync_api import expect

from business.access.builtin_roles import assign_builtin_role
from business.accounts import services as accounts
from business.certificates import services as certificates
from business.expiry import services as expiry
from business.labels.models import InstrumentLabel
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

USERNAME = "liuyang"
PASSWORD = "Jinshui-Scale-2026"
INSTRUMENT_NAME = "电子计价秤"


@pytest.fixture
def enterprise_user():
    enterprise = factories.enterprise()
    user = accounts.create_business_user(
        username=USERNAME,
        display_name="刘洋",
        organisation=enterprise,
        password=PASSWORD,
        must_change_password=False,
    )
    assign_builtin_role(user, "enterprise_metrologist")
    return user


@pytest.fixture
def certificate(enterprise_user):
    instrument = factories.instrument(owner=enterprise_user.organisation, name=INSTRUMENT_NAME)
    # Verified 355 days ago with a 12-month cycle: about ten days left.
    record = factories.record(
        verified_instrument=instrument,
        verification_date=datetime.date.today() - datetime.timedelta(days=355),
    )
    issued = certificates.issue_certificate(record)
    expiry.send_expiry_warnings()
    return issued


def sign_in(page, base_url):
    page.goto(base_url + "/login?redirect=/workbench")
    page.get_by_test_id("login-username").fill(USERNAME)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(f"{base_url}/workbench")


def test_expiry_message_labels_and_public_status(page, live_server, certificate, screenshot_dir):
    sign_in(page, live_server.url)

    # The workbench home counts the warning and shows the unread bell.
    expect(page.get_by_test_id("message-bell-count")).to_contain_text("1")
    expect(page.get_by_test_id("expiry-band-15")).to_contain_text("1")
    page.screenshot(path=screenshot_dir / "workbench-expiry.png", full_page=True)

    # The message centre lists the warning; opening it marks it read.
    page.get_by_test_id("message-bell").click()
    expect(page.get_by_test_id("message-title")).to_contain_text(INSTRUMENT_NAME)
    expect(page.get_by_test_id("message-unread")).to_have_count(1)
    page.screenshot(path=screenshot_dir / "message-centre.png", full_page=True)
    page.get_by_test_id("message-mark-read").click()
    expect(page.get_by_test_id("message-unread")).to_have_count(0)

    # Label printing: all filtered instruments, large labels, as a PDF download.
    page.get_by_test_id("menu-labels").click()
    expect(page.get_by_test_id("labels-table")).to_contain_text(certificate.serial_number)
    page.get_by_test_id("labels-print-filtered").click()
    page.get_by_test_id("label-size-LARGE").click()
    page.screenshot(path=screenshot_dir / "label-print.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_test_id("label-download").click()
    download = download_info.value
    assert download.suggested_filename == "器具标签-70x50.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # The QR code's address opens the public status page, also for anonymous visitors.
    token = InstrumentLabel.objects.get(instrument=certificate.instrument).token
    anonymous = page.context.browser.new_context(locale="zh-CN")
    public_page = anonymous.new_page()
    public_page.goto(f"{live_server.url}/i/{token}")
    expect(public_page.get_by_test_id("instrument-status-name")).to_have_text(INSTRUMENT_NAME)
    expect(public_page.get_by_test_id("instrument-status-verdict")).to_contain_text("证书有效")
    expect(public_page.get_by_test_id("instrument-status-certificate")).to_contain_text(certificate.number)
    expect(public_page.get_by_test_id("instrument-status")).not_to_contain_text("张伟")
    public_page.screenshot(path=screenshot_dir / "instrument-status.png", full_page=True)
    anonymous.close()
