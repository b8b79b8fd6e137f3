"""An enterprise user files an instrument, finds it in the ledger with the query form,
and imports an Excel file whose error is reported by row and cell."""

import pytest
from playwright.sync_api import expect

from business.access.builtin_roles import assign_builtin_role
from business.accounts import services
from business.instruments.models import Instrument
from tests import factories
from tests.business.instruments.helpers import fill_template, row

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

USERNAME = "jiliangyuan"
PASSWORD = "Ledger-Pass-2026x"


@pytest.fixture
def metrologist():
    factories.catalogue_item()
    user = services.create_business_user(
        username=USERNAME,
        display_name="李娜",
        organisation=factories.enterprise(),
        password=PASSWORD,
        must_change_password=False,
    )
    assign_builtin_role(user, "enterprise_metrologist")
    return user


def sign_in(page, live_server):
    page.goto(live_server.url + "/login")
    page.get_by_test_id("login-username").fill(USERNAME)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("header-user")).to_be_visible()


def test_file_filter_and_import(page, live_server, metrologist, screenshot_dir, tmp_path):
    sign_in(page, live_server)

    # Filing (备案) of an instrument outside mandatory verification.
    page.goto(live_server.url + "/workbench/ledger/new")
    page.get_by_test_id("form-mandatory").click()
    page.get_by_test_id("form-name").fill("压力表")
    page.get_by_test_id("form-serial-number").fill("P-2026-001")
    page.get_by_test_id("form-manufacturer").fill("河南示例仪表有限公司")
    page.get_by_test_id("form-place").fill("锅炉房")
    page.screenshot(path=screenshot_dir / "ledger-file.png", full_page=True)
    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("detail-basic")).to_contain_text("P-2026-001")
    expect(page.get_by_test_id("detail-history")).to_contain_text("备案")

    # The ledger lists it; the query form narrows the list.
    page.goto(live_server.url + "/workbench/ledger")
    table = page.get_by_test_id("ledger-table")
    expect(table).to_contain_text("P-2026-001")
    page.get_by_test_id("ledger-search").fill("不存在的器具")
    page.get_by_test_id("ledger-submit").click()
    expect(table).not_to_contain_text("P-2026-001")
    page.get_by_test_id("ledger-search").fill("锅炉")
    page.get_by_test_id("ledger-submit").click()
    expect(table).to_contain_text("P-2026-001")
    page.screenshot(path=screenshot_dir / "ledger-list.png", full_page=True)

    # An import with one unknown catalogue number is rejected as a whole.
    upload = tmp_path / "台账.xlsx"
    upload.write_bytes(fill_template([row(), row(**{"出厂编号": "JS2", "强制检定目录序号": 999})]))
    page.goto(live_server.url + "/workbench/ledger/import")
    page.get_by_test_id("import-file").set_input_files(str(upload))
    expect(page.get_by_test_id("import-failed")).to_be_visible()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("强制检定目录序号")
    expect(errors).to_contain_text("没有序号 999")
    expect(errors.locator("tbody tr").first).to_contain_text("3")
    page.screenshot(path=screenshot_dir / "ledger-import-errors.png", full_page=True)
    assert Instrument.objects.count() == 1

    # The corrected file goes in, and the mandatory row is flagged for lack of a certificate.
    upload.write_bytes(fill_template([row(), row(**{"出厂编号": "JS2"})]))
    page.get_by_test_id("import-file").set_input_files(str(upload))
    expect(page.get_by_test_id("import-success")).to_contain_text("2")
    page.goto(live_server.url + "/workbench/ledger")
    expect(page.get_by_test_id("ledger-flag-JS2")).to_be_visible()
