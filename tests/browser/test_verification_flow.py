"""The whole verification chain in the browser: an enterprise files an application, the
institution confirms and receives it, three different people enter, check and approve
the record, the certificate PDF downloads and the public check calls it authentic."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from business.certificates.models import Certificate
from tests.business.verification.helpers import GOOD_DATA, build_chain

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Verify-Flow#2026"
# Milliseconds to wait for a screen after a server action: signing and PDF rendering
# take seconds when other processes share the machine's two cores.
SLOW = 20_000


@pytest.fixture
def chain():
    built = build_chain(instrument_count=1)
    for user in (built.applicant, built.clerk, built.verifier, built.checker, built.approver):
        _set_password(user)
    return built


def _set_password(user):
    from django.contrib.auth.hashers import make_password

    user.password = make_password(PASSWORD)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])


def text_input(page, test_id):
    """The native input of an Element Plus field, whether the test id sits on it or on its wrapper."""
    field = page.get_by_test_id(test_id)
    if field.evaluate("element => element.tagName") == "INPUT":
        return field
    return field.locator("input")


def sign_in(page, live_server, user):
    # Let the previous user's requests finish before their session cookie goes away.
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto(live_server.url + "/login")
    page.get_by_test_id("login-username").fill(user.username)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("header-user-name")).to_have_text(user.display_name, timeout=SLOW)
    # SQLite serialises session writes, so the next page waits until sign-in settled.
    page.wait_for_load_state("networkidle")


@pytest.fixture
def failure_screenshot(page, request, screenshot_dir):
    yield
    report = getattr(request.node, "rep_call", None)
    if report is None or report.failed:
        page.screenshot(path="/tmp/verification-flow-failure.png", full_page=True)


def test_application_to_authentic_certificate(
    page, live_server, chain, screenshot_dir, failure_screenshot
):
    today = timezone.localdate().isoformat()
    instrument = chain.instruments[0]

    # The enterprise files the application.
    sign_in(page, live_server, chain.applicant)
    page.goto(live_server.url + "/workbench/applications/new")
    page.get_by_test_id("instrument-picker").locator(".el-table__body .el-checkbox").first.click()
    page.get_by_test_id("application-institution").click()
    page.get_by_role("option", name=chain.institution.name).click()
    text_input(page, "application-date").fill(today)
    text_input(page, "application-date").press("Enter")
    page.screenshot(path=screenshot_dir / "application-new.png", full_page=True)
    page.get_by_test_id("application-submit").click()
    expect(page.get_by_test_id("application-status")).to_have_text("待机构确认", timeout=SLOW)
    number = chain.enterprise.verification_applications.get().number

    # The institution confirms the booking and receives the instrument.
    sign_in(page, live_server, chain.clerk)
    page.goto(live_server.url + "/workbench/bookings")
    page.get_by_test_id(f"booking-confirm-{number}").click()
    page.get_by_test_id("booking-save").click()
    expect(page.get_by_test_id(f"booking-confirm-{number}")).to_have_count(0, timeout=SLOW)
    page.goto(live_server.url + "/workbench/acceptance")
    page.get_by_test_id(f"acceptance-receive-{number}").click()
    page.get_by_test_id("acceptance-save").click()
    expect(page.get_by_test_id(f"acceptance-receipt-{number}")).to_be_visible(timeout=SLOW)
    with page.expect_download() as receipt:
        page.get_by_test_id(f"acceptance-receipt-{number}").click()
    assert receipt.value.suggested_filename.endswith(".pdf")
    sample_number = f"{number}-01"

    # The verifier enters the record from the template.
    sign_in(page, live_server, chain.verifier)
    page.goto(live_server.url + "/workbench/records")
    page.get_by_test_id(f"sample-enter-{sample_number}").click()
    page.get_by_test_id("record-standards").click()
    page.get_by_role("option", name=chain.standard.name, exact=False).click()
    page.keyboard.press("Escape")
    for key, value in GOOD_DATA.items():
        if key == "appearance":
            page.get_by_test_id(f"record-field-{key}").get_by_text("合格", exact=True).click()
        else:
            text_input(page, f"record-field-{key}").fill(value)
    page.screenshot(path=screenshot_dir / "record-entry.png", full_page=True)
    page.get_by_test_id("record-save").click()
    expect(page.get_by_test_id("record-status")).to_have_text("待核验", timeout=SLOW)
    record_url = page.url

    # The checker checks it.
    sign_in(page, live_server, chain.checker)
    page.goto(record_url)
    page.get_by_test_id("record-check").click()
    expect(page.get_by_test_id("record-status")).to_have_text("待批准", timeout=SLOW)

    # The approver approves it, which issues the certificate.
    sign_in(page, live_server, chain.approver)
    page.goto(record_url)
    page.get_by_test_id("record-approve").click()
    expect(page.get_by_test_id("record-status")).to_have_text("已批准", timeout=SLOW)
    certificate = Certificate.objects.get(instrument=instrument)
    expect(page.get_by_test_id("record-certificate-number")).to_have_text(
        certificate.number, timeout=SLOW
    )
    assert (certificate.verifier_name, certificate.checker_name, certificate.approver_name) == (
        "周检",
        "吴核",
        "郑批",
    )
    with page.expect_download() as download:
        page.get_by_test_id("record-certificate-pdf").click()
    pdf_path = download.value.path()
    assert open(pdf_path, "rb").read(5) == b"%PDF-"

    # The public check reports the certificate as authentic.
    page.goto(
        f"{live_server.url}/certificate-check?number={certificate.number}&code={certificate.check_code}"
    )
    expect(page.get_by_test_id("check-result")).to_have_attribute(
        "data-status", "AUTHENTIC", timeout=SLOW
    )
