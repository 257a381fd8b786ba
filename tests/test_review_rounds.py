"""The round's status and dates, "Ej bedömt", and what a report with the ministry shows:
its figures and evidence as submitted, and what the register says differently now."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from agreements.models import FinancingLine
from core.raw_load import raw_load
from followup.models import (
    Assessment,
    CountyReport,
    FollowUpRound,
    Observation,
    ReportStatus,
    RoundStatus,
    Theme,
)
from followup.selectors import board, comparisons
from followup.selectors.exports import theme_assessments, themes_not_assessed
from followup.services.reports import (
    WorkflowError,
    county_report_approve,
    county_report_return,
    county_report_submit,
    missing_themes,
)
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db
S = ReportStatus


def complete_report(round_obj, code="04", assessment=3):
    report = builders.county_report(round_obj=round_obj, county_code=code)
    for theme in Theme.objects.all():
        builders.observation(report=report, theme=theme, assessment=assessment)
    return report


def set_round(round_obj, status):
    FollowUpRound.objects.filter(pk=round_obj.pk).update(status=status)
    round_obj.refresh_from_db()


# --- the round's status ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [RoundStatus.PLANNED, RoundStatus.CLOSED])
def test_a_report_is_submitted_only_in_an_open_round(coordinator_04, status):
    round_obj = builders.follow_up_round()
    report = complete_report(round_obj)
    set_round(round_obj, status)
    report.refresh_from_db()
    with pytest.raises(WorkflowError, match="inte öppen"):
        county_report_submit(report=report, user=coordinator_04)
    assert CountyReport.objects.get(pk=report.pk).status == S.DRAFT


def test_closing_the_round_locks_its_reports_and_stops_every_step(coordinator_04, reviewer):
    round_obj = builders.follow_up_round()
    report = complete_report(round_obj)
    county_report_submit(report=report, user=coordinator_04)
    set_round(round_obj, RoundStatus.CLOSED)
    report.refresh_from_db()
    for step in (county_report_approve, county_report_return):
        kwargs = {"comment": "x"} if step is county_report_return else {}
        with pytest.raises(WorkflowError, match="inte öppen"):
            step(report=report, user=reviewer, **kwargs)
    observation = report.observations.first()
    observation.text = "Ändrad efter stängningen"
    with pytest.raises(Exception, match="avslutad"), transaction.atomic():
        observation.save()


def test_a_report_cannot_be_added_to_a_planned_round_in_the_admin(client, coordinator_04):
    round_obj = builders.follow_up_round()
    set_round(round_obj, RoundStatus.PLANNED)
    client.force_login(coordinator_04)
    response = client.post(
        reverse("admin:followup_countyreport_add"),
        {
            "round": round_obj.pk,
            "summary": "",
            "observations-TOTAL_FORMS": "0",
            "observations-INITIAL_FORMS": "0",
            "observations-MIN_NUM_FORMS": "0",
            "observations-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "är inte öppen ännu" in response.content.decode()
    assert not CountyReport.objects.exists()


def test_the_site_offers_no_step_in_a_closed_round(client, coordinator_04):
    round_obj = builders.follow_up_round()
    complete_report(round_obj)
    set_round(round_obj, RoundStatus.CLOSED)
    client.force_login(coordinator_04)
    page = client.get(reverse("site:county", args=[2001, "04"]))
    assert page.context["steps"] == []


# --- completion date and lateness ------------------------------------------------------------


def test_returning_sets_a_completion_date_by_default_in_two_weeks(coordinator_04, reviewer):
    round_obj = builders.follow_up_round()
    report = complete_report(round_obj)
    county_report_submit(report=report, user=coordinator_04)
    report.refresh_from_db()
    county_report_return(report=report, user=reviewer, comment="Komplettera")
    report.refresh_from_db()
    assert report.complete_by - datetime.date.today() == datetime.timedelta(days=14)


def test_a_completion_date_in_the_past_is_refused(coordinator_04, reviewer):
    report = complete_report(builders.follow_up_round())
    county_report_submit(report=report, user=coordinator_04)
    report.refresh_from_db()
    with pytest.raises(WorkflowError, match="redan passerat"):
        county_report_return(
            report=report, user=reviewer, comment="x", complete_by=datetime.date(2000, 1, 1)
        )


def rows_by_code(round_obj, user, today):
    return {
        row.county.code: row
        for row in board.round_board(round_obj=round_obj, user=user, today=today)
    }


def test_a_returned_report_is_late_against_its_completion_date(reviewer):
    round_obj = builders.follow_up_round(deadline=datetime.date(2001, 9, 15))
    returned = complete_report(round_obj, "04")
    builders.set_status(returned, S.RETURNED)
    CountyReport.objects.filter(pk=returned.pk).transition(complete_by=datetime.date(2001, 10, 10))
    complete_report(round_obj, "05")  # a draft: counted against the deadline
    rows = rows_by_code(round_obj, reviewer, datetime.date(2001, 10, 1))
    assert (rows["04"].overdue, rows["04"].days_left) == (False, 9)
    assert (rows["05"].overdue, rows["05"].days_left) == (True, -16)
    assert rows["01"].overdue  # no report at all, past the deadline
    rows = rows_by_code(round_obj, reviewer, datetime.date(2001, 10, 12))
    assert (rows["04"].overdue, rows["04"].days_late) == (True, 2)


def test_a_closed_round_stops_counting(reviewer):
    round_obj = builders.follow_up_round(deadline=datetime.date(2001, 9, 15))
    complete_report(round_obj, "05")
    set_round(round_obj, RoundStatus.CLOSED)
    rows = rows_by_code(round_obj, reviewer, datetime.date(2002, 3, 1))
    assert not any(row.overdue for row in rows.values())
    assert all(row.days_left is None for row in rows.values())
    assert board.status_counts(list(rows.values()))[board.OVERDUE] == 0


def test_the_board_says_when_a_returned_report_is_to_be_completed(client, reviewer):
    round_obj = builders.follow_up_round()
    returned = complete_report(round_obj, "04")
    builders.set_status(returned, S.RETURNED)
    CountyReport.objects.filter(pk=returned.pk).transition(complete_by=datetime.date(2099, 10, 10))
    client.force_login(reviewer)
    page = client.get(reverse("site:board", args=[2001])).content.decode()
    assert "komplettering senast 10 oktober 2099" in page


# --- Ej bedömt --------------------------------------------------------------------------------


def test_not_assessed_needs_a_reason():
    report = builders.county_report(round_obj=builders.follow_up_round())
    observation = Observation(
        report=report, theme=Theme.objects.first(), assessment=Assessment.NOT_ASSESSED, text="x"
    )
    with pytest.raises(ValidationError) as error:
        observation.full_clean()
    assert "Skriv varför temat inte bedöms." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        builders.observation(report=report, assessment=Assessment.NOT_ASSESSED)


def test_a_reason_is_kept_only_with_not_assessed():
    report = builders.county_report(round_obj=builders.follow_up_round())
    observation = Observation(
        report=report, theme=Theme.objects.first(), assessment=3, text="x", not_assessed_reason="y"
    )
    observation.full_clean()
    assert observation.not_assessed_reason == ""


def test_not_assessed_counts_as_addressed_for_submission(coordinator_04):
    report = complete_report(builders.follow_up_round())
    theme = Theme.objects.order_by("sort_order").first()
    report.observations.filter(theme=theme).update(
        assessment=Assessment.NOT_ASSESSED, not_assessed_reason="Inget att rapportera i år."
    )
    assert missing_themes(report=report) == []
    county_report_submit(report=report, user=coordinator_04)
    assert CountyReport.objects.get(pk=report.pk).status == S.SUBMITTED


def test_not_assessed_is_left_out_of_every_level_and_statement(reviewer):
    """Adding "Ej bedömt" to a round changes no level, maximum, statement or colour; it is
    shown as such where the county's theme has no level."""
    round_obj = builders.follow_up_round()
    theme = Theme.objects.order_by("sort_order").first()
    strong = exports_builders.report(round_obj=round_obj, county_code="04", assessment=2)
    only_not = exports_builders.report(round_obj=round_obj, county_code="05", assessment=2)
    for report in (strong, only_not):
        builders.set_status(report, S.SUBMITTED)
    before = theme_assessments(round_id=round_obj.pk)
    # Södermanland adds "Ej bedömt" beside its level; Östergötland has only "Ej bedömt".
    with raw_load(audit=True):  # the data as submitted
        builders.observation(
            report=strong, theme=theme, assessment=0, not_assessed_reason="Se annat tema."
        )
        only_not.observations.filter(theme=theme).update(
            assessment=Assessment.NOT_ASSESSED, not_assessed_reason="Inget arbete att bedöma."
        )
    after = theme_assessments(round_id=round_obj.pk)
    assert after[(theme.pk, strong.county_id)] == before[(theme.pk, strong.county_id)] == 2
    assert (theme.pk, only_not.county_id) not in after
    assert themes_not_assessed(round_id=round_obj.pk) == {(theme.pk, only_not.county_id)}
    _themes, _counties, cells = comparisons.assessment_matrix(round_obj=round_obj, user=reviewer)
    assert cells[(strong.county_id, theme.pk)].best == 2
    cell = cells[(only_not.county_id, theme.pk)]
    assert cell.best is None and cell.only_not_assessed


def test_not_assessed_reads_as_such_on_the_site(client, reviewer):
    round_obj = builders.follow_up_round()
    report = exports_builders.report(round_obj=round_obj, county_code="04")
    theme = Theme.objects.order_by("sort_order").first()
    report.observations.filter(theme=theme).update(
        assessment=Assessment.NOT_ASSESSED, not_assessed_reason="Temat är inte aktuellt."
    )
    builders.set_status(report, S.SUBMITTED)
    client.force_login(reviewer)
    county = client.get(reverse("site:county", args=[2001, "04"])).content.decode()
    assert "Ej bedömt" in county and "Temat är inte aktuellt." in county
    matrix = client.get(reverse("site:matrix", args=[2001])).content.decode()
    assert 'class="cell ej"' in matrix


# --- figures and evidence as submitted --------------------------------------------------------


def test_a_submitted_report_shows_its_figures_as_submitted_and_the_changes(
    client, coordinator_04, reviewer
):
    round_obj = builders.follow_up_round()
    agreement = exports_builders.register(projects=2)
    report = exports_builders.report(round_obj=round_obj, county_code="04")
    county_report_submit(report=report, user=coordinator_04)
    exports_builders.add_projects(agreement=agreement, projects=1, offset=10)
    client.force_login(reviewer)
    response = client.get(reverse("site:county", args=[2001, "04"]))
    figures = response.context["figures"]
    assert figures["frozen"] and figures["projects"] == 2
    changes = {c.label: (c.submitted, c.now) for c in figures["changes"]}
    assert changes["Antal projekt"] == (2, 3)
    page = response.content.decode()
    assert (
        "Som inskickade" in page and "Registret har ändrats sedan rapporten skickades in." in page
    )
    decided = FinancingLine.objects.filter(kind=FinancingLine.Kind.DECIDED)
    assert all(isinstance(v, Decimal) for c in figures["changes"] if c.money for v in (c.now,))
    assert decided.exists()


def test_a_returned_report_shows_the_register_now(client, coordinator_04, reviewer):
    round_obj = builders.follow_up_round()
    exports_builders.register(projects=2)
    report = exports_builders.report(round_obj=round_obj, county_code="04")
    county_report_submit(report=report, user=coordinator_04)
    report.refresh_from_db()
    county_report_return(report=report, user=reviewer, comment="Komplettera")
    client.force_login(reviewer)
    figures = client.get(reverse("site:county", args=[2001, "04"])).context["figures"]
    assert not figures["frozen"] and figures["changes"] == []


def test_a_locked_report_shows_what_it_cited_as_it_was_named(client, coordinator_04, reviewer):
    round_obj = builders.follow_up_round()
    report = exports_builders.report(round_obj=round_obj, county_code="04")
    measure = builders.measure(area=builders.priority_area(agreement_obj=builders.agreement()))
    project = builders.project(measure_obj=measure, reference_number="301-7777-01", title="Före")
    report.observations.first().projects.add(project)
    county_report_submit(report=report, user=coordinator_04)
    project.title = "Efter"
    project.save()
    client.force_login(reviewer)
    page = client.get(reverse("site:county", args=[2001, "04"])).content.decode()
    assert "301-7777-01 Före" in page and "301-7777-01 Efter" not in page


def test_figure_changes_match_areas_by_id_and_name_them_as_submitted():
    from followup.selectors.figures import empty_key_figures, figure_changes

    submitted = empty_key_figures(year=2001)
    now = empty_key_figures(year=2001)
    area = {"id": 7, "number": 1, "name": "Näringsliv", "frame": "100", "beslutat": "50"}
    area["utfall"] = "0"
    submitted["by_priority_area"] = [area]
    now["by_priority_area"] = [{**area, "name": "Omdöpt", "beslutat": "80"}]
    del submitted["by_category"]["ovrigt"]  # a category the system did not have then
    changes = figure_changes(submitted=submitted, now=now)
    assert [(c.label, c.submitted, c.now) for c in changes] == [
        ("Insatsområde 1. Näringsliv, beslutat", Decimal(50), Decimal(80))
    ]
