"""The audit trail: who changed which field from what to what, for every way of writing."""

from decimal import Decimal

import pytest
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from agreements.models import FinancingLine, Project
from followup.models import CountyReport, Theme
from followup.services.reports import county_report_approve, county_report_submit
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    agreement = builders.agreement(county_code="04")
    measure = builders.measure(area=builders.priority_area(agreement_obj=agreement))
    return builders.project(measure_obj=measure, title="Gammal titel")


def test_a_save_records_the_changed_fields_from_and_to(project, coordinator_04):
    project._history_user = coordinator_04
    project.title = "Ny titel"
    project.status = Project.Status.ONGOING
    project.save()

    newest, previous = project.history.all()[:2]
    changes = {c.field: (c.old, c.new) for c in newest.diff_against(previous).changes}
    assert changes["title"] == ("Gammal titel", "Ny titel")
    assert changes["status"] == (Project.Status.APPLIED, Project.Status.ONGOING)
    assert newest.history_user == coordinator_04
    assert newest.history_type == "~"


def test_workflow_steps_are_audited_with_their_author(coordinator_04, reviewer):
    report = builders.county_report(round_obj=builders.follow_up_round())
    for theme in Theme.objects.all():
        builders.observation(report=report, theme=theme)

    county_report_submit(report=report, user=coordinator_04)
    county_report_approve(report=report, user=reviewer)

    rows = list(
        CountyReport.history.filter(id=report.pk)
        .order_by("history_date", "history_id")
        .values_list("status", "history_user__username", "history_change_reason")
    )
    assert rows[-2:] == [
        ("inskickad", "samordnare04", "Skickade in"),
        ("godkand", "departementet", "Godkände"),
    ]


def test_bulk_writes_are_audited(project, coordinator_04):
    lines = [
        FinancingLine(project=project, source=builders.source(), year=2001, amount=Decimal(n))
        for n in ("100", "200", "300")
    ]
    created = bulk_create_with_history(lines, FinancingLine, default_user=coordinator_04)
    for line in created:
        line.amount += 1
    bulk_update_with_history(created, FinancingLine, ["amount"], default_user=coordinator_04)

    history = FinancingLine.history.filter(project=project)
    assert history.filter(history_type="+").count() == 3
    assert sorted(history.filter(history_type="~").values_list("amount", flat=True)) == [
        Decimal("101"),
        Decimal("201"),
        Decimal("301"),
    ]
    assert set(history.values_list("history_user__username", flat=True)) == {"samordnare04"}


def test_deleting_leaves_a_record_of_what_was_deleted(project):
    line = builders.financing_line(project_obj=project, amount="5000")
    line_id = line.pk
    line.delete()
    deleted = FinancingLine.history.get(id=line_id, history_type="-")
    assert deleted.amount == Decimal("5000")


def test_an_admin_entry_is_audited_with_the_person_who_made_it(client, coordinator_04):
    from tests.test_admin_pages import _project_post, admin_url

    agreement = builders.agreement(county_code="04")
    measure = builders.measure(area=builders.priority_area(agreement_obj=agreement))
    client.force_login(coordinator_04)

    response = client.post(admin_url(Project, "add"), _project_post(measure))

    assert response.status_code == 302
    project = Project.objects.get()
    assert project.county.code == "04"  # set by the server, not the form
    created = project.history.get()
    assert (created.history_type, created.history_user) == ("+", coordinator_04)
    lines = FinancingLine.history.filter(project=project)
    assert lines.count() == 2
    assert {line.history_user for line in lines} == {coordinator_04}
