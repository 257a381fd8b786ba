"""The review workflow: every role × report state × action, freezing, events and races."""

from decimal import Decimal

import pytest

from followup.models import CountyReport, ReportStatus, ReviewEvent, Theme
from followup.services.reports import (
    WorkflowError,
    county_report_approve,
    county_report_reopen,
    county_report_return,
    county_report_submit,
)
from tests import builders

pytestmark = pytest.mark.django_db

S = ReportStatus


def complete_report(county_code="04", status=S.DRAFT):
    round_obj = builders.follow_up_round(year=2001)
    report = builders.county_report(round_obj=round_obj, county_code=county_code)
    for theme in Theme.objects.all():
        builders.observation(report=report, theme=theme, assessment=3)
    # Put the report in the state under test directly (observations first: approved is locked).
    builders.set_status(report, status)
    report.refresh_from_db()
    return report


def act(action, report, user):
    if action == "submit":
        return county_report_submit(report=report, user=user)
    if action == "return":
        return county_report_return(report=report, user=user, comment="Komplettera temat kluster.")
    if action == "approve":
        return county_report_approve(report=report, user=user)
    return county_report_reopen(report=report, user=user, reason="Fel siffror i utfallet.")


# role × state × action → the status afterwards, or None when refused.
ROLES = ["coordinator_04", "coordinator_05", "reviewer", "administrator", "staff_without_role"]
EXPECTED = {
    "submit": {
        "coordinator_04": {S.DRAFT: S.SUBMITTED, S.RETURNED: S.SUBMITTED},
    },
    "return": {"reviewer": {S.SUBMITTED: S.RETURNED}},
    "approve": {"reviewer": {S.SUBMITTED: S.APPROVED}},
    "reopen": {"administrator": {S.APPROVED: S.RETURNED}},
}
CELLS = [
    (role, state, action)
    for role in ROLES
    for state in S.values
    for action in ["submit", "return", "approve", "reopen"]
]


@pytest.mark.parametrize(("role", "state", "action"), CELLS)
def test_role_state_action_table(personas, role, state, action):
    report = complete_report(status=state)
    expected = EXPECTED[action].get(role, {}).get(state)
    if expected is None:
        with pytest.raises(WorkflowError) as error:
            act(action, report, personas[role])
        assert error.value.message  # a sentence for the user
        report.refresh_from_db()
        assert report.status == state
        assert not ReviewEvent.objects.exists()
    else:
        act(action, report, personas[role])
        report.refresh_from_db()
        assert report.status == expected
        event = ReviewEvent.objects.get()
        assert (event.from_status, event.to_status, event.actor) == (
            state,
            expected,
            personas[role],
        )


def test_incomplete_report_cannot_be_submitted_and_names_the_missing_themes(coordinator_04):
    round_obj = builders.follow_up_round()
    report = builders.county_report(round_obj=round_obj)
    cluster_theme = Theme.objects.get(code="klusterarbete")
    for theme in Theme.objects.exclude(pk=cluster_theme.pk):
        builders.observation(report=report, theme=theme)
    builders.observation(report=report, theme=cluster_theme, assessment=None)

    with pytest.raises(WorkflowError) as error:
        county_report_submit(report=report, user=coordinator_04)

    assert "Klusterarbete" in error.value.message
    assert "inte komplett" in error.value.message
    report.refresh_from_db()
    assert report.status == S.DRAFT


def test_return_needs_a_comment(reviewer):
    report = complete_report(status=S.SUBMITTED)
    with pytest.raises(WorkflowError) as error:
        county_report_return(report=report, user=reviewer, comment="  ")
    assert "kommentar" in error.value.message
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_illegal_transition_says_why_in_swedish(reviewer):
    report = complete_report(status=S.DRAFT)
    with pytest.raises(WorkflowError) as error:
        county_report_approve(report=report, user=reviewer)
    assert error.value.message == "Rapporten kan inte godkännas när den är utkast."


def test_second_of_two_reviewers_acting_on_a_stale_copy_is_told(reviewer, django_user_model):
    report = complete_report(status=S.SUBMITTED)
    stale_copy = CountyReport.objects.get(pk=report.pk)

    county_report_approve(report=report, user=reviewer)
    with pytest.raises(WorkflowError) as error:
        county_report_return(report=stale_copy, user=reviewer, comment="För sent")

    assert "Någon annan hann ändra rapporten" in error.value.message
    assert "godkänd" in error.value.message
    assert CountyReport.objects.get(pk=report.pk).status == S.APPROVED
    assert ReviewEvent.objects.count() == 1


def test_full_cycle_keeps_every_step_on_record(coordinator_04, reviewer, administrator):
    report = complete_report()
    county_report_submit(report=report, user=coordinator_04)
    county_report_return(report=report, user=reviewer, comment="Beskriv klusterarbetet mer.")
    county_report_submit(report=report, user=coordinator_04)
    county_report_approve(report=report, user=reviewer)
    county_report_reopen(report=report, user=administrator, reason="Utfallet rättat.")

    steps = list(report.events.values_list("action", "from_status", "to_status", "comment"))
    assert steps == [
        ("skicka-in", S.DRAFT, S.SUBMITTED, ""),
        ("returnera", S.SUBMITTED, S.RETURNED, "Beskriv klusterarbetet mer."),
        ("skicka-in", S.RETURNED, S.SUBMITTED, ""),
        ("godkann", S.SUBMITTED, S.APPROVED, ""),
        ("oppna-igen", S.APPROVED, S.RETURNED, "Utfallet rättat."),
    ]
    report.refresh_from_db()
    assert report.submitted_by == coordinator_04
    assert report.reviewed_by == reviewer


def test_frozen_figures_do_not_shift_when_the_register_changes(coordinator_04, reviewer):
    agreement = builders.agreement(county_code="04")
    area = builders.priority_area(agreement_obj=agreement)
    measure = builders.measure(area=area)
    builders.frame(area=area, year=2001, amount="5000000")
    project = builders.project(measure_obj=measure)
    builders.financing_line(project_obj=project, amount="1200000", year=2001)
    builders.financing_line(
        project_obj=project, amount="300000", year=2001, source_obj=builders.source("privat")
    )
    report = complete_report()

    county_report_submit(report=report, user=coordinator_04)
    county_report_approve(report=report, user=reviewer)
    builders.financing_line(project_obj=project, amount="999999", year=2001)
    builders.project(measure_obj=measure)

    report.refresh_from_db()
    figures = report.frozen_figures
    assert figures["projects"]["total"] == 1
    assert Decimal(figures["by_category"]["stat"]["beslutat"]) == Decimal("1200000")
    assert Decimal(figures["by_category"]["privat"]["beslutat"]) == Decimal("300000")
    assert figures["by_priority_area"][0]["name"] == area.name
    assert Decimal(figures["by_priority_area"][0]["frame"]) == Decimal("5000000")
    assert Decimal(figures["by_priority_area"][0]["beslutat"]) == Decimal("1500000")


def test_a_decision_sends_this_reports_pending_comments_with_it(reviewer):
    from core.raw_load import raw_load
    from followup.models import ReviewComment
    from tests import exports_builders

    round_obj = builders.follow_up_round(year=2001)
    mine, other = (
        exports_builders.report(round_obj=round_obj, county_code=code,
                                status=ReportStatus.SUBMITTED)
        for code in ("04", "05")
    )  # fmt: skip
    with raw_load():
        earlier = ReviewEvent.objects.create(
            report=mine, action=ReviewEvent.Action.RETURN, from_status=ReportStatus.SUBMITTED,
            to_status=ReportStatus.RETURNED, actor=reviewer,
        )  # fmt: skip
        sent_before = ReviewComment.objects.create(
            report=mine, author=reviewer, text="Förra gången", sent_with=earlier
        )
        pending = ReviewComment.objects.create(report=mine, author=reviewer, text="Nu")
        elsewhere = ReviewComment.objects.create(report=other, author=reviewer, text="Annat län")
    county_report_approve(report=mine, user=reviewer)
    approval = ReviewEvent.objects.get(report=mine, action=ReviewEvent.Action.APPROVE)
    sent = dict(ReviewComment.objects.values_list("pk", "sent_with"))
    assert sent == {sent_before.pk: earlier.pk, pending.pk: approval.pk, elsewhere.pk: None}


def test_each_step_queues_its_message_for_the_people_it_concerns(reviewer, coordinator_04):
    from followup.models import Notice
    from tests import exports_builders

    coordinator_04.email = "anna@sormland.example"
    coordinator_04.save()
    round_obj = builders.follow_up_round(year=2001)
    report = exports_builders.report(
        round_obj=round_obj, county_code="04", status=ReportStatus.SUBMITTED
    )
    county_report_return(report=report, user=reviewer, comment="Komplettera.")
    event = ReviewEvent.objects.get(report=report, action=ReviewEvent.Action.RETURN)
    assert list(Notice.objects.values_list("county__code", "kind", "key", "address")) == [
        ("04", Notice.Kind.RETURNED, f"steg-{event.pk}", "anna@sormland.example")
    ]
