"""A message sent later asks again who may have it (role, county, choice, current address), and
two senders never send one message twice."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocMem
from django.core.management import CommandError, call_command

from followup.models import Notice, ReportStatus
from followup.services import notices
from followup.services.reports import county_report_return
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db


class Down:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "nere")


@pytest.fixture
def returned_while_down(coordinator_04, reviewer, settings, django_capture_on_commit_callbacks):
    coordinator_04.email = "anna@sormland.example"
    coordinator_04.save()
    round_obj = builders.follow_up_round(year=2001)
    report = exports_builders.report(
        round_obj=round_obj, county_code="04", status=ReportStatus.SUBMITTED
    )
    settings.EMAIL_BACKEND = f"{__name__}.Down"
    with django_capture_on_commit_callbacks(execute=True):
        county_report_return(report=report, user=reviewer, comment="Se kommentarerna.")
    (notice,) = Notice.objects.all()
    assert notice.sent_at is None and notice.attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return notice


def test_a_retried_message_is_not_sent_to_a_user_deactivated_meanwhile(
    coordinator_04, returned_while_down
):
    coordinator_04.is_active = False
    coordinator_04.save()
    notices.send_reminders(today=datetime.date(2001, 8, 1))
    assert mail.outbox == []


def test_a_retried_message_is_not_sent_to_a_coordinator_moved_to_another_county(
    coordinator_04, returned_while_down
):
    coordinator_04.counties.set([builders.county("05")])
    notices.send_reminders(today=datetime.date(2001, 8, 1))
    assert mail.outbox == []  # Södermanland's return and comments, to Östergötland's coordinator


def test_a_retried_message_respects_an_opt_out_and_a_new_address(
    coordinator_04, returned_while_down
):
    coordinator_04.notify_steps = False
    coordinator_04.email = "ny@sormland.example"
    coordinator_04.save()
    notices.send_reminders(today=datetime.date(2001, 8, 1))
    assert [m.to for m in mail.outbox] == []


class Slow(LocMem):
    """While the first message is with the mail server, a second sender (send_reminders in
    another process, or the after-commit send of a step) runs."""

    ran = False

    def send_messages(self, messages):
        if not Slow.ran:
            Slow.ran = True
            notices.deliver(list(notices.unsent()))
        return super().send_messages(messages)


def test_two_senders_never_send_one_message_twice(coordinator_04, settings):
    coordinator_04.email = "anna@sormland.example"
    coordinator_04.save()
    round_obj = builders.follow_up_round(year=2001)
    notice = Notice.objects.create(
        round=round_obj,
        county=builders.county("04"),
        kind=Notice.Kind.OVERDUE,
        key="x",
        recipient=coordinator_04,
        address=coordinator_04.email,
        attempts=0,
    )
    settings.EMAIL_BACKEND = f"{__name__}.Slow"
    notices.deliver([Notice.objects.get(pk=notice.pk)])
    assert len(mail.outbox) == 1, [m.to for m in mail.outbox]


def test_a_bad_date_fails_cleanly():
    for bad in ("2001-02-30", "igår", "2001-1-1"):
        with pytest.raises(CommandError):
            call_command("send_reminders", today=bad)
