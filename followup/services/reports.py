"""The review workflow of a county report: submit, return, approve, reopen.

Every caller — the admin, the review pages, management commands, imports — goes through these
functions, so the rules live here only. A transition is a conditional UPDATE on the status the
caller saw: when two people act on the same report at once, exactly one wins and the other gets
a WorkflowError saying what happened.
"""

import datetime

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import get_history_manager_for_model

from core import access
from core.conflicts import retry_on_conflict
from core.refusals import WriteRefused
from followup.models import (
    CountyReport,
    FollowUpRound,
    Observation,
    ReportStatus,
    ReviewComment,
    ReviewEvent,
    RoundStatus,
)
from followup.models.reports import OBSERVATION_HISTORY
from followup.selectors import todo
from followup.selectors.evidence import evidence_labels
from followup.selectors.figures import county_key_figures
from followup.services import notices

Action = ReviewEvent.Action
# A returned report is completed within this many days unless the reviewer says otherwise.
COMPLETION_DAYS = 14


class WorkflowError(WriteRefused):
    """A transition that is not allowed; the message is for the user, in Swedish."""


def default_completion_date(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=COMPLETION_DAYS)


def missing_themes(*, report: CountyReport) -> list[str]:
    """Names of the round's themes with no observation that is assessed (1–4) or deliberately
    *Ej bedömt* (with its reason) yet."""
    return list(todo.missing_themes(report).values_list("name", flat=True))


def county_report_steps(*, report: CountyReport | None, user) -> list[Action]:
    """The workflow steps (``ReviewEvent.Action``) to offer ``user`` on ``report``; the services
    below decide again when one is taken."""
    if report is None or report.round.status != RoundStatus.OPEN:
        return []  # a planned round takes no reports yet; a closed one is locked
    status, steps = report.status, []
    if access.is_coordinator_of(user, report.county_id) and status in (
        ReportStatus.DRAFT,
        ReportStatus.RETURNED,
    ):
        steps.append(Action.SUBMIT)
    if access.is_reviewer(user) and status == ReportStatus.SUBMITTED:
        steps += [Action.APPROVE, Action.RETURN]
    if access.is_administrator(user) and status == ReportStatus.APPROVED:
        steps.append(Action.REOPEN)
    return steps


def _hold(report: CountyReport) -> None:
    """Lock the report's row until the step's transaction ends (PostgreSQL; SQLite's write
    transaction holds the database). Every write to its content holds the same row
    (``followup.models.locking``), so what the step checks and freezes is what stays."""
    if connection.features.has_select_for_update:
        list(CountyReport._base_manager.select_for_update(of=("self",)).filter(pk=report.pk))


def _status_label(status: str) -> str:
    return str(ReportStatus(status).label).lower()


def _transition(
    *,
    report: CountyReport,
    user,
    action: Action,
    allowed_from: tuple[str, ...],
    to_status: str,
    comment: str = "",
    updates: dict | None = None,
) -> CountyReport:
    _hold(report)
    seen_status = report.status
    if seen_status not in allowed_from:
        raise WorkflowError(
            _("Rapporten kan inte %(action)s när den är %(status)s.")
            % {"action": _ACTION_VERBS[action](), "status": _status_label(seen_status)}
        )
    # The round row is locked while the step is taken, so a round closed meanwhile wins or
    # waits for it (PostgreSQL; SQLite's write transaction holds the whole database).
    round_status = (
        FollowUpRound._base_manager.select_for_update()
        .filter(pk=report.round_id)
        .values_list("status", flat=True)
        .first()
    )
    if round_status != RoundStatus.OPEN:
        raise WorkflowError(
            _("Omgången %(round)s är inte öppen: dess rapporter kan inte %(action)s.")
            % {"round": report.round, "action": _ACTION_VERBS[action]()}
        )
    updates = dict(updates or {})
    now = updates.pop("at", None) or timezone.now()
    changed = CountyReport.objects.filter(pk=report.pk, status=seen_status).transition(
        status=to_status, updated_at=now, version=F("version") + 1, **updates
    )
    if changed != 1:
        report.refresh_from_db()
        raise WorkflowError(
            _(
                "Någon annan hann ändra rapporten före dig: den är nu %(status)s. "
                "Ladda om sidan och se vad som gäller."
            )
            % {"status": _status_label(report.status)}
        )
    event = ReviewEvent.objects.create(
        report=report,
        action=action,
        from_status=seen_status,
        to_status=to_status,
        actor=user,
        at=now,
        comment=comment,
    )
    if action in (Action.RETURN, Action.APPROVE):  # the reviewer's comments go with it
        ReviewComment.objects.filter(report=report, sent_with=None).send(event=event)
    report.refresh_from_db()
    # The conditional UPDATE bypasses save(), so the audit row is written here.
    get_history_manager_for_model(CountyReport).bulk_history_create(
        [report],
        update=True,
        default_user=user,
        default_change_reason=str(ReviewEvent.Action(action).label),
        default_date=now,
    )
    notices.queue_step_notices(report=report, event=event)  # sent once this commits
    return report


_ACTION_VERBS = {
    Action.SUBMIT: lambda: _("skickas in"),
    Action.RETURN: lambda: _("returneras"),
    Action.APPROVE: lambda: _("godkännas"),
    Action.REOPEN: lambda: _("öppnas igen"),
}


def step_text_problem(
    *, action: Action, text: str, complete_by: datetime.date | None = None
) -> str | None:
    """What is wrong with the text (and date) a step is taken with, before it is taken: a
    return says why and by a date not passed, a reopening why. None when nothing is."""
    text = (text or "").strip()
    if action == Action.RETURN:
        if not text:
            return _("Skriv en kommentar som talar om för länet vad som behöver åtgärdas.")
        today = timezone.localdate()
        if complete_by is not None and complete_by < today:
            return _(
                "Datumet för komplettering (%(date)s) har redan passerat. Välj ett senare datum."
            ) % {"date": complete_by.isoformat()}
    if action == Action.REOPEN and not text:
        return _("Ange varför rapporten öppnas igen.")
    return None


@retry_on_conflict
@transaction.atomic
def county_report_submit(*, report: CountyReport, user) -> CountyReport:
    """The county's coordinator submits a draft or returned report, in an open round, once
    every theme is assessed (or deliberately *Ej bedömt*).

    Freezes the key figures and the names of the evidence the observations cite, so what is
    reviewed and approved does not shift later, and writes a version of every observation
    marked as submitted: the history a reviewer reads starts there.
    """
    if not access.is_coordinator_of(user, report.county_id):
        raise WorkflowError(_("Bara länets regionala samordnare kan skicka in rapporten."))
    _hold(report)  # an edit under way finishes first; none starts until this step is taken
    if report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        missing = missing_themes(report=report)
        if missing:
            raise WorkflowError(
                _(
                    "Rapporten är inte komplett. Dessa teman saknar en iakttagelse med "
                    "bedömning: %(themes)s."
                )
                % {"themes": ", ".join(missing)}
            )
    now = timezone.now()
    report = _transition(
        report=report,
        user=user,
        action=Action.SUBMIT,
        allowed_from=(ReportStatus.DRAFT, ReportStatus.RETURNED),
        to_status=ReportStatus.SUBMITTED,
        updates={
            "at": now,
            "submitted_at": now,
            "submitted_by": user,
            "frozen_at": now,
            "frozen_figures": county_key_figures(
                county_id=report.county_id, year=report.round.year
            ),
            "frozen_evidence": evidence_labels(report_id=report.pk),
            "complete_by": None,
        },
    )
    _record_submitted_versions(report=report, user=user, at=now)
    return report


def _record_submitted_versions(*, report: CountyReport, user, at) -> None:
    """A version of every observation (its evidence included), marked with the report's new
    status: what the ministry received. Reviewers read the history from these on."""
    for observation in Observation.objects.filter(report=report).order_by("pk"):
        # django-simple-history reads who, when and why from these attributes.
        observation._history_user = user  # type: ignore[attr-defined]
        observation._history_date = at  # type: ignore[attr-defined]
        observation._change_reason = str(Action.SUBMIT.label)  # type: ignore[attr-defined]
        OBSERVATION_HISTORY.create_historical_record(observation, "~")


@retry_on_conflict
@transaction.atomic
def county_report_return(
    *, report: CountyReport, user, comment: str, complete_by: datetime.date | None = None
) -> CountyReport:
    """A ministry reviewer sends a submitted report back to the county, saying why and by
    when it is to be completed (``complete_by``, by default in 14 days)."""
    if not access.is_reviewer(user):
        raise WorkflowError(_("Bara departementets handläggare kan returnera rapporten."))
    problem = step_text_problem(action=Action.RETURN, text=comment, complete_by=complete_by)
    if problem:
        raise WorkflowError(problem)
    comment = comment.strip()
    complete_by = complete_by or default_completion_date()
    now = timezone.now()  # one moment: the report's, the event's and the audit record's
    return _transition(
        report=report,
        user=user,
        action=Action.RETURN,
        allowed_from=(ReportStatus.SUBMITTED,),
        to_status=ReportStatus.RETURNED,
        comment=comment,
        updates={"at": now, "reviewed_at": now, "reviewed_by": user, "complete_by": complete_by},
    )


@retry_on_conflict
@transaction.atomic
def county_report_approve(*, report: CountyReport, user, comment: str = "") -> CountyReport:
    """A ministry reviewer approves a submitted report; it is then locked."""
    if not access.is_reviewer(user):
        raise WorkflowError(_("Bara departementets handläggare kan godkänna rapporten."))
    now = timezone.now()
    return _transition(
        report=report,
        user=user,
        action=Action.APPROVE,
        allowed_from=(ReportStatus.SUBMITTED,),
        to_status=ReportStatus.APPROVED,
        comment=(comment or "").strip(),
        updates={"at": now, "reviewed_at": now, "reviewed_by": user},
    )


@retry_on_conflict
@transaction.atomic
def county_report_reopen(*, report: CountyReport, user, reason: str) -> CountyReport:
    """An administrator reopens an approved report (back to the county as returned)."""
    if not access.is_administrator(user):
        raise WorkflowError(_("Bara en administratör kan öppna en godkänd rapport igen."))
    problem = step_text_problem(action=Action.REOPEN, text=reason)
    if problem:
        raise WorkflowError(problem)
    reason = reason.strip()
    return _transition(
        report=report,
        user=user,
        action=Action.REOPEN,
        allowed_from=(ReportStatus.APPROVED,),
        to_status=ReportStatus.RETURNED,
        comment=reason,
        updates={"complete_by": default_completion_date()},
    )


# What a user is told once a step is taken.
STEP_DONE = {
    Action.SUBMIT: gettext_lazy("Rapporten har skickats in till departementet."),
    Action.APPROVE: gettext_lazy("Rapporten är godkänd och därmed låst."),
    Action.RETURN: gettext_lazy("Rapporten har returnerats till länet."),
    Action.REOPEN: gettext_lazy("Rapporten är öppnad igen och returnerad till länet."),
}


def county_report_take_step(
    *,
    report: CountyReport,
    user,
    action: Action,
    text: str = "",
    complete_by: datetime.date | None = None,
) -> CountyReport:
    """Take the review step ``action`` (a ``ReviewEvent.Action``) on ``report``: the one entry
    the admin, the review site and commands use. ``text`` is the step's comment (return,
    approve) or reason (reopen); ``complete_by`` a return's completion date."""
    if action == Action.SUBMIT:
        return county_report_submit(report=report, user=user)
    if action == Action.RETURN:
        return county_report_return(report=report, user=user, comment=text, complete_by=complete_by)
    if action == Action.APPROVE:
        return county_report_approve(report=report, user=user, comment=text)
    if action == Action.REOPEN:
        return county_report_reopen(report=report, user=user, reason=text)
    raise WorkflowError(_("Okänt granskningssteg."))
