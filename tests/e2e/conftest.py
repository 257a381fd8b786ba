"""A real browser for the end-to-end tests: Debian's chromium, headless, driven by Playwright.

Playwright's own browser downloads are never used; the tests start /usr/bin/chromium (install it
with `apt-get install chromium`; `.ci/run` does). A missing browser fails the tests: a browser
test that silently skips would hide that the cycle was never checked.
"""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


def chromium_path() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    pytest.fail(
        f"The browser tests need Debian's chromium at {CHROMIUM}, which is missing "
        f"(found on PATH: {shutil.which('chromium') or 'nothing'}). "
        "Install it with `apt-get install chromium` and run the tests again.",
        pytrace=False,
    )


@pytest.fixture
def browser(live_server, monkeypatch):
    """A fresh headless chromium per test, stopped before the database is flushed.

    Playwright's sync API runs an event loop in this thread, so Django would refuse the test's own
    ORM calls as made "from an async context"; they are plain synchronous calls, hence the flag
    (set for this test only).
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """A page in its own browser context (own cookies): one per person in the test."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


# The demo's data, for tests that open every page as its people would (bin/demo's users).
DEMO_PASSWORD = "e2e-demo-lösenord-2001"


@pytest.fixture
def demo(transactional_db):
    """The deterministic demo data (seed_demo), every demo user with ``DEMO_PASSWORD``."""
    call_command("seed_demo", "--password", DEMO_PASSWORD, verbosity=0)


def log_in_to_demo(page: Page, username: str) -> None:
    """Log in on the login page as a demo user; wait until logged in."""
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
