"""The review site's pages as each persona sees them: the start, the round board, a county's
page, the comparisons and the workbooks; what another county or the ministry may not see."""

import datetime

import pytest
from django.urls import reverse

from followup.models import CountyReport, ReportStatus, ReviewEvent, Theme
from followup.selectors.figures import county_key_figures, empty_key_figures
from tests import builders, exports_builders

A = ReviewEvent.Action
pytestmark = pytest.mark.django_db

DRAFT_TEXT = "Hemligt utkastord"


@pytest.fixture
def round_2001():
    round_obj = builders.follow_up_round(year=2001, deadline=datetime.date(2001, 9, 15))
    exports_builders.register(county_code="04")
    exports_builders.register(county_code="05")
    exports_builders.report(
        round_obj=round_obj, county_code="04", status=ReportStatus.SUBMITTED, assessment=4
    )
    draft = exports_builders.report(round_obj=round_obj, county_code="05", text=DRAFT_TEXT)
    draft.summary = f"Sammanfattning {DRAFT_TEXT}"
    draft.save()
    return round_obj


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


# --- start ------------------------------------------------------------------------------------


def test_start_lists_the_reviewers_reports_to_review_oldest_first(client, reviewer, round_2001):
    response = page(client, reviewer, "/")
    assert response.status_code == 200
    reviews = response.context["reviews"]
    assert [item.report.county.code for item in reviews] == ["04"]  # the submitted one
    content = response.content.decode()
    assert "Rapporter att granska" in content
    assert reverse("site:county", args=[2001, "04"]) in content
    assert "Länets rapport" not in content  # a reviewer keeps no county


def test_start_shows_the_administrator_no_county_and_no_review(client, administrator, round_2001):
    response = page(client, administrator, "/")
    assert response.status_code == 200
    assert response.context["counties"] == [] and response.context["reviews"] == []
    assert "Ingen omgång att öppna eller avsluta." in response.content.decode()


def test_start_shows_a_coordinator_their_county_in_each_open_round(
    client, coordinator_04, round_2001
):
    builders.follow_up_round(year=2002)
    response = page(client, coordinator_04, "/")
    assert [(i.round.year, i.county.code) for i in response.context["counties"]] == [
        (2002, "04"),
        (2001, "04"),
    ]
    assert reverse("site:county", args=[2002, "04"]) in response.content.decode()


# --- round board ------------------------------------------------------------------------------


def test_board_lists_every_county_with_its_status_and_counts(client, reviewer, round_2001):
    response = page(client, reviewer, "/omgang/2001/")
    content = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["rows"]) == 21
    assert content.count("<h1") == 1
    statuses = {row.county.code: row.status for row in response.context["rows"]}
    assert statuses["04"] == ReportStatus.SUBMITTED
    assert statuses["05"] == ReportStatus.DRAFT
    assert statuses["01"] == "saknas"
    assert {tile["key"]: tile["count"] for tile in response.context["summary"]} == {
        "utkast": 1,
        "inskickad": 1,
        "returnerad": 0,
        "godkand": 0,
        "saknas": 19,
        "forsenad": 20,  # the deadline of 2001 has passed: all but the submitted one
    }
    assert "Försenad" in content
    assert DRAFT_TEXT not in content
    assert reverse("site:national_xlsx", args=[2001]) in content


def test_board_shows_the_last_step_and_who_took_it(client, reviewer, coordinator_04, round_2001):
    report = round_2001.reports.get(county__code="04")
    ReviewEvent.objects.create(
        report=report,
        action=ReviewEvent.Action.SUBMIT,
        from_status=ReportStatus.DRAFT,
        to_status=ReportStatus.SUBMITTED,
        actor=coordinator_04,
        comment="Händelsens kommentar",
    )
    content = page(client, reviewer, "/omgang/2001/").content.decode()
    assert "Skickade in" in content and "samordnare04" in content
    assert "Händelsens kommentar" not in content  # the board shows the step, not the text


def test_board_counts_days_left_before_the_deadline(client, reviewer, round_2001):
    round_2001.deadline = datetime.date.today() + datetime.timedelta(days=10)
    round_2001.save()
    response = page(client, reviewer, "/omgang/2001/")
    assert "10 dagar kvar" in response.content.decode()
    assert not any(row.overdue for row in response.context["rows"])


def test_coordinator_sees_the_board_with_status_only_for_other_counties(
    client, coordinator_04, round_2001
):
    response = page(client, coordinator_04, "/omgang/2001/")
    content = response.content.decode()
    assert response.status_code == 200
    assert reverse("site:county", args=[2001, "04"]) in content
    assert reverse("site:county", args=[2001, "05"]) not in content
    assert reverse("site:national_xlsx", args=[2001]) not in content
    assert DRAFT_TEXT not in content


def test_a_round_that_does_not_exist_is_404(client, reviewer, round_2001):
    assert page(client, reviewer, "/omgang/1999/").status_code == 404


# --- county page ----------------------------------------------------------------------------


def test_reviewer_reads_a_submitted_report_with_figures_and_actions(client, reviewer, round_2001):
    response = page(client, reviewer, "/omgang/2001/lan/04/")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "Sammanfattning 04." in content
    assert "Iakttagelse 04 om" in content
    assert "Länsstyrelsen" in content or response.context["agreement"].lead_body.name in content
    assert "<svg" in content and "<title" in content  # charts with a text alternative
    assert response.context["steps"] == [A.APPROVE, A.RETURN]
    assert 'name="step" value="godkann"' in content
    assert reverse("site:county_xlsx", args=[2001, "04"]) in content
    decided = exports_builders.decided("04")
    assert response.context["figures"]["decided_total"] == decided
    # Swedish format: spaces between thousands, "kr" after.
    assert f"{int(decided):,}".replace(",", "\xa0") + " kr" in content


def test_reviewer_sees_only_the_register_and_the_status_of_a_draft(client, reviewer, round_2001):
    response = page(client, reviewer, "/omgang/2001/lan/05/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Rapporten är ett utkast" in content
    assert DRAFT_TEXT not in content
    assert "Sammanfattning" not in content
    assert "Granskningshistorik" not in content
    assert response.context["steps"] == []
    assert reverse("site:county_xlsx", args=[2001, "05"]) not in content
    assert "Partnerskap" in content  # the register is the reviewer's to read


def test_coordinator_reads_their_own_draft_and_may_submit_it(client, coordinator_05, round_2001):
    response = page(client, coordinator_05, "/omgang/2001/lan/05/")
    content = response.content.decode()
    assert DRAFT_TEXT in content
    assert response.context["steps"] == [A.SUBMIT]
    report = response.context["report"]
    assert reverse("admin:followup_countyreport_change", args=[report.pk]) in content


def test_coordinator_gets_404_for_another_countys_page_as_for_a_missing_one(
    client, coordinator_05, coordinator_04, round_2001
):
    assert page(client, coordinator_05, "/omgang/2001/lan/04/").status_code == 404
    other = page(client, coordinator_04, "/omgang/2001/lan/05/")
    missing = page(client, coordinator_04, "/omgang/2001/lan/99/")
    assert other.status_code == missing.status_code == 404
    assert DRAFT_TEXT not in other.content.decode()


def test_approved_report_shows_the_frozen_figures(client, reviewer, round_2001):
    report = round_2001.reports.get(county__code="04")
    report.__class__.objects.filter(pk=report.pk).transition(
        status=ReportStatus.APPROVED,
        frozen_figures={
            **empty_key_figures(year=2001),
            "projects": {"total": 77, "by_status": {}},
        },
    )
    response = page(client, reviewer, "/omgang/2001/lan/04/")
    assert response.context["figures"]["frozen"] is True
    assert response.context["figures"]["projects"] == 77
    assert "låsta" in response.content.decode()


# --- workbooks ------------------------------------------------------------------------------


def test_county_workbook_follows_the_admins_rules(
    client, coordinator_04, coordinator_05, round_2001
):
    url = reverse("site:county_xlsx", args=[2001, "04"])
    own = page(client, coordinator_04, url)
    assert own.status_code == 200
    assert own["Content-Disposition"].startswith("attachment;")
    assert page(client, coordinator_05, url).status_code == 404


def test_reviewer_gets_404_for_a_drafts_workbook(client, reviewer, round_2001):
    assert page(client, reviewer, reverse("site:county_xlsx", args=[2001, "05"])).status_code == 404


def test_national_workbook_is_for_ministry_staff(client, reviewer, coordinator_04, round_2001):
    url = reverse("site:national_xlsx", args=[2001])
    assert page(client, reviewer, url).status_code == 200
    assert page(client, coordinator_04, url).status_code == 403


# --- comparisons ----------------------------------------------------------------------------


def test_matrix_links_each_cell_to_the_observations_behind_it(client, reviewer, round_2001):
    response = page(client, reviewer, "/omgang/2001/jamforelse/")
    content = response.content.decode()
    theme = Theme.objects.order_by("sort_order", "name").first()
    assert response.status_code == 200
    assert f"/iakttagelser/?round=2001&amp;county=04&amp;theme={theme.pk}" in content
    assert "county=05" not in content  # a draft is not compared
    rows = {row["county"].code: row for row in response.context["rows"]}
    assert rows["04"]["cells"][0]["cell"].best == 4
    assert rows["05"]["cells"][0]["cell"] is None
    assert len(rows) == 21


def test_coordinator_compares_only_their_own_county(client, coordinator_05, round_2001):
    response = page(client, coordinator_05, "/omgang/2001/jamforelse/")
    assert [row["county"].code for row in response.context["rows"]] == ["05"]
    assert "county=05" in response.content.decode()  # their own draft counts for them


def test_financing_page_adds_up_by_county_and_category(client, reviewer, round_2001):
    response = page(client, reviewer, "/omgang/2001/finansiering/")
    rows = {row["county"].code: row for row in response.context["table"]}
    assert response.status_code == 200
    assert rows["04"]["total"] == exports_builders.decided("04")
    assert rows["05"]["total"] == exports_builders.decided("05")
    assert response.context["grand_total"] == exports_builders.decided(
        "04"
    ) + exports_builders.decided("05")
    assert "<svg" in response.content.decode()


def test_financing_page_shows_a_submitted_reports_figures_as_submitted(
    client, reviewer, round_2001
):
    agreement = exports_builders.register(county_code="12", projects=1)
    report = exports_builders.report(round_obj=round_2001, county_code="12")
    before = exports_builders.decided("12")
    CountyReport.objects.filter(pk=report.pk).transition(
        status=ReportStatus.SUBMITTED,
        frozen_figures=county_key_figures(county_id=agreement.county_id, year=2001),
    )
    exports_builders.add_projects(agreement=agreement, projects=1, offset=50)
    response = page(client, reviewer, "/omgang/2001/finansiering/")
    rows = {row["county"].code: row for row in response.context["table"]}
    assert rows["12"]["frozen"] and rows["12"]["total"] == before < exports_builders.decided("12")
    assert "låsta nyckeltal" in response.content.decode()


def test_county_development_shows_assessments_year_on_year(client, reviewer, round_2001):
    later = builders.follow_up_round(year=2002)
    exports_builders.report(
        round_obj=later, county_code="04", status=ReportStatus.APPROVED, assessment=2
    )
    response = page(client, reviewer, "/lan/04/utveckling/")
    first = response.context["rows"][0]
    assert response.status_code == 200
    assert [cell.best for cell in first["cells"]] == [4, 2]


def test_county_development_of_another_county_is_404(client, coordinator_04, round_2001):
    assert page(client, coordinator_04, "/lan/05/utveckling/").status_code == 404


def test_reviewer_development_leaves_drafts_out(client, reviewer, round_2001):
    response = page(client, reviewer, "/lan/05/utveckling/")
    assert all(cell is None for row in response.context["rows"] for cell in row["cells"])


# --- menu -----------------------------------------------------------------------------------


def test_menu_takes_a_coordinator_to_their_county_and_everyone_to_the_round(
    client, coordinator_04, reviewer, round_2001
):
    menu = {
        item["label"]: item["url"]
        for item in page(client, coordinator_04, "/omgang/2001/").context["site_nav"]
    }
    assert menu["Mitt län"] == "/omgang/2001/lan/04/"
    assert menu["Omgång 2001"] == "/omgang/2001/"
    menu = page(client, reviewer, "/omgang/2001/").context["site_nav"]
    assert [item["label"] for item in menu] == [
        "Omgång 2001",
        "Jämförelse",
        "Finansiering",
        "Projekt",
        "Iakttagelser",
        "Organisationer",
    ]
    assert [item["current"] for item in menu] == [True, False, False, False, False, False]
    assert {item["label"]: item["url"] for item in menu}["Projekt"] == "/projekt/"


def test_board_says_how_late_an_overdue_report_is(client, reviewer, round_2001):
    round_2001.deadline = datetime.date.today() - datetime.timedelta(days=3)
    round_2001.save()
    content = page(client, reviewer, "/omgang/2001/").content.decode()
    assert "3 dagar för sent" in content
    assert "Passerad för 3 dagar sedan." in content


@pytest.mark.parametrize("url", ["/konto/logga-in/", "/admin/login/"])
def test_pages_name_the_sites_icon_so_browsers_do_not_ask_for_a_missing_one(client, url):
    page = client.get(url).content.decode()
    assert 'rel="icon" href="/static/site/favicon.svg"' in page
