"""Test data built in code: small, explicit builders on top of the reference data.

Every builder takes keyword arguments for what a test cares about and fills in the rest.
"""

import datetime
from decimal import Decimal
from itertools import count

from django.utils import timezone

from agreements.models import (
    Agreement,
    Cluster,
    ClusterActor,
    ClusterLink,
    County,
    FinancialFrame,
    FinancingLine,
    FinancingSource,
    Measure,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipMember,
    PriorityArea,
    Project,
)
from core.raw_load import raw_load
from followup.models import CountyReport, FollowUpRound, Observation, ReportStatus, Theme, User
from followup.models.reports import OBSERVATION_HISTORY
from followup.selectors.evidence import evidence_labels

S = ReportStatus

_serial = count(1)


def county(code: str = "04") -> County:
    return County.objects.get(code=code)


def kind(code: str = OrganisationKind.COMPANY) -> OrganisationKind:
    return OrganisationKind.objects.get(code=code)


def source(code: str = "stat-regional-utveckling") -> FinancingSource:
    return FinancingSource.objects.get(code=code)


def organisation(*, name: str | None = None, kind_code: str = OrganisationKind.COMPANY, **kw):
    return Organisation.objects.create(
        name=name or f"Företag {next(_serial)} AB", kind=kind(kind_code), **kw
    )


def lead_body(county_code: str = "04") -> Organisation:
    return Organisation.objects.get(
        county__code=county_code,
        kind__code__in=[
            OrganisationKind.COUNTY_ADMINISTRATIVE_BOARD,
            OrganisationKind.SELF_GOVERNING_BODY,
        ],
    )


def agreement(*, county_code: str = "04", start_year: int = 2000, end_year: int = 2003, **kw):
    return Agreement.objects.create(
        county=county(county_code),
        start_year=start_year,
        end_year=end_year,
        lead_body=kw.pop("lead_body", None) or lead_body(county_code),
        status=kw.pop("status", Agreement.Status.IN_FORCE),
        **kw,
    )


def priority_area(*, agreement_obj: Agreement, number: int = 1, name: str = "Näringsliv"):
    return PriorityArea.objects.create(agreement=agreement_obj, number=number, name=name)


def measure(*, area: PriorityArea, number: int = 1, name: str = "Företagsutveckling") -> Measure:
    return Measure.objects.create(priority_area=area, number=number, name=name)


def frame(*, area: PriorityArea, year: int = 2001, amount="1000000", **kw) -> FinancialFrame:
    return FinancialFrame.objects.create(
        priority_area=area,
        source=kw.pop("source_obj", None) or source(),
        year=year,
        amount=Decimal(amount),
        **kw,
    )


def project(*, measure_obj: Measure, reference_number: str | None = None, **kw) -> Project:
    agreement_obj = measure_obj.agreement
    return Project.objects.create(
        county=agreement_obj.county,
        agreement=agreement_obj,
        measure=measure_obj,
        reference_number=reference_number or f"301-{next(_serial):04d}-01",
        title=kw.pop("title", "Utvecklingsprojekt"),
        owner=kw.pop("owner", None) or organisation(),
        start_date=kw.pop("start_date", datetime.date(2001, 1, 1)),
        end_date=kw.pop("end_date", datetime.date(2002, 12, 31)),
        **kw,
    )


def financing_line(*, project_obj: Project, amount="100000", year: int = 2001, **kw):
    return FinancingLine.objects.create(
        project=project_obj,
        source=kw.pop("source_obj", None) or source(),
        year=year,
        amount=Decimal(amount),
        kind=kw.pop("kind", FinancingLine.Kind.DECIDED),
        **kw,
    )


def partnership(*, county_code: str = "04", name: str | None = None, **kw) -> Partnership:
    return Partnership.objects.create(
        county=county(county_code),
        name=name or f"Partnerskap {next(_serial)}",
        level=kw.pop("level", Partnership.Level.REGIONAL),
        kind=kw.pop("kind", Partnership.Kind.REPRESENTING),
        **kw,
    )


def member(*, partnership_obj: Partnership, organisation_obj: Organisation | None = None, **kw):
    return PartnershipMember.objects.create(
        partnership=partnership_obj, organisation=organisation_obj or organisation(), **kw
    )


def cluster(*, county_code: str = "04", name: str | None = None, **kw) -> Cluster:
    return Cluster.objects.create(
        county=county(county_code),
        name=name or f"Kluster {next(_serial)}",
        delimitation=kw.pop("delimitation", Cluster.Delimitation.TECHNOLOGY),
        **kw,
    )


def cluster_actor(*, cluster_obj: Cluster, organisation_obj: Organisation | None = None, **kw):
    return ClusterActor.objects.create(
        cluster=cluster_obj, organisation=organisation_obj or organisation(), **kw
    )


def cluster_link(*, from_actor: ClusterActor, to_actor: ClusterActor, **kw) -> ClusterLink:
    return ClusterLink.objects.create(
        cluster=from_actor.cluster,
        from_actor=from_actor,
        to_actor=to_actor,
        direction=kw.pop("direction", ClusterLink.Direction.VERTICAL),
        goods=kw.pop("goods", True),
        **kw,
    )


def user(username: str, *, role: str | None = None, counties=(), **kw) -> User:
    """A user with a role by its operator name (coordinator, reviewer, administrator)."""
    from django.contrib.auth.models import Group

    from core.roles import BY_NAME

    made = User.objects.create_user(username=username, password="not-a-real-password", **kw)
    if role:
        made.groups.add(Group.objects.get(name=BY_NAME[role]))
    if counties:
        made.counties.set(County.objects.filter(code__in=counties))
    return made


def follow_up_round(*, year: int = 2001, **kw) -> FollowUpRound:
    round_obj = FollowUpRound.objects.create(
        year=year,
        title=kw.pop("title", f"Uppföljning {year}"),
        deadline=kw.pop("deadline", datetime.date(year, 9, 15)),
        status=kw.pop("status", FollowUpRound.Status.OPEN),
        **kw,
    )
    round_obj.themes.set(Theme.objects.all())
    return round_obj


# Reports and observations are test data in a given state, as a restored database holds
# them: built past the report lock (raw_load), with their audit records. The lock itself is
# tested through the paths that write (tests/test_report_lock.py).


def county_report(*, round_obj: FollowUpRound, county_code: str = "04", **kw) -> CountyReport:
    with raw_load(audit=True):
        return CountyReport.objects.create(round=round_obj, county=county(county_code), **kw)


def observation(*, report: CountyReport, theme: Theme | None = None, **kw) -> Observation:
    with raw_load(audit=True):
        return Observation.objects.create(
            report=report,
            theme=theme or Theme.objects.first(),
            assessment=kw.pop("assessment", 3),
            text=kw.pop("text", "Länet arbetar aktivt med temat."),
            **kw,
        )


def set_status(report: CountyReport, status: str) -> CountyReport:
    """Put ``report`` straight into ``status`` (not through the workflow), as test data. A
    report that has been with the ministry gets what its submission wrote: the time, the
    evidence named, a version of every observation."""
    updates = {}
    sent = status in (S.SUBMITTED, S.RETURNED, S.APPROVED) and report.submitted_at is None
    if sent:
        updates = {
            "submitted_at": timezone.now(),
            "frozen_evidence": evidence_labels(report_id=report.pk),
        }
    CountyReport.objects.filter(pk=report.pk).transition(status=S.SUBMITTED, **updates)
    report.refresh_from_db()
    if sent:
        with raw_load(audit=True):
            for observation in Observation.objects.filter(report=report):
                observation._history_date = report.submitted_at
                OBSERVATION_HISTORY.create_historical_record(observation, "~")
    CountyReport.objects.filter(pk=report.pk).transition(status=status)
    report.refresh_from_db()
    return report
