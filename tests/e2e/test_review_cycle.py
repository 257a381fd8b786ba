"""The review cycle in a real browser, as the two people do it.

The coordinator of Södermanland logs in, edits an observation (in the admin, where reports are
written) and submits the report (on the site's county page); the ministry's reviewer comments
on two observations and returns it with a comment (confirmed on a page of its own); the
coordinator reads the comments beside their observations, fixes one observation and marks its
comment handled, answers the other, and submits again; the reviewer sees what changed and the
answers, approves and downloads the county workbook, which opens. Every step waits for the page
it leads to; nothing sleeps.
"""

import re

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from followup.models import ReportStatus, Theme
from tests import builders

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-lösenord-2001"
RETURN_COMMENT = "Beskriv klusterarbetet i Eskilstuna närmare."
FIRST_TEXT = "Länet har börjat kartlägga klustren."
FIXED_TEXT = "Klusterarbetet i Eskilstuna leds av kommunen tillsammans med högskolan."
COMMENT_FIX = "Vem leder klusterarbetet?"
COMMENT_ASK = "Finns det siffror för 2001?"
REPLY = "Siffrorna kommer i nästa års rapport."


@pytest.fixture
def report():
    report = builders.county_report(round_obj=builders.follow_up_round(), county_code="04")
    for theme in Theme.objects.all():
        builders.observation(report=report, theme=theme)
    return report


def with_password(user):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def log_in(page: Page, username: str, *, lands_on: str = "/") -> None:
    """Log in through the login page, which leads to the start page: the user's to-do list."""
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(re.compile(re.escape(lands_on) + "$"))
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Att göra")


def submit_form(page: Page, button) -> None:
    """Click a button that posts a form and wait for the page the server answers with."""
    with page.expect_navigation():
        button.click()


def expect_message(page: Page, text: str) -> None:
    expect(page.locator(".messagelist, .messages").get_by_text(text)).to_be_visible()


def edit_observation(page: Page, county_url: str, observation_pk: int, text: str) -> None:
    """From the county page to the report's admin page; rewrite one observation there and save."""
    page.goto(county_url)
    with page.expect_navigation():
        page.get_by_role("link", name="Skriv eller ändra iakttagelser och sammanfattning").click()
    id_input = page.locator(f'input[name^="observations-"][name$="-id"][value="{observation_pk}"]')
    prefix = id_input.get_attribute("name").removesuffix("-id")
    page.locator(f'textarea[name="{prefix}-text"]').fill(text)
    page.locator(f'select[name="{prefix}-assessment"]').select_option("3")
    submit_form(page, page.locator('input[name="_continue"]'))
    expect(page.locator(".errornote")).to_have_count(0)
    expect(page.locator(f'textarea[name="{prefix}-text"]')).to_have_value(text)


def test_coordinator_and_reviewer_take_a_report_through_review(
    new_page, report, coordinator_04, reviewer, tmp_path
):
    with_password(coordinator_04)
    with_password(reviewer)
    observation, other = report.observations.order_by("theme__sort_order", "pk")[:2]
    county_url = reverse("site:county", kwargs={"year": 2001, "code": "04"})
    history = "section[aria-labelledby=historik]"

    coordinator = new_page()
    log_in(coordinator, "samordnare04")
    edit_observation(coordinator, county_url, observation.pk, FIRST_TEXT)
    coordinator.goto(county_url)
    submit_form(coordinator, coordinator.get_by_role("button", name="Skicka in rapporten"))
    expect_message(coordinator, "Rapporten har skickats in till departementet.")

    ministry = new_page()
    log_in(ministry, "departementet")
    ministry.goto(county_url)
    # the county's page, with the report as submitted (a page of its own says what went wrong)
    expect(ministry.locator("h1")).to_contain_text("Södermanlands län")
    expect(ministry.locator(".status-inskickad").first).to_be_visible()
    # comments on two observations, each beside its observation, sent with the return
    for target, text in ((observation, COMMENT_FIX), (other, COMMENT_ASK)):
        article = ministry.locator(f"#iakttagelse-{target.pk}")
        expect(article).to_be_visible()
        article.get_by_label("Kommentera iakttagelsen").fill(text)
        submit_form(ministry, article.get_by_role("button", name="Spara kommentaren"))
        expect_message(ministry, "Kommentaren är sparad. Länet får den när du har beslutat.")
    ministry.get_by_label("Kommentar till länet").fill(RETURN_COMMENT)
    submit_form(ministry, ministry.get_by_role("button", name="Returnera till länet"))
    # the decision is confirmed on a page that names the county and the round
    expect(ministry.get_by_role("heading", level=1)).to_have_text(
        "Returnera rapporten från Södermanlands län för uppföljningen 2001?"
    )
    expect(ministry.locator("blockquote")).to_have_text(RETURN_COMMENT)
    submit_form(
        ministry,
        ministry.get_by_role("button", name="Ja, returnera rapporten till Södermanlands län"),
    )
    expect_message(ministry, "Rapporten har returnerats till länet.")

    coordinator.goto(county_url)
    expect(coordinator.get_by_role("note")).to_contain_text(RETURN_COMMENT)
    expect(coordinator.locator(history)).to_contain_text(RETURN_COMMENT)
    # the comments beside their observations: one is fixed, the other answered
    expect(coordinator.locator(f"#iakttagelse-{observation.pk} .comment")).to_contain_text(
        COMMENT_FIX
    )
    asked = coordinator.locator(f"#iakttagelse-{other.pk} .comment")
    expect(asked).to_contain_text(COMMENT_ASK)
    asked.get_by_label("Ditt svar till departementet").fill(REPLY)
    submit_form(coordinator, asked.get_by_role("button", name="Spara svaret"))
    expect_message(coordinator, "Ditt svar är sparat.")
    fixed = coordinator.locator(f"#iakttagelse-{observation.pk} .comment")
    fixed.get_by_label("Åtgärdad").check()
    submit_form(coordinator, fixed.get_by_role("button", name="Spara svaret"))
    expect(coordinator.locator(f"#iakttagelse-{observation.pk} .comment")).to_contain_text(
        "Markerad som åtgärdad"
    )
    edit_observation(coordinator, county_url, observation.pk, FIXED_TEXT)
    coordinator.goto(county_url)
    submit_form(coordinator, coordinator.get_by_role("button", name="Skicka in rapporten"))
    expect_message(coordinator, "Rapporten har skickats in till departementet.")

    ministry.goto(county_url)
    # what changed since the return is marked, word by word; the return comment stays on top
    expect(ministry.get_by_role("note").first).to_contain_text(RETURN_COMMENT)
    expect(ministry.locator(f"#iakttagelse-{observation.pk} .comment")).to_contain_text("Åtgärdad")
    expect(ministry.locator(f"#iakttagelse-{other.pk} .comment")).to_contain_text(REPLY)
    changed = ministry.locator("article.observation", has_text="ändrad sedan returen")
    expect(changed).to_have_count(1)
    expect(changed.locator("ins", has_text="Eskilstuna")).to_be_visible()
    expect(changed.locator("del", has_text="kartlägga")).to_be_visible()
    submit_form(ministry, ministry.get_by_role("button", name="Godkänn rapporten"))
    submit_form(
        ministry,
        ministry.get_by_role("button", name="Ja, godkänn rapporten från Södermanlands län"),
    )
    expect_message(ministry, "Rapporten är godkänd och därmed låst.")
    expect(ministry.get_by_text(FIXED_TEXT)).to_be_visible()  # approved: read as it stands
    with ministry.expect_download() as download_info:
        ministry.get_by_role("link", name="Ladda ned länets sammanställning (Excel)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames[0] == "Sammanställning"
    observations_text = [
        cell for row in workbook["Iakttagelser"].iter_rows(values_only=True) for cell in row
    ]
    assert FIXED_TEXT in observations_text
    workbook.close()

    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert list(report.events.order_by("at", "pk").values_list("action", "actor__username")) == [
        ("skicka-in", "samordnare04"),
        ("returnera", "departementet"),
        ("skicka-in", "samordnare04"),
        ("godkann", "departementet"),
    ]


def test_text_typed_before_submitting_is_in_the_submitted_report(
    new_page, report, coordinator_04, reviewer
):
    """The coordinator types the summary and, without saving first, presses the submit
    button: the text is saved, then the report is sent, and the reviewer reads it."""
    with_password(coordinator_04)
    with_password(reviewer)
    summary = "Skrivet i sista stund: klusterarbetet har fördjupats under hösten."
    county_url = reverse("site:county", kwargs={"year": 2001, "code": "04"})

    coordinator = new_page()
    log_in(coordinator, "samordnare04")
    coordinator.goto(reverse("admin:followup_countyreport_change", args=[report.pk]))
    coordinator.locator('textarea[name="summary"]').fill(summary)
    submit_form(
        coordinator, coordinator.get_by_role("button", name="Spara och skicka in rapporten")
    )
    expect_message(
        coordinator, "Dina ändringar är sparade och rapporten har skickats in till departementet."
    )
    expect(coordinator.locator(".report-locked")).to_contain_text("inskickad")
    expect(coordinator.locator('textarea[name="summary"]')).to_have_count(0)  # locked now

    ministry = new_page()
    log_in(ministry, "departementet")
    ministry.goto(county_url)
    expect(ministry.get_by_text(summary)).to_be_visible()
    report.refresh_from_db()
    assert (report.status, report.summary) == (ReportStatus.SUBMITTED, summary)
