"""Comparisons across counties and rounds: assessments by theme, financing by source category.

Every function reads through ``access.visible`` (observations) or the counties whose register
the user reads, and aggregates in SQL: the number of queries does not grow with the data.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q

from agreements.models import County, FinancingSource
from core import access
from followup.exports.national import round_themes
from followup.models import (
    Assessment,
    CountyReport,
    FollowUpRound,
    Observation,
    ReportStatus,
    Theme,
    assessed_q,
)
from followup.selectors import exports, figures
from followup.selectors.submitted import submitted_versions

CATEGORIES = FinancingSource.Category


def readable_counties(user) -> list[County]:
    ids = access.readable_county_ids(user)
    counties = County.objects.order_by("code")
    return list(counties if ids is None else counties.filter(pk__in=ids))


@dataclass
class Cell:
    best: int | None = None  # the strongest level (1–4) among the observations
    count: int = 0
    not_assessed: int = 0  # observations marked "Ej bedömt" (no level, left out of ``best``)

    @property
    def only_not_assessed(self) -> bool:
        """The county deliberately does not assess the theme: no level, only "Ej bedömt"."""
        return self.best is None and self.not_assessed > 0


# Per (county or year, theme): the strongest level and the counts a Cell holds.
CELL_AGGREGATES = {
    "best": Max("assessment", filter=assessed_q()),
    "n": Count("pk"),
    "not_assessed": Count("pk", filter=Q(assessment=Assessment.NOT_ASSESSED)),
}


def _read_as_submitted(user, **filters) -> list[int]:
    """Returned reports (matching ``filters``) whose content ``user`` reads as last submitted:
    those of the counties the user reads but does not keep (administrators read every one as
    it stands)."""
    if access.is_administrator(user):
        return []
    reports = CountyReport.objects.filter(status=ReportStatus.RETURNED, **filters).exclude(
        county__in=access.coordinated_county_ids(user)
    )
    readable = access.readable_county_ids(user)
    if readable is not None:
        reports = reports.filter(county__in=readable)
    return list(reports.values_list("pk", flat=True))


def _cells(sources, key_fields: tuple[str, str]) -> dict:
    """(key, key) → Cell, merged over querysets of observations (live, or as submitted)."""
    cells: dict = {}
    for source in sources:
        for first, second, best, n, not_assessed in (
            source.order_by().values_list(*key_fields).annotate(**CELL_AGGREGATES)
        ):
            cell = cells.setdefault((first, second), Cell())
            if best is not None:
                cell.best = max(cell.best or best, best)
            cell.count += n
            cell.not_assessed += not_assessed
    return cells


def assessment_matrix(*, round_obj: FollowUpRound, user) -> tuple[list, list, dict]:
    """Themes, counties and (county id, theme id) → Cell for the round (a few queries): the
    observations the user reads, a returned report's as it was last submitted."""
    themes = round_themes(round_obj)
    counties = readable_counties(user)
    live = access.visible(Observation.objects.filter(report__round=round_obj), user)
    returned = submitted_versions(report_ids=_read_as_submitted(user, round=round_obj))
    cells = _cells([live, returned], ("report__county_id", "theme_id"))
    return themes, counties, cells


def county_development(*, county: County, user) -> tuple[list, list, dict, dict]:
    """Rounds, themes, (theme id, year) → Cell, and year → report status."""
    rounds = list(FollowUpRound.objects.order_by("year"))
    statuses = dict(CountyReport.objects.filter(county=county).values_list("round__year", "status"))
    live = access.visible(
        Observation.objects.filter(report__county=county, assessment__isnull=False), user
    )
    returned = submitted_versions(report_ids=_read_as_submitted(user, county=county)).filter(
        assessment__isnull=False
    )
    cells = _cells([live, returned], ("theme_id", "report__round__year"))
    used = {theme_id for theme_id, _year in cells}
    themes = list(
        Theme.objects.filter(Q(pk__in=used) | Q(rounds__isnull=False))
        .distinct()
        .order_by("sort_order", "name")
    )
    return rounds, themes, cells, statuses


@dataclass
class FinancingRow:
    county: County
    amounts: dict[str, Decimal]  # category → decided kronor
    frozen: bool
    total: Decimal = field(init=False)

    def __post_init__(self):
        self.total = sum(self.amounts.values(), Decimal(0))


def financing_by_county(*, round_obj: FollowUpRound, user) -> tuple[list[FinancingRow], dict]:
    """Decided financing up to the round's year per county and source category, with the
    frozen figures of an approved report as the workbook shows them; and the totals."""
    year = round_obj.year
    counties = readable_counties(user)
    ids = {county.pk for county in counties}
    agreements = {
        county_id: agreement
        for county_id, agreement in exports.agreements_in_force(year=year).items()
        if county_id in ids
    }
    # Only the decided sums by category are shown: one query on the totals the database keeps.
    sums = figures.category_sums(agreement_ids=[a.pk for a in agreements.values()], year=year)
    reports = {
        report.county_id: report
        for report in CountyReport.objects.filter(round=round_obj, county_id__in=ids).only(
            "pk", "county_id", "status", "frozen_figures"
        )
    }
    rows = []
    for county in counties:
        agreement = agreements.get(county.pk)
        live = (
            {"by_category": sums[agreement.pk]}
            if agreement
            else figures.empty_key_figures(year=year)
        )
        shown, frozen = exports.figures_of(report=reports.get(county.pk), live=live)
        rows.append(
            FinancingRow(
                county=county,
                amounts=exports.category_amounts(shown, exports.DECIDED),
                frozen=frozen,
            )
        )
    totals = {c: sum((r.amounts[c] for r in rows), Decimal(0)) for c in CATEGORIES.values}
    return rows, totals
