"""Choosing English in the browser: the language menu on every page of the site."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_visitor_switches_the_login_page_to_english_and_back(new_page):
    page = new_page()
    page.goto("/konto/logga-in/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.get_by_label("Språk").select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name="Byt språk").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()

    page.get_by_label("Language").select_option("sv")
    with page.expect_navigation():
        page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
