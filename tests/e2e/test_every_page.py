"""Every page of the review site in a real browser, as each persona opens it, on the demo's
data: at 1440 px and at 390 px, on screen and on paper.

Per page and width: the page answers, is no wider than the screen, draws no SVG text outside
its drawing (nothing clipped) and nothing cut with "…", and axe-core (Deque's rules, through
axe-playwright-python) finds no serious or critical accessibility violation. Printed
(``emulate_media("print")``), the print stylesheet is in force: no navigation or forms, the
site's colours kept. The board's map draws the 21 counties, each a link to its page.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from agreements.models import (
    Cluster,
    County,
    FinancingSource,
    OrganisationKind,
    Partnership,
    Project,
)
from core.typography import SOFT_HYPHEN
from followup.models import Theme
from tests.e2e.conftest import log_in_to_demo

pytestmark = pytest.mark.e2e

WIDTHS = (1440, 390)
SERIOUS = ("serious", "critical")

# Which persona opens which pages (their own county's, for a coordinator).
PERSONAS = {
    "departementet": "reviewer",
    "samordnare04": "coordinator",
    "admin": "administrator",
}

CLIPPED_SVG_TEXT = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg')) {
    const box = svg.viewBox && svg.viewBox.baseVal;
    if (!box || !box.width) continue;
    for (const text of svg.querySelectorAll('text')) {
      const b = text.getBBox();
      const inside = b.x >= box.x - 1 && b.y >= box.y - 1 &&
        b.x + b.width <= box.x + box.width + 1 && b.y + b.height <= box.y + box.height + 1;
      if (!inside || text.textContent.includes('…')) out.push(text.textContent.trim());
    }
  }
  return out;
}"""

PRINTED = """() => {
  const shown = (selector) => [...document.querySelectorAll(selector)]
    .filter((el) => getComputedStyle(el).display !== 'none').length;
  const body = getComputedStyle(document.body);
  return {
    navigation: shown('.main-nav, .header-tools, .skip-link'),
    forms: shown('main form'),
    buttons: shown('main button, main .button'),
    colours: body.printColorAdjust || body.webkitPrintColorAdjust,
    fontSize: body.fontSize,
  };
}"""


def pages_for(role: str) -> list[str]:
    project = Project.objects.filter(county__code="04").order_by("pk").first()
    organisation = project.owner
    partnership = Partnership.objects.filter(county__code="04").order_by("pk").first()
    cluster = Cluster.objects.filter(county__code="04").order_by("pk").first()
    pages = [
        "/",
        "/omgang/2001/",
        "/omgang/2001/?status=returnerad&ordering=-tid",
        "/omgang/2001/lan/04/",
        "/omgang/2001/jamforelse/",
        "/omgang/2001/finansiering/",
        "/lan/04/utveckling/",
        "/projekt/",
        "/iakttagelser/",
        "/organisationer/",
        f"/projekt/{project.pk}/",
        f"/organisationer/{organisation.pk}/",
        f"/partnerskap/{partnership.pk}/",
        f"/kluster/{cluster.pk}/",
        "/konto/profil/",
    ]
    if role != "reviewer":
        pages.append("/omgang/2001/lan/04/importera/")
    if role == "reviewer":  # another county's page, with its report under review
        pages.append("/omgang/2001/lan/12/")
    return pages


def test_every_page_for_every_persona_at_both_widths_and_on_paper(new_page, demo):
    axe = Axe()
    problems: list[str] = []
    for username, role in PERSONAS.items():
        page = new_page()
        log_in_to_demo(page, username)
        for path in pages_for(role):
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                page.emulate_media(media="screen")
                response = page.goto(path)
                where = f"{username} {width}px {path}"
                if response is None or response.status != 200:
                    problems.append(f"{where}: status {response and response.status}")
                    continue
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    problems.append(f"{where}: {scroll} px wide")
                clipped = page.evaluate(CLIPPED_SVG_TEXT)
                if clipped:
                    problems.append(f"{where}: SVG text outside its drawing or cut: {clipped[:5]}")
                results = axe.run(page)
                for violation in results.response["violations"]:
                    if violation["impact"] in SERIOUS:
                        targets = [node["target"] for node in violation["nodes"][:3]]
                        problems.append(f"{where}: axe {violation['id']} on {targets}")
            page.emulate_media(media="print")
            printed = page.evaluate(PRINTED)
            if printed["navigation"] or printed["forms"] or printed["buttons"]:
                problems.append(f"{username} print {path}: still shown on paper: {printed}")
            if printed["colours"] != "exact" or printed["fontSize"] != "12.6667px":
                problems.append(f"{username} print {path}: print stylesheet not applied {printed}")
            page.emulate_media(media="screen")
    assert problems == [], "\n".join(problems)


def test_the_boards_map_links_each_of_the_21_counties_to_its_page(new_page, demo):
    page = new_page()
    log_in_to_demo(page, "departementet")
    page.goto("/omgang/2001/")
    links = page.locator("svg.county-map a.map-link")
    expect(links).to_have_count(21)
    expect(page.get_by_text("Karta: MapSVG (CC BY 4.0)")).to_be_visible()
    label = links.nth(2).get_attribute("aria-label")
    assert label.startswith("Södermanlands län: ")
    with page.expect_navigation():
        links.nth(2).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Södermanlands län")


def test_the_english_pages_name_no_reference_row_in_swedish(new_page, demo):
    """With English chosen, no cell, heading or list item of a page is a reference row's
    Swedish name (themes, counties, organisation kinds, financing sources and categories)."""
    page = new_page()
    log_in_to_demo(page, "departementet")
    page.goto("/")
    page.locator("#id_language").select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name="Byt språk").click()
    swedish = {theme.name for theme in Theme.objects.all()}
    swedish |= {county.name for county in County.objects.all()}
    swedish |= {kind.name for kind in OrganisationKind.objects.all()}
    swedish |= {source.name for source in FinancingSource.objects.all()}
    swedish |= {str(label) for _value, label in FinancingSource.Category.choices}
    swedish -= {"Gotland"}  # a place name, the same in both
    found = {}
    for path in (
        "/omgang/2001/",
        "/omgang/2001/jamforelse/",
        "/omgang/2001/lan/04/",
        "/omgang/2001/finansiering/",
        "/organisationer/",
    ):
        page.goto(path)
        cells = page.locator(
            "main th, main td, main h1, main h2, main h3, main li, main dd, main dt, main option"
        ).all_inner_texts()
        hits = {text.replace(SOFT_HYPHEN, "").strip() for text in cells} & swedish
        if hits:
            found[path] = sorted(hits)
    assert found == {}
    expect(page.locator("#id_language option[value=sv]")).to_have_text("Svenska")
    expect(page.locator("#id_language option[value=en]")).to_have_text("English")


def test_every_countys_page_prints_within_three_a4_pages(new_page, demo):
    """The county page on paper is the report's county presentation: A4, at most three pages
    for each of the demo's counties (Södermanland, the richest, included)."""
    page = new_page()
    log_in_to_demo(page, "departementet")
    page.emulate_media(media="print")
    pages = {}
    for county in County.objects.order_by("code"):
        page.goto(f"/omgang/2001/lan/{county.code}/")
        pdf = page.pdf(format="A4", print_background=True)
        pages[county.code] = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert all(n >= 1 for n in pages.values())
    assert {code: n for code, n in pages.items() if n > 3} == {}
