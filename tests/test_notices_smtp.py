"""The e-mail settings against a real SMTP server (aiosmtpd on 127.0.0.1, started here): the
host, port, user and password from the settings reach it, messages arrive whole (Swedish
characters, plain text and HTML), and a month of reminders sent twice a day arrives once."""

import datetime
import email
import email.policy
import io
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from django.core.management import call_command

from followup.models import Notice
from tests import builders

pytestmark = pytest.mark.django_db


class Mailbox:
    def __init__(self):
        self.messages = []
        self.logins = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, parsed))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    mailbox = Mailbox()

    def authenticator(server, session, envelope, mechanism, auth_data):
        mailbox.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        ok = (auth_data.login, auth_data.password) == (b"uppfoljning", b"hemligt-i-testet")
        return AuthResult(success=ok)

    port = _free_port()
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=port, authenticator=authenticator,
        auth_require_tls=False,
    )  # fmt: skip
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "uppfoljning", "hemligt-i-testet"
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "uppfoljning@departementet.example"
    yield mailbox
    controller.stop()


def test_a_month_of_reminders_through_a_real_smtp_server(smtp_server):
    round_obj = builders.follow_up_round(year=2001, deadline=datetime.date(2001, 9, 15))
    builders.county_report(round_obj=round_obj, county_code="04")
    builders.user("samordnare04", role="coordinator", counties=["04"],
                  email="asa@sormland.example", first_name="Åsa")  # fmt: skip

    day = datetime.date(2001, 8, 25)
    while day <= datetime.date(2001, 9, 25):
        for _run in range(2):  # cron twice a day: the second run sends nothing
            call_command("send_reminders", today=day.isoformat(), stdout=io.StringIO())
        day += datetime.timedelta(days=1)

    assert smtp_server.logins and set(smtp_server.logins) == {("uppfoljning", "hemligt-i-testet")}
    received = [(rcpt, message["Subject"].strip()) for rcpt, message in smtp_server.messages]
    before = "Påminnelse: rapporten för 2001 ska vara inskickad senast 15 september"
    late = "Påminnelse: rapporten för 2001 är försenad"
    assert received == [
        (["asa@sormland.example"], before),  # 1 September
        (["asa@sormland.example"], before),  # 12 September
        (["asa@sormland.example"], late),  # 16 September
        (["asa@sormland.example"], late),  # 23 September
    ]
    first = smtp_server.messages[0][1]
    assert first["From"] == "uppfoljning@departementet.example"
    text = first.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    html = first.get_body(preferencelist=("html",)).get_content()
    assert text.startswith("Hej Åsa,\n\nRapporten från Södermanlands län")
    assert "om 14 dagar." in text and "om 14 dagar." in html
    assert Notice.objects.filter(sent_at=None).count() == 0


def test_a_mail_server_that_does_not_answer_leaves_the_message_to_be_sent_again(
    smtp_server, settings
):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()  # nothing listens there
    round_obj = builders.follow_up_round(year=2001, deadline=datetime.date(2001, 9, 15))
    builders.user("samordnare04", role="coordinator", counties=["04"], email="a@example.se")
    out, err = io.StringIO(), io.StringIO()
    call_command("send_reminders", today="2001-09-12", stdout=out, stderr=err)
    assert out.getvalue().endswith("2001-09-12: 0 meddelanden skickade, 1 misslyckades.\n")
    assert "försöks igen vid nästa körning" in err.getvalue()
    (notice,) = Notice.objects.all()
    assert notice.sent_at is None and notice.attempts == 1
    assert "Connection refused" in notice.last_error

    settings.EMAIL_PORT = port
    call_command("send_reminders", today="2001-09-13", stdout=out)
    assert [m["Subject"].strip() for _rcpt, m in smtp_server.messages] == [
        "Påminnelse: rapporten för 2001 ska vara inskickad senast 15 september"
    ]
    assert round_obj.notices.get().sent_at is not None
