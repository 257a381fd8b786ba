"""Review steps taken on a county's page: POST-only forms calling the workflow services, with
the outcome told in Swedish and the user sent back to the page."""

import pytest
from django.urls import reverse

from followup.models import ReportStatus, ReviewEvent
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_obj():
    return builders.follow_up_round(year=2001)


def report_in(round_obj, code, status):
    return exports_builders.report(round_obj=round_obj, county_code=code, status=status)


def step(client, user, code, step_name, status, comment="", *, confirmed=True):
    """Take a step as the page posts it (an approval or return after its confirmation page)."""
    client.force_login(user)
    data = {"step": step_name, "status": status, "comment": comment}
    return client.post(
        reverse("site:county_workflow", args=[2001, code]),
        data | ({"confirmed": "1"} if confirmed else {}),
        follow=True,
    )


def said(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_coordinator_submits_their_report(client, coordinator_04, round_obj):
    report = report_in(round_obj, "04", ReportStatus.DRAFT)
    response = step(client, coordinator_04, "04", "skicka-in", ReportStatus.DRAFT)
    assert response.redirect_chain[-1][0] == reverse("site:county", args=[2001, "04"])
    assert said(response) == ["Rapporten har skickats in till departementet."]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.frozen_figures is not None


def test_reviewer_must_say_why_a_report_is_returned(client, reviewer, round_obj):
    report = report_in(round_obj, "04", ReportStatus.SUBMITTED)
    response = step(client, reviewer, "04", "returnera", ReportStatus.SUBMITTED, comment="  ")
    assert said(response) == ["Skriv en kommentar som talar om för länet vad som behöver åtgärdas."]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_returned_comment_reaches_the_coordinator(client, reviewer, coordinator_04, round_obj):
    report = report_in(round_obj, "04", ReportStatus.SUBMITTED)
    response = step(
        client, reviewer, "04", "returnera", ReportStatus.SUBMITTED, "Komplettera kluster"
    )
    assert said(response) == ["Rapporten har returnerats till länet."]
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    client.force_login(coordinator_04)
    content = client.get(reverse("site:county", args=[2001, "04"])).content.decode()
    assert "Komplettera kluster" in content
    assert 'name="step" value="skicka-in"' in content


def test_reviewer_approves_and_the_report_is_locked(client, reviewer, round_obj):
    report = report_in(round_obj, "04", ReportStatus.SUBMITTED)
    response = step(client, reviewer, "04", "godkann", ReportStatus.SUBMITTED)
    assert said(response) == ["Rapporten är godkänd och därmed låst."]
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert response.context["steps"] == []


def test_administrator_reopens_an_approved_report(client, administrator, round_obj):
    report = report_in(round_obj, "04", ReportStatus.APPROVED)
    response = step(client, administrator, "04", "oppna-igen", ReportStatus.APPROVED, "Fel belopp")
    assert said(response) == ["Rapporten är öppnad igen och returnerad till länet."]
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED


def test_coordinator_cannot_approve_their_own_report(client, coordinator_04, round_obj):
    report = report_in(round_obj, "04", ReportStatus.SUBMITTED)
    response = step(client, coordinator_04, "04", "godkann", ReportStatus.SUBMITTED)
    assert said(response) == ["Bara departementets handläggare kan godkänna rapporten."]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_step_from_a_stale_page_loses_to_the_one_taken_meanwhile(client, reviewer, round_obj):
    report = report_in(round_obj, "04", ReportStatus.SUBMITTED)
    builders.set_status(report, ReportStatus.APPROVED)
    response = step(client, reviewer, "04", "returnera", ReportStatus.SUBMITTED, "Sent")
    assert said(response)[0].startswith("Någon annan hann ändra rapporten före dig")
    assert not ReviewEvent.objects.filter(report=report).exists()


def test_an_unknown_step_is_refused(client, reviewer, round_obj):
    report_in(round_obj, "04", ReportStatus.SUBMITTED)
    response = step(client, reviewer, "04", "radera", ReportStatus.SUBMITTED)
    assert said(response) == ["Okänt granskningssteg."]


def test_steps_on_an_invisible_report_answer_404_and_change_nothing(
    client, reviewer, coordinator_05, round_obj
):
    draft = report_in(round_obj, "05", ReportStatus.DRAFT)
    submitted = report_in(round_obj, "04", ReportStatus.SUBMITTED)
    client.force_login(reviewer)
    url = reverse("site:county_workflow", args=[2001, "05"])
    assert client.post(url, {"step": "godkann", "status": "utkast"}).status_code == 404
    client.force_login(coordinator_05)
    url = reverse("site:county_workflow", args=[2001, "04"])
    assert client.post(url, {"step": "skicka-in", "status": "inskickad"}).status_code == 404
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert (draft.status, submitted.status) == (ReportStatus.DRAFT, ReportStatus.SUBMITTED)


def test_workflow_is_post_only(client, reviewer, round_obj):
    report_in(round_obj, "04", ReportStatus.SUBMITTED)
    client.force_login(reviewer)
    assert client.get(reverse("site:county_workflow", args=[2001, "04"])).status_code == 405


def test_workflow_needs_the_csrf_token(reviewer, round_obj):
    from django.test import Client

    report = report_in(round_obj, "04", ReportStatus.SUBMITTED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    url = reverse("site:county_workflow", args=[2001, "04"])
    assert client.post(url, {"step": "godkann", "status": "inskickad"}).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_refused_step_keeps_the_comment_typed(client, reviewer, round_obj):
    """A return refused for its date: the page comes back with the comment still in its box."""
    report_in(round_obj, "04", ReportStatus.SUBMITTED)
    client.force_login(reviewer)
    url = reverse("site:county_workflow", args=[2001, "04"])
    comment = "Beskriv de lokala partnerskapen närmare, med kommunerna som deltar."
    for date in ("2000-01-01", "2001-02-30", "nästa vecka"):
        data = {"step": "returnera", "status": "inskickad", "comment": comment, "complete_by": date}
        response = client.post(url, data, follow=True)
        page = response.content.decode()
        assert comment in page, date  # in the textarea again
        assert response.context["report"].status == ReportStatus.SUBMITTED


def test_approving_is_not_stopped_by_the_date_beside_it(client, reviewer, round_obj):
    report = report_in(round_obj, "04", ReportStatus.SUBMITTED)
    response = step(client, reviewer, "04", "godkann", ReportStatus.SUBMITTED, "Bra rapport.")
    assert said(response) == ["Rapporten är godkänd och därmed låst."]
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_a_comment_over_five_thousand_characters_is_refused_and_kept(client, reviewer, round_obj):
    report_in(round_obj, "04", ReportStatus.SUBMITTED)
    response = step(client, reviewer, "04", "returnera", ReportStatus.SUBMITTED, "x" * 5001)
    assert said(response) == ["Kommentaren får vara högst 5000 tecken; den har 5001."]
    assert response.context["typed"]["comment"] == "x" * 5000  # kept (as far as it may go)
    again = client.get(reverse("site:county", args=[2001, "04"]))
    assert again.context["typed"] == {}  # shown once, then forgotten


@pytest.mark.parametrize(
    ("step_name", "heading", "button"),
    [
        ("godkann", "Godkänna rapporten från Södermanlands län för uppföljningen 2001?",
         "Ja, godkänn rapporten från Södermanlands län"),
        ("returnera", "Returnera rapporten från Södermanlands län för uppföljningen 2001?",
         "Ja, returnera rapporten till Södermanlands län"),
    ],
)  # fmt: skip
def test_a_decision_is_confirmed_on_a_page_naming_the_county_and_round(
    client, reviewer, round_obj, step_name, heading, button
):
    report = report_in(round_obj, "04", ReportStatus.SUBMITTED)
    comment = "Rad ett.\nRad två med <b>fetstil</b> & mer."
    response = step(client, reviewer, "04", step_name, ReportStatus.SUBMITTED, comment,
                    confirmed=False)  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and response.redirect_chain == []
    assert f"<h1>{heading}</h1>" in page and f">{button}</button>" in page
    assert "Rad två med &lt;b&gt;fetstil&lt;/b&gt; &amp; mer." in page
    assert 'name="confirmed" value="1"' in page
    assert f'href="{reverse("site:county", args=[2001, "04"])}#beslut"' in page  # back: nothing
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and not report.events.exists()
    # confirmed: the comment arrives as typed, line break included
    step(client, reviewer, "04", step_name, ReportStatus.SUBMITTED, comment)
    report.refresh_from_db()
    assert report.status != ReportStatus.SUBMITTED
    assert report.events.get().comment == comment


def test_a_return_without_a_comment_is_refused_before_the_confirmation(client, reviewer,
                                                                       round_obj):  # fmt: skip
    report_in(round_obj, "04", ReportStatus.SUBMITTED)
    response = step(client, reviewer, "04", "returnera", ReportStatus.SUBMITTED, "  ",
                    confirmed=False)  # fmt: skip
    assert said(response) == ["Skriv en kommentar som talar om för länet vad som behöver åtgärdas."]
    assert response.redirect_chain[-1][0] == reverse("site:county", args=[2001, "04"])


def test_submitting_needs_no_confirmation(client, coordinator_04, round_obj):
    report = report_in(round_obj, "04", ReportStatus.DRAFT)
    step(client, coordinator_04, "04", "skicka-in", ReportStatus.DRAFT, confirmed=False)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
