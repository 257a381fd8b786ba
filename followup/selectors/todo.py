"""What is each person's to do now (the start page, and the same counts on a county's page).

- a coordinator: per county and open round, the themes still missing an assessed observation
  ("6 av 8 teman klara"), the days to the deadline or the completion date, what to do next;
- a reviewer: reports waiting for review, oldest first, resubmissions marked;
- an administrator: rounds to open, and open rounds whose every report is approved (to close).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from agreements.models import County
from core import access
from followup.models import (
    CountyReport,
    FollowUpRound,
    Observation,
    ReportStatus,
    ReviewEvent,
    RoundStatus,
    Theme,
)
from followup.models.reports import BACK_TO_COUNTY
from followup.selectors.board import MISSING, due_date
from followup.selectors.comments import open_comment_count


def missing_themes(report: CountyReport):
    """The round's themes with no observation of ``report`` that is assessed (1–4) or
    deliberately *Ej bedömt* yet, in the round's order."""
    assessed = Observation.objects.filter(
        report=report, theme=OuterRef("pk"), assessment__isnull=False
    )
    return (
        report.round.themes.annotate(done=Exists(assessed))
        .filter(done=False)
        .order_by("sort_order", "name")
    )


@dataclass
class CountyTodo:
    round: FollowUpRound
    county: County
    report: CountyReport | None
    themes: int  # in the round
    missing: list[Theme] = field(default_factory=list)
    due: datetime.date | None = None  # the deadline, or a returned report's completion date
    days_left: int | None = None
    open_comments: int = 0  # the ministry's comments still to handle

    @property
    def done(self) -> int:
        return self.themes - len(self.missing)

    @property
    def status(self) -> str:
        return self.report.status if self.report else MISSING

    @property
    def with_the_county(self) -> bool:
        """Is the report the county's to write now (no report yet, a draft, returned)?"""
        return self.status in (MISSING, ReportStatus.DRAFT, ReportStatus.RETURNED)

    @property
    def days_late(self) -> int | None:
        return None if self.days_left is None else -self.days_left


_READ = object()


def county_todo(
    *,
    round_obj: FollowUpRound,
    county: County,
    today: datetime.date,
    report=_READ,
    open_comments: int | None = None,
) -> CountyTodo:
    """What the county's report in ``round_obj`` still needs. A page that has read the report
    (``report``, None for none) and its comments (``open_comments``) passes them on."""
    if report is _READ:
        report = CountyReport.objects.filter(round=round_obj, county=county).first()
    themes = round_obj.themes.order_by("sort_order", "name")
    missing = list(missing_themes(report)) if report else list(themes)
    due = due_date(
        round_obj=round_obj,
        status=report.status if report else MISSING,
        complete_by=report.complete_by if report else None,
    )
    return CountyTodo(
        round=round_obj,
        county=county,
        report=report,
        themes=themes.count(),
        missing=missing,
        due=due,
        days_left=(due - today).days if due else None,
        open_comments=open_comment_count(report) if open_comments is None else open_comments,
    )


def coordinator_todo(*, user, today: datetime.date) -> list[CountyTodo]:
    """Each county the user keeps, in each open round: what its report still needs."""
    counties = County.objects.filter(pk__in=access.coordinated_county_ids(user)).order_by("code")
    rounds = FollowUpRound.objects.filter(status=RoundStatus.OPEN).order_by("-year")
    return [
        county_todo(round_obj=round_obj, county=county, today=today)
        for round_obj in rounds
        for county in counties
    ]


@dataclass
class ReviewTodo:
    report: CountyReport
    resubmitted: bool  # submitted again after a return
    days_waiting: int


def reviewer_todo(*, user, today: datetime.date) -> list[ReviewTodo]:
    """Reports with the ministry in open rounds, the one waiting longest first."""
    if not access.is_reviewer(user):
        return []
    returned = ReviewEvent.objects.filter(report=OuterRef("pk"), action__in=BACK_TO_COUNTY)
    reports = (
        access.visible(CountyReport.objects.all(), user)
        .filter(status=ReportStatus.SUBMITTED, round__status=RoundStatus.OPEN)
        .annotate(resubmitted=Exists(returned))
        .select_related("county", "round", "submitted_by")
        .order_by("submitted_at", "county__code")
    )
    return [
        ReviewTodo(
            report=report,
            resubmitted=report.resubmitted,
            days_waiting=(today - report.submitted_at.date()).days if report.submitted_at else 0,
        )
        for report in reports
    ]


@dataclass
class RoundTodo:
    round: FollowUpRound
    action: str  # OPEN or CLOSE
    approved: int = 0


OPEN, CLOSE = "open", "close"


def administrator_todo(*, user) -> list[RoundTodo]:
    """Planned rounds to open, and open rounds whose 21 reports are all approved."""
    if not access.is_administrator(user):
        return []
    todo = [
        RoundTodo(round=round_obj, action=OPEN)
        for round_obj in FollowUpRound.objects.filter(status=RoundStatus.PLANNED).order_by("year")
    ]
    counties = County.objects.count()
    for round_obj in FollowUpRound.objects.filter(status=RoundStatus.OPEN).order_by("year"):
        approved = round_obj.reports.filter(status=ReportStatus.APPROVED).count()
        if counties and approved == counties:
            todo.append(RoundTodo(round=round_obj, action=CLOSE, approved=approved))
    return todo
