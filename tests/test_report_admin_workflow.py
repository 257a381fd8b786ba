"""The review workflow as people use it: the steps on a county report's admin page."""

import pytest
from django.urls import reverse

from followup.models import CountyReport, ReportStatus, ReviewEvent, Theme
from tests import builders
from tests.admin_forms import page_form_data

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


def step(client, report, name, status, comment="", **extra):
    url = reverse("admin:followup_countyreport_workflow", args=[report.pk])
    data = {"step": name, "status": status, "comment": comment, **extra}
    return client.post(url, data, follow=True)


def submit(client, report, **changes):
    """Press "Spara och skicka in rapporten" on the report's page, with ``changes`` typed."""
    page = client.get(change_url(report))
    data = page_form_data(page) | changes | {"_step": "skicka-in"}
    return client.post(change_url(report), data, follow=True)


def test_full_review_cycle_through_the_admin(client, report, coordinator_04, reviewer):
    client.force_login(coordinator_04)
    page = client.get(change_url(report)).content.decode()
    assert "Spara och skicka in rapporten" in page
    assert "Godkänn rapporten" not in page
    response = submit(client, report)
    assert "rapporten har skickats in till departementet" in response.content.decode()

    client.force_login(reviewer)
    page = client.get(change_url(report)).content.decode()
    assert "Godkänn rapporten" in page and "Returnera till länet" in page
    response = step(
        client, report, "returnera", S.SUBMITTED, "Beskriv klusterarbetet i Eskilstuna."
    )
    assert "Rapporten har returnerats till länet." in response.content.decode()

    client.force_login(coordinator_04)
    page = client.get(change_url(report)).content.decode()
    assert "Rapporten har returnerats" in page
    assert "Beskriv klusterarbetet i Eskilstuna." in page
    submit(client, report)

    client.force_login(reviewer)
    step(client, report, "godkann", S.SUBMITTED)
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
    submit(client, report)
    client.force_login(reviewer)
    response = step(client, report, "returnera", S.SUBMITTED, "   ")
    assert "Skriv en kommentar" in response.content.decode()
    assert CountyReport.objects.get(pk=report.pk).status == S.SUBMITTED


def test_a_step_on_a_stale_page_is_refused(client, report, coordinator_04, reviewer):
    client.force_login(coordinator_04)
    submit(client, report)
    client.force_login(reviewer)
    step(client, report, "godkann", S.SUBMITTED)
    # The second reviewer's page still said "submitted".
    response = step(client, report, "returnera", S.SUBMITTED, "Vänta!")
    assert "Någon annan hann ändra rapporten" in response.content.decode()
    assert CountyReport.objects.get(pk=report.pk).status == S.APPROVED


def test_workflow_url_refuses_get(client, report, coordinator_04):
    client.force_login(coordinator_04)
    url = reverse("admin:followup_countyreport_workflow", args=[report.pk])
    assert client.get(url).status_code == 405


def test_other_countys_coordinator_cannot_submit(client, report, coordinator_04, coordinator_05):
    client.force_login(coordinator_04)
    data = page_form_data(client.get(change_url(report))) | {"_step": "skicka-in"}
    client.force_login(coordinator_05)
    response = client.post(change_url(report), data, follow=True)
    assert response.status_code == 200  # answered like a report that does not exist
    assert response.redirect_chain[-1][0] == reverse("admin:index")
    response = step(client, report, "skicka-in", S.DRAFT)
    assert response.redirect_chain[-1][0] == reverse("admin:index")
    # Its own coordinator submits from the report's form: the review steps' URL takes none.
    client.force_login(coordinator_04)
    response = step(client, report, "skicka-in", S.DRAFT)
    assert "Okänt granskningssteg." in response.content.decode()
    assert CountyReport.objects.get(pk=report.pk).status == S.DRAFT
    assert not ReviewEvent.objects.exists()


def test_typed_summary_is_saved_before_the_report_is_submitted(client, report, coordinator_04):
    client.force_login(coordinator_04)
    response = submit(client, report, summary="Skrivet precis innan inskickningen.")
    assert "Dina ändringar är sparade och rapporten har skickats in" in response.content.decode()
    report.refresh_from_db()
    assert report.status == S.SUBMITTED
    assert report.summary == "Skrivet precis innan inskickningen."
    submitted = report.history.get(status=S.SUBMITTED)
    assert submitted.summary == "Skrivet precis innan inskickningen."  # what the ministry read


def test_typed_text_is_kept_when_the_report_cannot_be_submitted_yet(client, coordinator_04):
    report = builders.county_report(round_obj=builders.follow_up_round(), county_code="04")
    builders.observation(report=report, theme=Theme.objects.first())  # one theme of several
    client.force_login(coordinator_04)
    response = submit(client, report, summary="Halvfärdig sammanfattning.")
    page = response.content.decode()
    assert "Dina ändringar är sparade, men rapporten skickades inte in" in page
    assert "saknar en iakttagelse med bedömning" in page
    report.refresh_from_db()
    assert report.status == S.DRAFT
    assert report.summary == "Halvfärdig sammanfattning."


def test_an_invalid_form_takes_no_step_and_keeps_what_was_typed(client, report, coordinator_04):
    client.force_login(coordinator_04)
    page = client.get(change_url(report))
    data = page_form_data(page) | {
        "_step": "skicka-in",
        "summary": "Min text",
        "observations-0-text": "",
    }
    response = client.post(change_url(report), data)
    assert response.status_code == 200  # the form again, with its error
    assert "Min text" in response.content.decode()
    report.refresh_from_db()
    assert report.status == S.DRAFT and report.summary == ""


def test_submitting_from_a_stale_page_saves_nothing(client, report, coordinator_04):
    client.force_login(coordinator_04)
    data = page_form_data(client.get(change_url(report))) | {"_step": "skicka-in"}
    report.summary = "Sparat av en kollega"
    report.save()
    response = client.post(change_url(report), data | {"summary": "Min äldre text"}, follow=True)
    assert "Någon annan har ändrat" in response.content.decode()
    assert "Min äldre text" in response.content.decode()  # the form again, as typed
    report.refresh_from_db()
    assert (report.status, report.summary) == (S.DRAFT, "Sparat av en kollega")


def test_a_returned_report_gets_the_date_the_reviewer_chose(
    client, report, coordinator_04, reviewer
):
    client.force_login(coordinator_04)
    submit(client, report)
    client.force_login(reviewer)
    response = step(
        client, report, "returnera", S.SUBMITTED, "Komplettera", complete_by="2099-10-01"
    )
    assert "Rapporten har returnerats till länet." in response.content.decode()
    report.refresh_from_db()
    assert report.complete_by.isoformat() == "2099-10-01"
    client.force_login(coordinator_04)
    assert "Komplettera senast 1 oktober 2099" in client.get(change_url(report)).content.decode()


def test_a_malformed_completion_date_is_refused_with_a_message(
    client, report, coordinator_04, reviewer
):
    client.force_login(coordinator_04)
    submit(client, report)
    client.force_login(reviewer)
    response = step(client, report, "returnera", S.SUBMITTED, "Komplettera", complete_by="1 okt")
    assert "Ange datumet för komplettering som ÅÅÅÅ-MM-DD." in response.content.decode()
    assert CountyReport.objects.get(pk=report.pk).status == S.SUBMITTED


def test_reviewer_gets_no_workflow_steps_on_a_draft(client, report, reviewer):
    client.force_login(reviewer)
    response = step(client, report, "godkann", S.DRAFT)
    assert CountyReport.objects.get(pk=report.pk).status == S.DRAFT
    assert response.status_code == 200


def test_the_page_saved_as_a_browser_sends_it_with_its_empty_rows(client, report, coordinator_04):
    """The rows offered for the themes still open are left alone: nothing in them changed."""
    report.observations.order_by("pk").last().delete()  # one theme still open
    client.force_login(coordinator_04)
    page = client.get(change_url(report))
    data = page_form_data(page, extra_rows=True) | {"summary": "Sparad"}
    still_open = report.round.themes.exclude(observations__report=report).count()
    assert still_open > 0
    assert data["observations-TOTAL_FORMS"] == str(report.observations.count() + still_open)
    response = client.post(change_url(report), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    report.refresh_from_db()
    assert report.summary == "Sparad"
