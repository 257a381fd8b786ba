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
from core.roles import Role
from followup.models import (
    CountyReport,
    FollowUpRound,
    ReportStatus,
    ReviewEvent,
    RoundStatus,
    User,
)

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
    # the county's coordinators (name, e-mail), for those who may read them (the board sets it)
    contacts: list[dict] | None = None

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


# --- what the board shows: which rows, in which order ------------------------------------------

STATUS_ORDER = [*ReportStatus.values, MISSING]  # as the counts above the table
# ?ordering=; "lan" is the default
ORDERINGS = ("lan", "-lan", "status", "-status", "tid", "-tid")


def rows_with_status(rows: list[BoardRow], status: str) -> list[BoardRow]:
    """The rows a status tile stands for: one status, or every late county (OVERDUE)."""
    if status == OVERDUE:
        return [row for row in rows if row.overdue]
    return [row for row in rows if row.status == status]


def ordered_rows(rows: list[BoardRow], ordering: str) -> list[BoardRow]:
    """By county code (the report's order; "-lan" the other way), by status (as the tiles,
    then by lateness), or by time left (latest first with "-tid"; counties with nothing due
    last either way)."""
    by_code = sorted(rows, key=lambda row: row.county.code)
    if ordering.lstrip("-") == "status":
        by_status = sorted(
            by_code, key=lambda row: (STATUS_ORDER.index(row.status), -(row.days_late or 0))
        )
        return by_status[::-1] if ordering.startswith("-") else by_status
    if ordering.lstrip("-") == "tid":
        due = [row for row in by_code if row.days_left is not None]
        nothing_due = [row for row in by_code if row.days_left is None]
        due.sort(key=lambda row: row.days_left or 0, reverse=ordering.startswith("-"))
        return due + nothing_due
    return by_code[::-1] if ordering == "-lan" else by_code


def coordinators_by_county() -> dict[int, list[dict]]:
    """county id → its active coordinators' names and addresses, by name (one query). The
    caller asks ``access.may_read_contacts`` whether the user may see them."""
    users = (
        User.objects.filter(is_active=True, groups__name=Role.COORDINATOR, counties__isnull=False)
        .values("counties", "first_name", "last_name", "username", "email")
        .order_by("last_name", "first_name", "username")
        .distinct()
    )
    contacts: dict[int, list[dict]] = {}
    for user in users:
        name = f"{user['first_name']} {user['last_name']}".strip() or user["username"]
        contacts.setdefault(user["counties"], []).append({"name": name, "email": user["email"]})
    return contacts
