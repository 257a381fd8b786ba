"""The review workflow of a county report: submit, return, approve, reopen.

Every caller — the admin, the review pages, management commands, imports — goes through these
functions, so the rules live here only. A transition is a conditional UPDATE on the status the
caller saw: when two people act on the same report at once, exactly one wins and the other gets
a WorkflowError saying what happened.
"""

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import get_history_manager_for_model

from followup import access
from followup.models import CountyReport, Observation, ReportStatus, ReviewEvent
from followup.selectors.figures import county_key_figures

Action = ReviewEvent.Action


class WorkflowError(Exception):
    """A transition that is not allowed; the message is for the user, in Swedish."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def missing_themes(*, report: CountyReport) -> list[str]:
    """Names of the round's themes that have no observation with an assessment yet."""
    assessed = Observation.objects.filter(
        report=report, theme=OuterRef("pk"), assessment__isnull=False
    )
    return list(
        report.round.themes.annotate(done=Exists(assessed))
        .filter(done=False)
        .order_by("sort_order", "name")
        .values_list("name", flat=True)
    )


def county_report_steps(*, report: CountyReport | None, user) -> list[str]:
    """The workflow steps to offer ``user`` on ``report`` ("submit", "approve", "return",
    "reopen"); the services below decide again when one is taken."""
    if report is None:
        return []
    status, steps = report.status, []
    if access.is_coordinator_of(user, report.county_id) and status in (
        ReportStatus.DRAFT,
        ReportStatus.RETURNED,
    ):
        steps.append("submit")
    if access.is_reviewer(user) and status == ReportStatus.SUBMITTED:
        steps += ["approve", "return"]
    if access.is_administrator(user) and status == ReportStatus.APPROVED:
        steps.append("reopen")
    return steps


def _status_label(status: str) -> str:
    return str(ReportStatus(status).label).lower()


def _transition(
    *,
    report: CountyReport,
    user,
    action: str,
    allowed_from: tuple[str, ...],
    to_status: str,
    comment: str = "",
    updates: dict | None = None,
) -> CountyReport:
    seen_status = report.status
    if seen_status not in allowed_from:
        raise WorkflowError(
            _("Rapporten kan inte %(action)s när den är %(status)s.")
            % {"action": _ACTION_VERBS[action](), "status": _status_label(seen_status)}
        )
    now = timezone.now()
    changed = CountyReport.objects.filter(pk=report.pk, status=seen_status).update(
        status=to_status, updated_at=now, version=F("version") + 1, **(updates or {})
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
    ReviewEvent.objects.create(
        report=report,
        action=action,
        from_status=seen_status,
        to_status=to_status,
        actor=user,
        at=now,
        comment=comment,
    )
    report.refresh_from_db()
    # The conditional UPDATE bypasses save(), so the audit row is written here.
    get_history_manager_for_model(CountyReport).bulk_history_create(
        [report],
        update=True,
        default_user=user,
        default_change_reason=str(ReviewEvent.Action(action).label),
        default_date=now,
    )
    return report


_ACTION_VERBS = {
    Action.SUBMIT: lambda: _("skickas in"),
    Action.RETURN: lambda: _("returneras"),
    Action.APPROVE: lambda: _("godkännas"),
    Action.REOPEN: lambda: _("öppnas igen"),
}


@transaction.atomic
def county_report_submit(*, report: CountyReport, user) -> CountyReport:
    """The county's coordinator submits a draft or returned report once every theme is assessed.

    Freezes the key figures, so what is reviewed and approved does not shift later.
    """
    if not access.is_coordinator_of(user, report.county_id):
        raise WorkflowError(_("Bara länets regionala samordnare kan skicka in rapporten."))
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
    return _transition(
        report=report,
        user=user,
        action=Action.SUBMIT,
        allowed_from=(ReportStatus.DRAFT, ReportStatus.RETURNED),
        to_status=ReportStatus.SUBMITTED,
        updates={
            "submitted_at": now,
            "submitted_by": user,
            "frozen_at": now,
            "frozen_figures": county_key_figures(
                county_id=report.county_id, year=report.round.year
            ),
        },
    )


@transaction.atomic
def county_report_return(*, report: CountyReport, user, comment: str) -> CountyReport:
    """A ministry reviewer sends a submitted report back to the county, saying why."""
    if not access.is_reviewer(user):
        raise WorkflowError(_("Bara departementets handläggare kan returnera rapporten."))
    comment = (comment or "").strip()
    if not comment:
        raise WorkflowError(
            _("Skriv en kommentar som talar om för länet vad som behöver åtgärdas.")
        )
    return _transition(
        report=report,
        user=user,
        action=Action.RETURN,
        allowed_from=(ReportStatus.SUBMITTED,),
        to_status=ReportStatus.RETURNED,
        comment=comment,
        updates={"reviewed_at": timezone.now(), "reviewed_by": user},
    )


@transaction.atomic
def county_report_approve(*, report: CountyReport, user, comment: str = "") -> CountyReport:
    """A ministry reviewer approves a submitted report; it is then locked."""
    if not access.is_reviewer(user):
        raise WorkflowError(_("Bara departementets handläggare kan godkänna rapporten."))
    return _transition(
        report=report,
        user=user,
        action=Action.APPROVE,
        allowed_from=(ReportStatus.SUBMITTED,),
        to_status=ReportStatus.APPROVED,
        comment=(comment or "").strip(),
        updates={"reviewed_at": timezone.now(), "reviewed_by": user},
    )


@transaction.atomic
def county_report_reopen(*, report: CountyReport, user, reason: str) -> CountyReport:
    """An administrator reopens an approved report (back to the county as returned)."""
    if not access.is_administrator(user):
        raise WorkflowError(_("Bara en administratör kan öppna en godkänd rapport igen."))
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Ange varför rapporten öppnas igen."))
    return _transition(
        report=report,
        user=user,
        action=Action.REOPEN,
        allowed_from=(ReportStatus.APPROVED,),
        to_status=ReportStatus.RETURNED,
        comment=reason,
    )
