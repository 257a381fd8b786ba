"""E-mail about the review: to the county's coordinators when its report is returned or
approved, to the ministry's reviewers when one is submitted, reminders before and after the
deadline, and the reminder a reviewer sends a late county.

A message is first a ``Notice`` row, written in the transaction of what it is about; it is sent
after that transaction commits, and a failure (the mail server down, a refused address) is
logged and left unsent: the review step it belongs to has happened whatever the mail server
says, and ``send_reminders`` tries again. Each user chooses on their profile page which messages
they want; users without an address get none.
"""

import datetime
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connections, transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from agreements.models import County
from core import access
from core.refusals import WriteRefused
from core.roles import Role
from followup.models import CountyReport, FollowUpRound, Notice, ReviewEvent, RoundStatus, User
from followup.selectors.board import MISSING, due_date

logger = logging.getLogger(__name__)

Kind = Notice.Kind
# A message that failed this many times is left for an operator (the admin lists it).
MAX_ATTEMPTS = 5
# How long a sender holds a message it is sending (a sender that died lets go after this).
CLAIM = datetime.timedelta(minutes=10)
STEP_KINDS = {
    ReviewEvent.Action.SUBMIT: Kind.SUBMITTED,
    ReviewEvent.Action.RETURN: Kind.RETURNED,
    ReviewEvent.Action.APPROVE: Kind.APPROVED,
    ReviewEvent.Action.REOPEN: Kind.RETURNED,
}
REMINDER_KINDS = (Kind.BEFORE_DEADLINE, Kind.OVERDUE, Kind.COMPLETION_OVERDUE, Kind.REMINDED)


class NoticeRefused(WriteRefused):
    """A reminder that may not be sent; the message says why, in Swedish."""


# --- who gets what -------------------------------------------------------------------------


def recipients(*, kind: str, county_id: int) -> QuerySet:
    """Active users with an address who want ``kind``: the ministry's reviewers for a submitted
    report, the county's coordinators for everything else."""
    users = User.objects.filter(is_active=True).exclude(email="")
    if kind == Kind.SUBMITTED:
        users = users.filter(groups__name=Role.REVIEWER, notify_steps=True)
    else:
        users = users.filter(groups__name=Role.COORDINATOR, counties=county_id)
        wants = {"notify_reminders": True} if kind in REMINDER_KINDS else {"notify_steps": True}
        users = users.filter(**wants)
    return users.distinct().order_by("pk")


def _queue(*, round_id: int, county_id: int, kind: str, key: str, sent_by=None) -> list[Notice]:
    """One unsent Notice per recipient; none again for a (kind, key) already queued."""
    made = []
    for user in recipients(kind=kind, county_id=county_id):
        try:
            with transaction.atomic():
                made.append(
                    Notice.objects.create(
                        round_id=round_id,
                        county_id=county_id,
                        kind=kind,
                        key=key,
                        recipient=user,
                        address=user.email,
                        sent_by=sent_by,
                    )
                )
        except IntegrityError:  # queued before (notice_once): sent once only
            continue
    return made


def _send_after_commit(notices: list[Notice]) -> None:
    """Once the step's transaction commits, send its messages — in a thread of their own, so
    the person who took the step never waits for the mail server (``NOTICES_IN_BACKGROUND``;
    the tests send in the request's thread). A message the thread could not send stays unsent
    for ``send_reminders``."""
    ids = [notice.pk for notice in notices]
    if not ids:
        return
    if settings.NOTICES_IN_BACKGROUND:
        start = threading.Thread(target=_deliver_in_thread, args=(ids,), daemon=True).start
        transaction.on_commit(start)
    else:
        transaction.on_commit(lambda: deliver(Notice.objects.filter(pk__in=ids)))


def _deliver_in_thread(ids: list[int]) -> None:
    try:
        deliver(Notice.objects.filter(pk__in=ids))
    except Exception:  # noqa: BLE001 - a thread has no one to tell; send_reminders retries
        logger.exception("E-mail %s not sent; send_reminders will try again", ids)
    finally:
        connections.close_all()  # this thread's own connection


def queue_step_notices(*, report: CountyReport, event: ReviewEvent) -> None:
    """Called by the workflow step in its transaction: the messages go out once it commits.
    Never fails the step: a problem here is logged, and the step stands."""
    try:
        with transaction.atomic():
            notices = _queue(
                round_id=report.round_id,
                county_id=report.county_id,
                kind=STEP_KINDS[ReviewEvent.Action(event.action)],
                key=f"steg-{event.pk}",
                sent_by=event.actor,
            )
    except Exception:  # noqa: BLE001 - the review step must stand whatever happens here
        logger.exception("Could not queue e-mail for review event %s", event.pk)
        return
    _send_after_commit(notices)


# --- sending -------------------------------------------------------------------------------


def deliver(notices: Iterable[Notice], *, today: datetime.date | None = None) -> tuple[int, int]:
    """Send each unsent notice once; (sent, failed).

    A notice is claimed before it is sent (one conditional UPDATE that only one sender wins,
    held for ``CLAIM_MINUTES``), so two senders — a step's thread and ``send_reminders``, or two
    runs — never send it twice. Before each attempt it is asked again whether it is still
    wanted: its recipient still holds the role (in the county), wants such messages and has an
    address — the current one is used — and a reminder is still due. If not, it is dropped."""
    today = today or timezone.localdate()
    sent = failed = 0
    for notice in notices:
        now = timezone.now()
        claimed = (
            Notice.objects.filter(pk=notice.pk, sent_at=None, dropped_at=None)
            .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - CLAIM))
            .update(claimed_at=now, attempts=F("attempts") + 1)
        )
        if not claimed:
            continue
        notice.refresh_from_db()
        reason = drop_reason(notice, today=today)
        if reason:
            Notice.objects.filter(pk=notice.pk).update(
                dropped_at=now, claimed_at=None, last_error=reason[:300]
            )
            continue
        notice.address = notice.recipient.email
        try:
            _message(notice, today=today).send()
        except Exception as error:  # noqa: BLE001 - any failure of the mail server is logged
            failed += 1
            logger.warning(
                "E-mail %s to user %s not sent: %s", notice.pk, notice.recipient_id, error
            )
            Notice.objects.filter(pk=notice.pk).update(claimed_at=None, last_error=str(error)[:300])
        else:
            sent += 1
            notice.sent_at = timezone.now()
            Notice.objects.filter(pk=notice.pk).update(
                sent_at=notice.sent_at, claimed_at=None, last_error="", address=notice.address
            )
    return sent, failed


def drop_reason(notice: Notice, *, today: datetime.date) -> str | None:
    """Why ``notice`` is no longer to be sent (in English, for the operator); None if it is."""
    if (
        not recipients(kind=notice.kind, county_id=notice.county_id)
        .filter(pk=notice.recipient_id)
        .exists()
    ):
        return "The recipient no longer holds the role, wants these messages or has an address."
    if notice.kind in REMINDER_KINDS:
        report = CountyReport.objects.filter(round=notice.round_id, county=notice.county_id).first()
        if not is_late(round_obj=notice.round, report=report, today=today) and (
            notice.kind != Kind.BEFORE_DEADLINE or _due(notice.round, report) is None
        ):
            return "The reminder is no longer due: the report is with the ministry or approved."
    return None


def unsent() -> QuerySet:
    """Messages still to send: new ones and those whose earlier attempts failed."""
    return (
        Notice.objects.filter(sent_at=None, dropped_at=None, attempts__lt=MAX_ATTEMPTS)
        .select_related("round", "county", "recipient", "sent_by")
        .order_by("pk")
    )


def county_url(*, year: int, code: str) -> str:
    path = reverse("site:county", kwargs={"year": year, "code": code})
    return settings.SITE_URL.rstrip("/") + path


def _message(notice: Notice, *, today: datetime.date) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        context = message_context(notice, today=today)
        subject = " ".join(render_to_string("email/notice_subject.txt", context).split())
        body = render_to_string("email/notice_body.html", context)
        html = render_to_string("email/notice.html", context)
        text = render_to_string("email/notice.txt", {**context, "body": plain_text(body)})
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[notice.address]
    )
    message.attach_alternative(html, "text/html")
    return message


def message_context(notice: Notice, *, today: datetime.date) -> dict:
    round_obj, county = notice.round, notice.county
    report = CountyReport.objects.filter(round=round_obj, county=county).first()
    event = None
    if notice.key.startswith("steg-"):
        event = ReviewEvent.objects.filter(pk=notice.key.removeprefix("steg-")).first()
    sent = (
        list(event.comments.select_related("theme").order_by("created_at", "pk")) if event else []
    )
    return {
        "notice": notice,
        "comments": sent,
        "kind": notice.kind,
        "kinds": Kind,
        "round": round_obj,
        "county": county,
        "report": report,
        "event": event,
        "recipient": notice.recipient,
        "url": county_url(year=round_obj.year, code=county.code),
        "profile_url": settings.SITE_URL.rstrip("/") + reverse("site:profile"),
        "days_left": (round_obj.deadline - today).days,
    }


def plain_text(html: str) -> str:
    """The HTML body as plain text: paragraphs apart, a quoted comment marked with "> ", a
    list's items with "- "."""

    def quoted(match: re.Match) -> str:
        lines = re.sub(r"<br\s*/?>", "\n", match.group(1)).strip().splitlines()
        return "\n\n" + "\n".join(f"> {line.strip()}" for line in lines) + "\n\n"

    text = re.sub(r"<blockquote>(.*?)</blockquote>", quoted, html, flags=re.DOTALL)
    text = re.sub(r"<br\s*/?>", "\n", text).replace("</p>", "\n\n")
    text = text.replace("<ul>", "\n\n").replace("</ul>", "\n\n").replace("<li>", "\n- ")
    text = unescape(strip_tags(text))
    paragraphs = [
        "\n".join(" ".join(line.split()) for line in p.strip().splitlines())
        if p.lstrip().startswith((">", "- "))
        else " ".join(p.split())
        for p in re.split(r"\n\s*\n", text)
    ]
    return "\n\n".join(p for p in paragraphs if p) + "\n"


# --- reminders -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A reminder the schedule asks for on a day: to one county, for one moment of it."""

    round: FollowUpRound
    county: County
    kind: str
    key: str


def due_reminders(today: datetime.date) -> list[Due]:
    """What the schedule asks for ``today`` in every open round.

    - A county whose report is not submitted (none yet, or a draft): once when the deadline is
      ``REMINDER_DAYS_BEFORE`` days away or nearer (14 and 3 by default; a run that missed a day
      sends the nearest one only), then weekly from the day after the deadline.
    - A returned report past its completion date: weekly from the day after.

    The dates are the round board's (``followup.selectors.board.due_date``).
    """
    before = sorted(settings.REMINDER_DAYS_BEFORE)
    due = []
    counties = list(County.objects.order_by("code"))
    for round_obj in FollowUpRound.objects.filter(status=RoundStatus.OPEN).order_by("year"):
        reports = {r.county_id: r for r in CountyReport.objects.filter(round=round_obj)}
        for county in counties:
            report = reports.get(county.pk)
            date = _due(round_obj, report)
            if date is None:
                continue  # with the ministry, or approved
            days_left = (date - today).days
            if days_left < 0:
                week = (-days_left - 1) // 7
                kind = Kind.OVERDUE if date == round_obj.deadline else Kind.COMPLETION_OVERDUE
                due.append(Due(round_obj, county, kind, f"{date:%Y%m%d}-v{week}"))
                continue
            nearest = next((days for days in before if days_left <= days), None)
            if nearest is not None and date == round_obj.deadline:
                key = f"{date:%Y%m%d}-{nearest}"
                due.append(Due(round_obj, county, Kind.BEFORE_DEADLINE, key))
    return due


def pending_reminders(today: datetime.date) -> list[tuple[Due, User]]:
    """The reminders due today that have not been queued before, with their recipient."""
    pending = []
    for due in due_reminders(today):
        already = set(
            Notice.objects.filter(
                round=due.round, county=due.county, kind=due.kind, key=due.key
            ).values_list("recipient_id", flat=True)
        )
        for user in recipients(kind=due.kind, county_id=due.county.pk):
            if user.pk not in already:
                pending.append((due, user))
    return pending


def send_reminders(*, today: datetime.date) -> tuple[list[Notice], int]:
    """Queue today's reminders and send every unsent message (earlier failures included);
    (the messages sent, how many failed). Run twice on one day, it sends nothing new."""
    for due in due_reminders(today):
        _queue(round_id=due.round.pk, county_id=due.county.pk, kind=due.kind, key=due.key)
    waiting = list(unsent())
    _sent, failed = deliver(waiting, today=today)
    return [notice for notice in waiting if notice.sent_at is not None], failed


def is_late(*, round_obj: FollowUpRound, report: CountyReport | None, today: datetime.date) -> bool:
    """A county the ministry may remind: its report not submitted after the deadline, or
    returned and past its completion date, in an open round."""
    date = _due(round_obj, report) if round_obj.status == RoundStatus.OPEN else None
    return date is not None and today > date


def _due(round_obj: FollowUpRound, report: CountyReport | None) -> datetime.date | None:
    """The date the county's report is counted against, as the round board counts it."""
    return due_date(
        round_obj=round_obj,
        status=report.status if report else MISSING,
        complete_by=report.complete_by if report else None,
    )


@transaction.atomic
def remind_county(*, round_obj: FollowUpRound, county: County, user) -> list[Notice]:
    """A reviewer reminds a late county's coordinators ("Påminn länet"); recorded with who
    asked, and shown in the county's review history."""
    if not access.is_reviewer(user):
        raise NoticeRefused(_("Bara departementets handläggare kan påminna ett län."))
    report = CountyReport.objects.filter(round=round_obj, county=county).first()
    if not is_late(round_obj=round_obj, report=report, today=timezone.localdate()):
        raise NoticeRefused(
            _("%(county)s är inte försenat i omgången %(round)s och påminns inte.")
            % {"county": county.display_name, "round": round_obj}
        )
    if not recipients(kind=Kind.REMINDED, county_id=county.pk).exists():
        raise NoticeRefused(
            _(
                "%(county)s har ingen regional samordnare med e-postadress som vill ha "
                "påminnelser. Kontakta länet på annat sätt."
            )
            % {"county": county.display_name}
        )
    key = timezone.localdate().strftime("%Y%m%d")  # once a day, whoever asks
    notices = _queue(
        round_id=round_obj.pk, county_id=county.pk, kind=Kind.REMINDED, key=key, sent_by=user
    )
    if not notices:
        raise NoticeRefused(
            _("%(county)s har redan påmints i dag. Länet kan påminnas igen i morgon.")
            % {"county": county.display_name}
        )
    _send_after_commit(notices)
    return notices


def reminders_sent(*, round_obj: FollowUpRound, county: County) -> list[dict]:
    """The reminders a reviewer sent the county in the round: when, by whom, to how many."""
    rows: dict[str, dict] = {}
    for notice in (
        Notice.objects.filter(round=round_obj, county=county, kind=Kind.REMINDED)
        .select_related("sent_by")
        .order_by("created_at", "pk")
    ):
        row = rows.setdefault(
            notice.key, {"at": notice.created_at, "by": notice.sent_by, "recipients": 0}
        )
        row["recipients"] += 1
    return list(rows.values())
