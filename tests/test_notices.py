"""E-mail about the review: who gets what when a report is submitted, returned or approved,
what it says (plain text and HTML), that a mail server down never stops a review step, the
reminder schedule over a simulated month, and a reviewer reminding a late county."""

import datetime
import io
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from followup.models import Notice, ReportStatus
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2001, 9, 15)


@pytest.fixture
def round_obj():
    return builders.follow_up_round(year=2001, deadline=DEADLINE)


@pytest.fixture
def people(coordinator_04, coordinator_05, reviewer, administrator, django_user_model):
    """Everyone with an address, and one of each who wants no e-mail or has no address."""
    for user, address in (
        (coordinator_04, "anna@sormland.example"),
        (coordinator_05, "olle@ostergotland.example"),
        (reviewer, "handlaggare@departementet.example"),
        (administrator, "admin@departementet.example"),
    ):
        user.email, user.first_name = address, address.split("@")[0].capitalize()
        user.save()
    quiet = builders.user("tyst04", role="coordinator", counties=["04"],
                          email="tyst@sormland.example", notify_steps=False,
                          notify_reminders=False)  # fmt: skip
    no_address = builders.user("utanadress", role="reviewer")
    return {"c04": coordinator_04, "c05": coordinator_05, "reviewer": reviewer,
            "quiet": quiet, "no_address": no_address}  # fmt: skip


def step(client, user, name, status, comment="", complete_by=""):
    client.force_login(user)
    return client.post(
        reverse("site:county_workflow", args=[2001, "04"]),
        {
            "step": name,
            "status": status,
            "comment": comment,
            "complete_by": complete_by,
            "confirmed": "1",
        },  # fmt: skip
        follow=True,
    )


@pytest.fixture
def on_20_september(monkeypatch):
    """The site's today: 20 September 2001, five days after the round's deadline."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2001, 9, 20))


def test_each_review_step_mails_those_it_concerns(client, people, round_obj, on_20_september,
                                                 django_capture_on_commit_callbacks):  # fmt: skip
    exports_builders.report(round_obj=round_obj, county_code="04", status=ReportStatus.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        step(client, people["c04"], "skicka-in", ReportStatus.DRAFT)
    (submitted,) = mail.outbox
    assert submitted.to == ["handlaggare@departementet.example"]
    assert submitted.subject == "Södermanlands län har skickat in sin rapport för 2001"
    assert "Södermanlands län har skickat in sin rapport för uppföljningsomgången 2001 (Anna)." in (
        submitted.body
    )
    assert "http://localhost:8000/omgang/2001/lan/04/" in submitted.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        step(client, people["reviewer"], "returnera", ReportStatus.SUBMITTED,
             comment="Temat Kompetens saknar underlag.\nLägg till projekten.",
             complete_by="2001-10-01")  # fmt: skip
    (returned,) = mail.outbox
    assert returned.to == ["anna@sormland.example"]  # not Östergötland, not the quiet one
    assert returned.subject == "Er rapport för 2001 har returnerats för komplettering"
    assert returned.body == (
        "Hej Anna,\n\n"
        "Departementet har returnerat rapporten från Södermanlands län för uppföljningsomgången "
        "2001. Komplettera och skicka in den igen senast 1 oktober 2001.\n\n"
        "Kommentar:\n\n"
        "> Temat Kompetens saknar underlag.\n"
        "> Lägg till projekten.\n\n"
        "Länets sida: http://localhost:8000/omgang/2001/lan/04/\n\n"
        "-- \n"
        "Meddelandet skickades av uppföljningssystemet för de regionala tillväxtavtalen.\n"
        "Vilka meddelanden du får väljer du på din profilsida: "
        "http://localhost:8000/konto/profil/\n"
    )
    ((html, mimetype),) = returned.alternatives
    assert mimetype == "text/html"
    assert "<blockquote>Temat Kompetens saknar underlag.<br>Lägg till projekten.</blockquote>" in (
        html
    )
    assert '<a href="http://localhost:8000/omgang/2001/lan/04/">' in html

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        step(client, people["c04"], "skicka-in", ReportStatus.RETURNED)
        step(client, people["reviewer"], "godkann", ReportStatus.SUBMITTED)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["handlaggare@departementet.example"],
         "Södermanlands län har skickat in sin rapport för 2001"),
        (["anna@sormland.example"], "Er rapport för 2001 är godkänd"),
    ]  # fmt: skip
    assert Notice.objects.filter(sent_at=None).count() == 0
    assert Notice.objects.count() == 4


def test_a_comment_cannot_inject_markup_into_the_html(
    client, people, round_obj, on_20_september, django_capture_on_commit_callbacks
):
    exports_builders.report(round_obj=round_obj, county_code="04", status=ReportStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        step(client, people["reviewer"], "returnera", ReportStatus.SUBMITTED,
             comment='<a href="https://elak.example">Klicka</a> & <b>mer</b>')  # fmt: skip
    ((html, _mimetype),) = mail.outbox[0].alternatives
    assert "&lt;a href=&quot;https://elak.example&quot;&gt;Klicka&lt;/a&gt; &amp;" in html
    assert '<a href="https://elak.example">' not in html
    assert '> <a href="https://elak.example">Klicka</a> & <b>mer</b>' in mail.outbox[0].body


class Down:
    """An e-mail backend whose server does not answer."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "Tjänsten är inte tillgänglig")


def test_a_mail_server_down_never_stops_a_step_and_the_message_is_sent_later(
    client, people, round_obj, settings, django_capture_on_commit_callbacks
):
    report = exports_builders.report(
        round_obj=round_obj, county_code="04", status=ReportStatus.DRAFT
    )
    settings.EMAIL_BACKEND = f"{__name__}.Down"
    with django_capture_on_commit_callbacks(execute=True):
        response = step(client, people["c04"], "skicka-in", ReportStatus.DRAFT)
    assert [str(m) for m in response.context["messages"]] == [
        "Rapporten har skickats in till departementet."
    ]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    (notice,) = Notice.objects.all()
    assert (notice.sent_at, notice.attempts) == (None, 1)
    assert "Tjänsten är inte tillgänglig" in notice.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("send_reminders", today="2001-08-01", stdout=out)
    assert [m.subject for m in mail.outbox] == [
        "Södermanlands län har skickat in sin rapport för 2001"
    ]
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.attempts == 2 and notice.last_error == ""
    assert "handlaggare@departementet.example: Södermanlands län – Rapport inskickad" in (
        out.getvalue()
    )


def test_the_reminder_schedule_over_a_month_twice_a_day(people, round_obj):
    """Södermanland has a draft, Östergötland no report, Stockholm has submitted, Uppsala's
    report was returned to be completed by 25 September."""
    builders.county_report(round_obj=round_obj, county_code="04")
    exports_builders.report(round_obj=round_obj, county_code="01", status=ReportStatus.SUBMITTED)
    returned = exports_builders.report(
        round_obj=round_obj, county_code="03", status=ReportStatus.RETURNED
    )
    returned.__class__._base_manager.filter(pk=returned.pk).update(
        complete_by=datetime.date(2001, 9, 25)
    )
    uppsala = builders.user("samordnare03", role="coordinator", counties=["03"],
                            email="eva@uppsala.example")  # fmt: skip
    assert uppsala.notify_reminders

    sent = []
    day = datetime.date(2001, 8, 25)
    while day <= datetime.date(2001, 10, 10):
        for _run in range(2):
            mail.outbox.clear()
            out = io.StringIO()
            call_command("send_reminders", today=day.isoformat(), stdout=out)
            sent += [(day.isoformat(), m.to[0], m.subject) for m in mail.outbox]
            assert out.getvalue().endswith(
                f"{len(mail.outbox)} meddelanden skickade, 0 misslyckades.\n"
            )
        day += datetime.timedelta(days=1)

    before = "Påminnelse: rapporten för 2001 ska vara inskickad senast 15 september"
    late = "Påminnelse: rapporten för 2001 är försenad"
    completion = "Påminnelse: kompletteringen av rapporten för 2001 är försenad"
    expected = []
    for address in ("anna@sormland.example", "olle@ostergotland.example"):
        expected += [("2001-09-01", address, before), ("2001-09-12", address, before)]
        expected += [(d, address, late) for d in ("2001-09-16", "2001-09-23", "2001-09-30",
                                                   "2001-10-07")]  # fmt: skip
    expected += [("2001-09-26", "eva@uppsala.example", completion),
                 ("2001-10-03", "eva@uppsala.example", completion),
                 ("2001-10-10", "eva@uppsala.example", completion)]  # fmt: skip
    assert sorted(sent) == sorted(expected)


def test_a_late_start_sends_the_nearest_reminder_only_and_says_how_many_days(people, round_obj):
    builders.county_report(round_obj=round_obj, county_code="04")
    call_command("send_reminders", today="2001-09-13", stdout=io.StringIO())
    mine = [m for m in mail.outbox if m.to == ["anna@sormland.example"]]
    (reminder,) = mine
    assert (
        "Rapporten från Södermanlands län för uppföljningsomgången 2001 ska vara inskickad "
        "senast 15 september 2001, om 2 dagar." in reminder.body
    )


def test_a_dry_run_says_what_would_be_sent_and_sends_nothing(people, round_obj):
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", today="2001-09-12", stdout=out)
    assert mail.outbox == [] and not Notice.objects.exists()
    assert "  anna@sormland.example: Södermanlands län – Påminnelse före sista dag\n" in (
        out.getvalue()
    )
    assert out.getvalue().endswith(
        "2001-09-12: 2 påminnelser skulle skickas, och 0 tidigare meddelanden försökas igen "
        "(inget skickat).\n"
    )


def test_a_closed_round_sends_no_reminders(people, round_obj):
    round_obj.__class__.objects.filter(pk=round_obj.pk).update(status="avslutad")
    call_command("send_reminders", today="2001-09-20", stdout=io.StringIO())
    assert mail.outbox == []


def test_a_reviewer_reminds_a_late_county_from_the_board(
    client, people, round_obj, on_20_september, django_capture_on_commit_callbacks
):
    client.force_login(people["reviewer"])
    board = client.get(reverse("site:board", args=[2001])).content.decode()
    assert board.count(">Påminn länet<") == 21  # every county is late and none has reported
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("site:county_remind", args=[2001, "04"]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Södermanlands län har påmints: 1 meddelande till länets samordnare."
    ]
    (reminder,) = mail.outbox
    assert reminder.to == ["anna@sormland.example"]
    assert "Departementet ber er skicka in den så snart som möjligt." in reminder.body
    page = client.get(reverse("site:county", args=[2001, "04"])).content.decode()
    assert "Påminnelser från departementet" in page and "Påminde länet" in page

    # a county that is not late, and one whose coordinators have no address
    exports_builders.report(round_obj=round_obj, county_code="01", status=ReportStatus.SUBMITTED)
    response = client.post(reverse("site:county_remind", args=[2001, "01"]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Stockholms län är inte försenat i omgången Uppföljning 2001 och påminns inte."
    ]
    response = client.post(reverse("site:county_remind", args=[2001, "06"]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Jönköpings län har ingen regional samordnare med e-postadress som vill ha "
        "påminnelser. Kontakta länet på annat sätt."
    ]
    assert len(mail.outbox) == 1

    # a coordinator cannot remind, not even their own county
    client.force_login(people["c04"])
    assert client.post(reverse("site:county_remind", args=[2001, "04"])).status_code == 403
    assert client.post(reverse("site:county_remind", args=[2001, "05"])).status_code == 404


def test_the_profile_page_keeps_the_users_own_choices(client, people):
    user = people["c04"]
    client.force_login(user)
    page = client.get(reverse("site:profile"))
    assert page.status_code == 200
    response = client.post(
        reverse("site:profile"),
        {"email": "anna.ny@sormland.example", "notify_steps": "on"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["Dina val för e-post är sparade."]
    user.refresh_from_db()
    assert (user.email, user.notify_steps, user.notify_reminders) == (
        "anna.ny@sormland.example", True, False,
    )  # fmt: skip
    response = client.post(reverse("site:profile"), {"email": "inte en adress"})
    assert response.status_code == 200
    assert "Fyll i en giltig e-postadress." in response.content.decode()
    user.refresh_from_db()
    assert user.email == "anna.ny@sormland.example"


@pytest.mark.django_db(transaction=True)
def test_in_production_the_messages_go_from_a_thread_of_their_own(
    client, people, round_obj, settings, monkeypatch
):
    """The step's page does not wait for the mail server: the messages are sent by a thread
    started once the step is saved (here joined, to read what it sent)."""
    import threading

    started = []
    real_thread = threading.Thread

    def recording_thread(*args, **kwargs):
        thread = real_thread(*args, **kwargs)
        started.append(thread)
        return thread

    monkeypatch.setattr(threading, "Thread", recording_thread)
    settings.NOTICES_IN_BACKGROUND = True
    exports_builders.report(round_obj=round_obj, county_code="04", status=ReportStatus.DRAFT)
    step(client, people["c04"], "skicka-in", ReportStatus.DRAFT)
    (thread,) = started
    assert thread.daemon
    thread.join(timeout=30)
    assert [m.to for m in mail.outbox] == [["handlaggare@departementet.example"]]
    assert Notice.objects.get().sent_at is not None
