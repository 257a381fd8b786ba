"""Register and follow-up data for the workbook tests, at a size the test chooses."""

from decimal import Decimal

from django.db.models import Sum

from agreements.models import FinancingLine, Organisation
from followup.models import ReportStatus, Theme
from tests import builders

# One source per category, so every category column of a workbook is exercised.
SOURCES = [
    "stat-regional-utveckling",
    "landsting",
    "kommun",
    "eu-strukturfonder",
    "privat",
    "ovrigt",
]


def register(*, county_code: str = "04", projects: int = 2, offset: int = 0):
    """An agreement 2000–2003 with two priority areas, frames, projects with financing in every
    category (and lines after 2001 and outcome lines), a partnership and a cluster."""
    agreement = builders.agreement(county_code=county_code)
    add_projects(agreement=agreement, projects=projects, offset=offset)
    partnership = builders.partnership(county_code=county_code)
    builders.member(partnership_obj=partnership)
    builders.member(partnership_obj=partnership, organisation_obj=builders.lead_body(county_code))
    cluster = builders.cluster(county_code=county_code)
    first = builders.cluster_actor(cluster_obj=cluster, in_working_group=True)
    second = builders.cluster_actor(cluster_obj=cluster)
    builders.cluster_link(from_actor=first, to_actor=second)
    return agreement


def add_projects(*, agreement, projects: int, offset: int = 0) -> None:
    areas = list(agreement.priority_areas.all())
    if not areas:
        areas = [
            builders.priority_area(agreement_obj=agreement, number=1),
            builders.priority_area(agreement_obj=agreement, number=2, name="Kompetens"),
        ]
        builders.frame(area=areas[0], amount="5000000")
        builders.frame(area=areas[1], amount="3000000", source_obj=builders.source("kommun"))
        for area in areas:
            builders.measure(area=area)
    measures = [area.measures.first() for area in areas]
    for i in range(offset, offset + projects):
        project = builders.project(measure_obj=measures[i % 2], title=f"Projekt {i}")
        for j, code in enumerate(SOURCES):
            builders.financing_line(
                project_obj=project,
                amount=str(100_000 * (j + 1) + i),
                source_obj=builders.source(code),
            )
        builders.financing_line(
            project_obj=project, amount="50000.50", kind=FinancingLine.Kind.OUTCOME
        )
        builders.financing_line(project_obj=project, amount="999", year=2002)  # after the round


def report(*, round_obj, county_code: str, status=ReportStatus.DRAFT, assessment=3, text=None):
    """A report with an observation on every theme, put straight into ``status``."""
    obj = builders.county_report(
        round_obj=round_obj, county_code=county_code, summary=f"Sammanfattning {county_code}."
    )
    for theme in Theme.objects.all():
        builders.observation(
            report=obj,
            theme=theme,
            assessment=assessment,
            text=text or f"Iakttagelse {county_code} om {theme.name}.",
        )
    builders.set_status(obj, status)
    obj.refresh_from_db()
    return obj


def decided(county_code: str, category: str | None = None, year: int = 2001) -> Decimal:
    return amount(county_code, category, FinancingLine.Kind.DECIDED, year=year)


def amount(county_code: str, category: str | None, kind: str, *, year: int = 2001) -> Decimal:
    """The sum of the county's lines of ``kind`` (in ``category``) up to ``year``."""
    lines = FinancingLine.objects.filter(
        project__county__code=county_code, kind=kind, year__lte=year
    )
    if category:
        lines = lines.filter(source__category=category)
    return lines.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def organisation_named(name: str) -> Organisation:
    return builders.organisation(name=name)
