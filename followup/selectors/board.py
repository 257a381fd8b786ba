"""The round board: every county's report status in a round, in a fixed number of queries.

A report's status is shown to every role (that a draft exists is no secret); its last review
event only where the user may read the report's events (``access.visible``), so a draft or
another county's report shows its status and nothing else.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from agreements.models import County
from core import access
from followup.models import CountyReport, FollowUpRound, ReportStatus, ReviewEvent, RoundStatus

DONE = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
MISSING = "saknas"  # no report in the round
OVERDUE = "forsenad"  # past its date and neither submitted nor approved


@dataclass
class BoardRow:
    county: County
    status: str  # a ReportStatus value, or MISSING
    overdue: bool
    days_left: int | None  # to the round's deadline, or a returned report's completion date;
    # None once submitted or approved, and when the round is closed
    due: datetime.date | None  # the date counted against
    last_event: ReviewEvent | None
    readable: bool  # may the user open the county's page?

    @property
    def days_late(self) -> int | None:
        return None if self.days_left is None else -self.days_left

    @property
    def status_label(self) -> str:
        if self.status == MISSING:
            return ""
        return str(ReportStatus(self.status).label)


def due_date(*, round_obj: FollowUpRound, status: str, complete_by) -> datetime.date | None:
    """The date a county's report is counted late against: a returned report's completion
    date (set by the reviewer), else the round's deadline; none once it is with the ministry
    or when the round is closed (a closed round stops counting)."""
    if round_obj.status == RoundStatus.CLOSED or status in DONE:
        return None
    if status == ReportStatus.RETURNED and complete_by:
        return complete_by
    return round_obj.deadline


def round_board(*, round_obj: FollowUpRound, user, today: datetime.date) -> list[BoardRow]:
    """The 21 counties with their report in the round (three queries)."""
    events = access.visible(ReviewEvent.objects.filter(report=OuterRef("pk")), user).order_by(
        "-at", "-pk"
    )
    reports = {
        report.county_id: report
        for report in CountyReport.objects.filter(round=round_obj)
        .annotate(last_event_id=Subquery(events.values("pk")[:1]))
        .only("pk", "county_id", "status", "complete_by")
    }
    event_ids = [r.last_event_id for r in reports.values() if r.last_event_id]
    last_events = {
        event.report_id: event
        for event in ReviewEvent.objects.filter(pk__in=event_ids).select_related("actor")
    }
    readable = access.readable_county_ids(user)
    rows = []
    for county in County.objects.order_by("code"):
        report = reports.get(county.pk)
        status = report.status if report else MISSING
        due = due_date(
            round_obj=round_obj, status=status, complete_by=report and report.complete_by
        )
        days = (due - today).days if due else None
        rows.append(
            BoardRow(
                county=county,
                status=status,
                overdue=days is not None and days < 0,
                days_left=days,
                due=due,
                last_event=last_events.get(report.pk) if report else None,
                readable=readable is None or county.pk in readable,
            )
        )
    return rows


def status_counts(rows: list[BoardRow]) -> Counter:
    counts = Counter(row.status for row in rows)
    counts[OVERDUE] = sum(1 for row in rows if row.overdue)
    return counts
