"""The review workflow as people use it: the steps on a county report's admin page."""

import pytest
from django.urls import reverse

from followup.models import CountyReport, ReportStatus, ReviewEvent, Theme
from tests import builders

pytestmark = pytest.mark.django_db
S = ReportStatus


@pytest.fixture
def report():
    report = builders.county_report(round_obj=builders.follow_up_round(), county_code="04")
    for theme in Theme.objects.all():
        builders.observation(report=report, theme=theme)
    return report


def change_url(report):
    return reverse("admin:followup_countyreport_change", args=[report.pk])


def step(client, report, name, status, comment=""):
    url = reverse("admin:followup_countyreport_workflow", args=[report.pk])
    return client.post(url, {"step": name, "status": status, "comment": comment}, follow=True)


def test_full_review_cycle_through_the_admin(client, report, coordinator_04, reviewer):
    client.force_login(coordinator_04)
    page = client.get(change_url(report)).content.decode()
    assert "Skicka in rapporten" in page
    assert "Godkänn rapporten" not in page
    response = step(client, report, "submit", S.DRAFT)
    assert "Rapporten har skickats in till departementet." in response.content.decode()

    client.force_login(reviewer)
    page = client.get(change_url(report)).content.decode()
    assert "Godkänn rapporten" in page and "Returnera till länet" in page
    response = step(client, report, "return", S.SUBMITTED, "Beskriv klusterarbetet i Eskilstuna.")
    assert "Rapporten har returnerats till länet." in response.content.decode()

    client.force_login(coordinator_04)
    page = client.get(change_url(report)).content.decode()
    assert "Rapporten har returnerats" in page
    assert "Beskriv klusterarbetet i Eskilstuna." in page
    step(client, report, "submit", S.RETURNED)

    client.force_login(reviewer)
    step(client, report, "approve", S.SUBMITTED)
    report.refresh_from_db()
    assert report.status == S.APPROVED
    assert list(report.events.values_list("action", flat=True)) == [
        "skicka-in",
        "returnera",
        "skicka-in",
        "godkann",
    ]


def test_return_without_comment_is_refused_with_a_message(client, report, coordinator_04, reviewer):
    client.force_login(coordinator_04)
    step(client, report, "submit", S.DRAFT)
    client.force_login(reviewer)
    response = step(client, report, "return", S.SUBMITTED, "   ")
    assert "Skriv en kommentar" in response.content.decode()
    assert CountyReport.objects.get(pk=report.pk).status == S.SUBMITTED


def test_a_step_on_a_stale_page_is_refused(client, report, coordinator_04, reviewer):
    client.force_login(coordinator_04)
    step(client, report, "submit", S.DRAFT)
    client.force_login(reviewer)
    step(client, report, "approve", S.SUBMITTED)
    # The second reviewer's page still said "submitted".
    response = step(client, report, "return", S.SUBMITTED, "Vänta!")
    assert "Någon annan hann ändra rapporten" in response.content.decode()
    assert CountyReport.objects.get(pk=report.pk).status == S.APPROVED


def test_workflow_url_refuses_get(client, report, coordinator_04):
    client.force_login(coordinator_04)
    url = reverse("admin:followup_countyreport_workflow", args=[report.pk])
    assert client.get(url).status_code == 405


def test_other_countys_coordinator_cannot_submit(client, report, coordinator_05):
    client.force_login(coordinator_05)
    response = step(client, report, "submit", S.DRAFT)
    assert response.status_code == 200
    assert CountyReport.objects.get(pk=report.pk).status == S.DRAFT
    assert not ReviewEvent.objects.exists()


def test_reviewer_gets_no_workflow_steps_on_a_draft(client, report, reviewer):
    client.force_login(reviewer)
    response = step(client, report, "approve", S.DRAFT)
    assert CountyReport.objects.get(pk=report.pk).status == S.DRAFT
    assert response.status_code == 200
