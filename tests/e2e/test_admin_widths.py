"""The admin, where coordinators write, on a 1 440 px screen, on the demo's data: every
registered model's list and add page, and the change page of each record with inlines, as the
administrator and as Södermanland's coordinator.

Per page: no wider than the screen, no list or inline that scrolls sideways in its own box (the
project list hid owner, status, start and amount behind one), and no relation's widget that
offers to delete the related record (a red ✖ beside a project's *Avtal* opened the
agreement's delete page).
"""

import pytest
from django.contrib import admin
from django.urls import reverse
from playwright.sync_api import expect

from agreements.models import Agreement, Cluster, FinancingLine, Project
from followup.models import CountyReport
from tests.e2e.conftest import log_in_to_demo

pytestmark = pytest.mark.e2e

WIDTH = 1440
PERSONAS = ("admin", "samordnare04")

# Boxes that scroll sideways inside the page (a <select>'s own list of options is not one).
SIDEWAYS = """() => [...document.querySelectorAll('body *')]
  .filter((el) => el.tagName !== 'SELECT')
  .filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
  .filter((el) => el.scrollWidth > el.clientWidth + 1)
  .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth}/${el.clientWidth}`)"""
RELATED_LINKS = (
    ".related-widget-wrapper-link.delete-related, .related-widget-wrapper-link.view-related"
)


@pytest.fixture
def demo_with_long_amounts(demo):
    """The demo, with a project whose amounts are as long as a county's real ones."""
    project = Project.objects.filter(county__code="04").order_by("pk").first()
    line = project.financing_lines.order_by("pk").first()
    FinancingLine.objects.filter(pk=line.pk).update(amount=123456789)


def admin_url(model, view, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def pages() -> list[str]:
    """Each registered model's list and add page; the change page of the records with inlines
    (Södermanland's, so both personas open the same)."""
    urls = []
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        urls += [admin_url(model, "changelist"), admin_url(model, "add")]
    for model in (Project, Agreement, Cluster, CountyReport):
        record = model.objects.filter(county__code="04").order_by("pk").first()
        urls.append(admin_url(model, "change", record.pk))
    return urls


def test_every_admin_list_and_form_fits_1440_px_without_delete_links(
    new_page, demo_with_long_amounts
):
    problems: list[str] = []
    opened = {username: set() for username in PERSONAS}
    for username in PERSONAS:
        page = new_page()
        page.set_viewport_size({"width": WIDTH, "height": 900})
        log_in_to_demo(page, username)
        for url in pages():
            response = page.goto(url)
            where = f"{username} {url}"
            if response.status == 403:  # not theirs to open (a coordinator; a log's add page)
                continue
            if response.status != 200:
                problems.append(f"{where}: status {response.status}")
                continue
            opened[username].add(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                problems.append(f"{where}: {width} px wide")
            sideways = page.evaluate(SIDEWAYS)
            if sideways:
                problems.append(f"{where}: scrolls sideways in {sideways}")
            links = page.locator(RELATED_LINKS).count()
            if links:
                problems.append(f"{where}: {links} links to delete or view a related record")
    assert problems == [], "\n".join(problems)
    # The coordinator's own pages were among those measured, not refused.
    for model in (Project, Agreement, Cluster, CountyReport):
        assert admin_url(model, "changelist") in opened["samordnare04"]
        assert admin_url(model, "add") in opened["samordnare04"]
    assert len(opened["admin"]) >= 2 * len(admin.site._registry) - 6


def test_the_admins_header_leads_back_to_the_site_and_shows_focus(new_page, demo_with_long_amounts):
    page = new_page()
    page.set_viewport_size({"width": WIDTH, "height": 900})
    log_in_to_demo(page, "samordnare04")
    page.goto(admin_url(Project, "changelist"))
    header = page.locator("#header")
    expect(header.get_by_role("link", name="Tillväxtavtal – uppföljning")).to_have_attribute(
        "href", "/"
    )
    expect(header.get_by_role("link", name="Till granskningssidan")).to_have_attribute("href", "/")
    # The site's blue, and a focus ring that stands out on white and on the blue (≥ 3:1).
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(11, 79, 108)"
    ring = """(el) => {
      el.focus();
      const style = getComputedStyle(el);
      return [style.outlineStyle, style.outlineWidth, style.outlineColor];
    }"""
    page.keyboard.press("Tab")  # keyboard focus: :focus-visible applies
    link_in_header = header.get_by_role("link", name="Till granskningssidan")
    assert link_in_header.evaluate(ring) == ["solid", "3px", "rgb(255, 255, 255)"]
    search = page.locator("#searchbar")
    assert search.evaluate(ring) == ["solid", "3px", "rgb(11, 79, 108)"]
