"""The workflow services' rules in the words the user reads, and what each step records.

tests/test_review_workflow.py has the table of roles × states × steps; here is what that
table does not spell out: who is offered which step, every refusal's exact sentence, and what
a step writes beside the status (dates, people, frozen figures and evidence, the versions the
ministry reads, the event and the audit record).
"""

import datetime

import pytest
from django.utils import timezone

from followup.models import (
    CountyReport,
    FollowUpRound,
    ReportStatus,
    ReviewEvent,
    RoundStatus,
    Theme,
)
from followup.services.reports import (
    COMPLETION_DAYS,
    WorkflowError,
    county_report_approve,
    county_report_reopen,
    county_report_return,
    county_report_steps,
    county_report_submit,
    county_report_take_step,
    default_completion_date,
    missing_themes,
)
from tests import builders

A = ReviewEvent.Action
pytestmark = pytest.mark.django_db
S = ReportStatus


def report_in(status=S.DRAFT, *, themes=None, county_code="04"):
    round_obj = FollowUpRound.objects.filter(year=2001).first() or builders.follow_up_round()
    report = builders.county_report(round_obj=round_obj, county_code=county_code)
    for theme in themes if themes is not None else Theme.objects.all():
        builders.observation(report=report, theme=theme, assessment=3)
    return builders.set_status(report, status)


def refused(message, step, **kwargs):
    with pytest.raises(WorkflowError) as error:
        step(**kwargs)
    assert error.value.message == message


# --- which steps are offered ------------------------------------------------------------------


def test_steps_offered_by_role_and_state(
    coordinator_04, coordinator_05, reviewer, administrator, coordinator_04_reviewer
):
    offered = {
        status: report_in(status, county_code=code)
        for status, code in (
            (S.DRAFT, "04"),
            (S.RETURNED, "12"),
            (S.SUBMITTED, "13"),
            (S.APPROVED, "14"),
        )
    }
    steps = {
        (status, who.username): county_report_steps(report=report, user=who)
        for status, report in offered.items()
        for who in (coordinator_04, coordinator_05, reviewer, administrator)
    }
    assert steps[(S.DRAFT, "samordnare04")] == [A.SUBMIT]
    assert steps[(S.DRAFT, "samordnare05")] == []
    assert steps[(S.DRAFT, "departementet")] == []
    assert steps[(S.SUBMITTED, "departementet")] == [A.APPROVE, A.RETURN]
    assert steps[(S.APPROVED, "administratoren")] == [A.REOPEN]
    assert steps[(S.APPROVED, "departementet")] == []
    assert steps[(S.SUBMITTED, "samordnare04")] == []
    assert county_report_steps(report=None, user=reviewer) == []
    both = coordinator_04_reviewer
    assert county_report_steps(report=offered[S.DRAFT], user=both) == [A.SUBMIT]
    assert county_report_steps(report=offered[S.SUBMITTED], user=both) == [A.APPROVE, A.RETURN]


def test_no_step_is_offered_outside_an_open_round(coordinator_04, reviewer):
    report = report_in(S.SUBMITTED)
    for status in (RoundStatus.PLANNED, RoundStatus.CLOSED):
        FollowUpRound.objects.filter(pk=report.round_id).update(status=status)
        report.refresh_from_db()
        assert county_report_steps(report=report, user=reviewer) == []


# --- who may take a step ------------------------------------------------------------------------


def test_each_step_says_who_may_take_it(coordinator_05, reviewer, coordinator_04):
    draft = report_in(S.DRAFT)
    refused(
        "Bara länets regionala samordnare kan skicka in rapporten.",
        county_report_submit,
        report=draft,
        user=coordinator_05,
    )
    submitted = report_in(S.SUBMITTED, county_code="12")
    refused(
        "Bara departementets handläggare kan returnera rapporten.",
        county_report_return,
        report=submitted,
        user=coordinator_04,
        comment="x",
    )
    refused(
        "Bara departementets handläggare kan godkänna rapporten.",
        county_report_approve,
        report=submitted,
        user=coordinator_04,
    )
    approved = report_in(S.APPROVED, county_code="13")
    refused(
        "Bara en administratör kan öppna en godkänd rapport igen.",
        county_report_reopen,
        report=approved,
        user=reviewer,
        reason="x",
    )


def test_each_step_says_when_it_cannot_be_taken(coordinator_04, reviewer, administrator):
    approved = report_in(S.APPROVED)
    refused(
        "Rapporten kan inte skickas in när den är godkänd.",
        county_report_submit,
        report=approved,
        user=coordinator_04,
    )
    refused(
        "Rapporten kan inte returneras när den är godkänd.",
        county_report_return,
        report=approved,
        user=reviewer,
        comment="x",
    )
    draft = report_in(S.DRAFT, county_code="05")
    refused(
        "Rapporten kan inte öppnas igen när den är utkast.",
        county_report_reopen,
        report=draft,
        user=administrator,
        reason="x",
    )
    round_obj = approved.round
    FollowUpRound.objects.filter(pk=round_obj.pk).update(status=RoundStatus.CLOSED)
    approved.refresh_from_db()
    refused(
        f"Omgången {round_obj} är inte öppen: dess rapporter kan inte öppnas igen.",
        county_report_reopen,
        report=approved,
        user=administrator,
        reason="Rättelse",
    )


def test_texts_a_step_needs(reviewer, administrator):
    submitted = report_in(S.SUBMITTED)
    refused(
        "Skriv en kommentar som talar om för länet vad som behöver åtgärdas.",
        county_report_return,
        report=submitted,
        user=reviewer,
        comment="   ",
    )
    refused(
        "Skriv en kommentar som talar om för länet vad som behöver åtgärdas.",
        county_report_return,
        report=submitted,
        user=reviewer,
        comment=None,
    )
    approved = report_in(S.APPROVED, county_code="12")
    refused(
        "Ange varför rapporten öppnas igen.",
        county_report_reopen,
        report=approved,
        user=administrator,
        reason=" ",
    )


def test_an_incomplete_report_names_its_missing_themes_in_order(coordinator_04):
    themes = list(Theme.objects.order_by("sort_order", "name"))
    report = report_in(S.DRAFT, themes=themes[2:])
    assert missing_themes(report=report) == [themes[0].name, themes[1].name]
    refused(
        "Rapporten är inte komplett. Dessa teman saknar en iakttagelse med bedömning: "
        f"{themes[0].name}, {themes[1].name}.",
        county_report_submit,
        report=report,
        user=coordinator_04,
    )


def test_a_step_on_a_stale_status_says_what_the_report_is_now(reviewer):
    report = report_in(S.SUBMITTED)
    stale = CountyReport.objects.get(pk=report.pk)
    county_report_approve(report=report, user=reviewer)
    refused(
        "Någon annan hann ändra rapporten före dig: den är nu godkänd. Ladda om sidan och se "
        "vad som gäller.",
        county_report_return,
        report=stale,
        user=reviewer,
        comment="Komplettera",
    )


# --- what a step records --------------------------------------------------------------------


def test_submitting_records_who_when_and_what_was_sent(coordinator_04):
    report = report_in(S.DRAFT)
    measure = builders.measure(area=builders.priority_area(agreement_obj=builders.agreement()))
    project = builders.project(measure_obj=measure, reference_number="301-0001-01", title="P")
    observation = report.observations.order_by("pk").first()
    observation.projects.add(project)
    before = timezone.now()
    county_report_submit(report=report, user=coordinator_04)
    report.refresh_from_db()
    assert report.status == S.SUBMITTED and report.submitted_by == coordinator_04
    assert report.submitted_at >= before and report.frozen_at == report.submitted_at
    assert report.frozen_figures["year"] == 2001
    assert report.frozen_evidence == {
        str(observation.pk): [["project", project.pk, "301-0001-01 P"]]
    }
    assert report.complete_by is None
    versions = observation.history.filter(report_status=S.SUBMITTED)
    assert versions.count() == 1
    version = versions.get()
    assert (version.history_date, version.history_user) == (report.submitted_at, coordinator_04)
    assert version.history_change_reason == "Skickade in"
    assert list(version.projects.values_list("project_id", flat=True)) == [project.pk]
    audit = report.history.latest("history_date")
    assert (audit.status, audit.history_change_reason, audit.history_user) == (
        S.SUBMITTED,
        "Skickade in",
        coordinator_04,
    )
    event = ReviewEvent.objects.get(report=report)
    assert (event.action, event.from_status, event.to_status, event.actor, event.comment) == (
        ReviewEvent.Action.SUBMIT,
        S.DRAFT,
        S.SUBMITTED,
        coordinator_04,
        "",
    )


def test_returning_records_the_reviewer_the_comment_and_the_date(reviewer):
    report = report_in(S.SUBMITTED)
    chosen = timezone.localdate() + datetime.timedelta(days=30)
    county_report_return(
        report=report, user=reviewer, comment="  Komplettera klustren.  ", complete_by=chosen
    )
    report.refresh_from_db()
    assert (report.status, report.reviewed_by, report.complete_by) == (
        S.RETURNED,
        reviewer,
        chosen,
    )
    assert report.reviewed_at is not None
    event = report.events.get()
    assert (event.comment, event.to_status) == ("Komplettera klustren.", S.RETURNED)
    assert report.history.latest("history_date").history_change_reason == "Returnerade"


def test_a_completion_date_today_is_allowed_and_yesterday_is_not(reviewer):
    today = timezone.localdate()
    report = report_in(S.SUBMITTED)
    refused(
        f"Datumet för komplettering ({today - datetime.timedelta(days=1)}) har redan passerat. "
        "Välj ett senare datum.",
        county_report_return,
        report=report,
        user=reviewer,
        comment="x",
        complete_by=today - datetime.timedelta(days=1),
    )
    county_report_return(report=report, user=reviewer, comment="x", complete_by=today)
    report.refresh_from_db()
    assert report.complete_by == today


def test_the_default_completion_date_is_two_weeks_ahead():
    assert COMPLETION_DAYS == 14
    assert default_completion_date(datetime.date(2001, 10, 1)) == datetime.date(2001, 10, 15)
    assert default_completion_date() == timezone.localdate() + datetime.timedelta(days=14)


def test_approving_records_the_reviewer_and_an_optional_comment(reviewer):
    report = report_in(S.SUBMITTED)
    county_report_approve(report=report, user=reviewer, comment="  Bra.  ")
    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == (S.APPROVED, reviewer)
    assert report.events.get().comment == "Bra."
    other = report_in(S.SUBMITTED, county_code="05")
    county_report_approve(report=other, user=reviewer)
    assert other.events.get().comment == ""


def test_reopening_returns_the_report_with_two_weeks_to_complete_it(administrator):
    report = report_in(S.APPROVED)
    county_report_reopen(report=report, user=administrator, reason="  Fel belopp.  ")
    report.refresh_from_db()
    assert report.status == S.RETURNED
    assert report.complete_by == default_completion_date()
    event = report.events.get()
    assert (event.action, event.comment, event.from_status) == (
        ReviewEvent.Action.REOPEN,
        "Fel belopp.",
        S.APPROVED,
    )
    assert report.history.latest("history_date").history_change_reason == "Öppnade igen"


# --- what a step touches, and no more --------------------------------------------------------


def test_a_step_changes_its_report_only_and_records_one_moment(reviewer):
    """Two reports in the same state: approving one leaves the other as it was; the report's
    new version, its event and its audit record carry the same moment and say "changed"."""
    report = report_in(S.SUBMITTED, county_code="04")
    other = report_in(S.SUBMITTED, county_code="05")
    other_before = CountyReport.objects.values("status", "version", "updated_at").get(pk=other.pk)
    version_before = report.version
    county_report_approve(report=report, user=reviewer)
    report.refresh_from_db()
    assert CountyReport.objects.values("status", "version", "updated_at").get(pk=other.pk) == (
        other_before
    )
    assert report.version == version_before + 1  # a copy opened before the step is stale now
    event = ReviewEvent.objects.get(report=report)
    audit = report.history.latest("history_date")
    assert event.at == report.updated_at == report.reviewed_at == audit.history_date
    assert audit.history_type == "~"  # a change of the report, not a new one
    assert audit.version == report.version


def test_the_versions_a_submission_writes_are_changes_of_each_observation(coordinator_04):
    report = report_in(S.DRAFT)
    county_report_submit(report=report, user=coordinator_04)
    versions = report.observations.first().history.filter(report_status=S.SUBMITTED)
    assert [v.history_type for v in versions] == ["~"]


def test_a_return_records_one_moment_too(reviewer):
    report = report_in(S.SUBMITTED)
    county_report_return(report=report, user=reviewer, comment="Komplettera klusterdelen.")
    report.refresh_from_db()
    event = ReviewEvent.objects.get(report=report)
    audit = report.history.latest("history_date")
    assert event.at == report.updated_at == report.reviewed_at == audit.history_date


def test_missing_themes_are_the_reports_own_in_the_rounds_order(coordinator_04):
    """Another county's observation on a theme does not complete this report; the themes are
    named in the round's order (sort order, then name)."""
    round_obj = builders.follow_up_round(year=2001)
    first = Theme.objects.create(code="a-sist", name="Ö sist i alfabetet", sort_order=1)
    # Two with the same sort order, the later made first in the alphabet: named by name.
    second = Theme.objects.create(code="b-andra", name="B lika ordning", sort_order=2)
    tied = Theme.objects.create(code="c-tredje", name="A lika ordning", sort_order=2)
    round_obj.themes.set([first, second, tied])
    other = builders.county_report(round_obj=round_obj, county_code="05")
    for theme in (first, second, tied):
        builders.observation(report=other, theme=theme, assessment=3)
    report = builders.county_report(round_obj=round_obj, county_code="04")
    assert missing_themes(report=report) == [
        "Ö sist i alfabetet",
        "A lika ordning",
        "B lika ordning",
    ]


def test_the_one_entry_takes_each_step_with_its_text(reviewer):
    approved = report_in(S.SUBMITTED, county_code="04")
    county_report_take_step(report=approved, user=reviewer, action=A.APPROVE, text="Bra.")
    assert ReviewEvent.objects.get(report=approved).comment == "Bra."
    plain = report_in(S.SUBMITTED, county_code="05")
    county_report_take_step(report=plain, user=reviewer, action=A.APPROVE)  # no text: none
    assert ReviewEvent.objects.get(report=plain).comment == ""
    refused(
        "Okänt granskningssteg.",
        county_report_take_step,
        report=plain,
        user=reviewer,
        action="radera",
    )
