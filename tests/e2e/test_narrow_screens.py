"""On a phone (390 px) no page of the site is wider than the screen: wide tables scroll inside
their own box, and the page itself never scrolls sideways."""

import pytest
from playwright.sync_api import expect

from agreements.models import Project
from tests import builders
from tests.e2e.test_review_cycle import PASSWORD, with_password
from tests.test_site_lists import build_lists

pytestmark = pytest.mark.e2e

PAGES = [
    "/omgang/2001/",
    "/omgang/2001/lan/04/",
    "/omgang/2001/finansiering/",
    "/omgang/2001/jamforelse/",
    "/lan/04/utveckling/",
    "/projekt/",
    "/iakttagelser/",
    "/organisationer/",
]


@pytest.fixture
def data():
    build_lists()
    # Amounts as long as a county's real ones: "123 456 789 kr" does not wrap.
    project = Project.objects.get(reference_number="304-0001-01")
    builders.financing_line(project_obj=project, amount="123456789", year=2001)


def test_no_page_is_wider_than_a_phone(new_page, reviewer, data):
    with_password(reviewer)
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(reviewer.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    too_wide = {}
    for path in PAGES:
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[path] = width
    assert too_wide == {}
