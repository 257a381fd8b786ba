"""E-mail at its edges: a plain-text subject, comments in the approval, "Påminn länet" once a
day, a reminder no longer due, a reopened report marked as sent again."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from agreements.models import County
from followup.models import Notice, ReportStatus
from followup.services import comments as service
from followup.services import notices
from followup.services.reports import county_report_approve
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db


def test_the_subject_is_plain_text_not_html_escaped(
    reviewer, coordinator_04, django_capture_on_commit_callbacks
):
    reviewer.email = "eva@departementet.example"
    reviewer.save()
    County.objects.filter(code="04").update(name="Söder & <Manland>")
    round_obj = builders.follow_up_round(year=2001)
    report = exports_builders.report(round_obj=round_obj, county_code="04")
    from followup.services.reports import county_report_submit

    with django_capture_on_commit_callbacks(execute=True):
        county_report_submit(report=report, user=coordinator_04)
    (message,) = mail.outbox
    assert message.subject.startswith("Söder & <Manland>"), message.subject


def test_comments_sent_with_an_approval_are_in_the_approval_mail(
    reviewer, coordinator_04, django_capture_on_commit_callbacks
):
    coordinator_04.email = "anna@sormland.example"
    coordinator_04.save()
    report = exports_builders.report(
        round_obj=builders.follow_up_round(year=2001), county_code="04",
        status=ReportStatus.SUBMITTED,
    )  # fmt: skip
    service.comment_add(report=report, user=reviewer, text="Tänk på detta till nästa år.")
    with django_capture_on_commit_callbacks(execute=True):
        county_report_approve(report=report, user=reviewer)
    (message,) = mail.outbox
    assert "Tänk på detta till nästa år." in message.body


def test_pressing_paminn_lanet_twice_mails_the_county_once(
    client, reviewer, coordinator_04, django_capture_on_commit_callbacks
):
    coordinator_04.email = "anna@sormland.example"
    coordinator_04.save()
    builders.follow_up_round(year=2001)  # deadline 2001-09-15: late today
    client.force_login(reviewer)
    url = reverse("site:county_remind", args=[2001, "04"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert len(mail.outbox) == 1
    assert [str(m) for m in response.context["messages"]][-1] == (
        "Södermanlands län har redan påmints i dag. Länet kan påminnas igen i morgon."
    )


def test_a_retried_overdue_reminder_is_not_sent_after_the_county_submitted(coordinator_04):
    coordinator_04.email = "anna@sormland.example"
    coordinator_04.save()
    round_obj = builders.follow_up_round(year=2001, deadline=datetime.date(2001, 9, 15))
    Notice.objects.create(
        round=round_obj,
        county=builders.county("04"),
        kind=Notice.Kind.OVERDUE,
        key="20010915-v0",
        recipient=coordinator_04,
        address=coordinator_04.email,
        attempts=1,
    )  # failed on 16 September
    exports_builders.report(round_obj=round_obj, county_code="04", status=ReportStatus.SUBMITTED)
    notices.send_reminders(today=datetime.date(2001, 9, 17))
    assert mail.outbox == [], mail.outbox[0].body


def test_a_report_reopened_and_sent_again_is_marked_resubmitted(
    reviewer, coordinator_04, superuser
):
    from followup.selectors.todo import reviewer_todo
    from followup.services.reports import county_report_reopen, county_report_submit

    report = exports_builders.report(
        round_obj=builders.follow_up_round(year=2001), county_code="04",
        status=ReportStatus.SUBMITTED,
    )  # fmt: skip
    county_report_approve(report=report, user=reviewer)
    county_report_reopen(report=report, user=superuser, reason="Fel belopp")
    report.refresh_from_db()
    county_report_submit(report=report, user=coordinator_04)
    (item,) = reviewer_todo(user=reviewer, today=datetime.date(2001, 10, 1))
    assert item.resubmitted
