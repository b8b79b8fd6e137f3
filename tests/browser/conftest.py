"""Browser tests: the built frontend in Debian's headless Chromium via Playwright."""

import os
import shutil

import pytest
from django.conf import settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls in
# the same thread are still synchronous, so the async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Chromium flags for a machine without a display or outbound network: background
# services would otherwise keep trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (settings.FRONTEND_DIST / "index.html").exists():
        pytest.fail("frontend/dist is missing: build the frontend first (scripts/setup).")
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            "Chromium is missing: install Debian's chromium package (scripts/setup --browser)."
        )

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot_dir():
    path = settings.BASE_DIR / "docs" / "manual" / "images"
    path.mkdir(parents=True, exist_ok=True)
    return path
