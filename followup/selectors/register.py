"""The register's detail pages: a project, an organisation, a partnership, a cluster.

Each object is found through ``access.visible_or_404`` — another county's answers exactly like
one that does not exist — and everything its page lists (an organisation's projects, a
partnership's members, a cluster's actors and links) through ``access.visible``, so a page shows
a user what the lists show them and no more. Every function runs a fixed number of queries,
whatever the number of financing lines, members, actors or links: lines are summed in SQL, the
projects' own sums come from the totals the database keeps (``ProjectTotal``).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Model, QuerySet, Sum, Value

from agreements.models import (
    Agreement,
    Cluster,
    ClusterActor,
    ClusterLink,
    FinancingLine,
    FinancingSource,
    Measure,
    Municipality,
    Organisation,
    Partnership,
    PartnershipMember,
    Project,
)
from agreements.models.partnerships import MEMBER_ROLE_ORDER
from agreements.models.totals import rounded
from core import access
from followup.selectors.exports import CLUSTER_ASSESSMENT
from followup.selectors.totals import project_sums

DECIDED, OUTCOME = FinancingLine.Kind.DECIDED, FinancingLine.Kind.OUTCOME
# A page lists at most this many projects (the largest first); the sums cover them all.
PROJECT_LIMIT = 100


# --- financing tables ----------------------------------------------------------------------------


@dataclass
class FinancingRow:
    """Decided and outcome of one year and source (and financier, where the table has one);
    None where no line of that kind was reported (a line of 0 kr is 0)."""

    year: int
    source: FinancingSource
    financier: Organisation | None = None
    decided: Decimal | None = None
    outcome: Decimal | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class FinancingYear:
    year: int
    rows: list[FinancingRow]
    decided: Decimal
    outcome: Decimal


@dataclass
class FinancingTable:
    """Financing by year and source, each year with its sum, and the sum of them all."""

    years: list[FinancingYear]
    decided: Decimal
    outcome: Decimal


def _financing_table(rows: list[FinancingRow]) -> FinancingTable:
    by_year: dict[int, list[FinancingRow]] = defaultdict(list)
    for row in rows:
        by_year[row.year].append(row)
    years = [
        FinancingYear(
            year=year,
            rows=year_rows,
            decided=sum((row.decided or Decimal(0) for row in year_rows), Decimal(0)),
            outcome=sum((row.outcome or Decimal(0) for row in year_rows), Decimal(0)),
        )
        for year, year_rows in sorted(by_year.items())
    ]
    return FinancingTable(
        years=years,
        decided=sum((year.decided for year in years), Decimal(0)),
        outcome=sum((year.outcome for year in years), Decimal(0)),
    )


def _add(row: FinancingRow, kind: str, amount) -> None:
    if kind == DECIDED:
        row.decided = (row.decided or Decimal(0)) + rounded(amount)
    else:
        row.outcome = (row.outcome or Decimal(0)) + rounded(amount)


def project_financing(*, project: Project) -> FinancingTable:
    """The project's financing lines by year, source and financier: a decided line and an
    outcome line of the same year, source and financier share a row (one query)."""
    rows: dict[tuple, FinancingRow] = {}
    lines = (
        FinancingLine.objects.filter(project=project)
        .select_related("source", "financier")
        .order_by("year", "source__sort_order", "source__name", "financier__name", "kind", "pk")
    )
    for line in lines:
        key = (line.year, line.source_id, line.financier_id)
        row = rows.get(key)
        if row is None:
            row = rows[key] = FinancingRow(
                year=line.year, source=line.source, financier=line.financier
            )
        _add(row, line.kind, line.amount)
        if line.note and line.note not in row.notes:
            row.notes.append(line.note)
    return _financing_table(list(rows.values()))


def _summed_financing(lines: QuerySet) -> FinancingTable:
    """``lines`` summed by year and source (two queries: the sums, then their sources)."""
    sums = (
        lines.order_by()
        .values_list("year", "source_id", "kind")
        .annotate(total=Sum("amount"))
        .order_by("year", "source_id", "kind")
    )
    found = list(sums)
    sources = FinancingSource.objects.in_bulk({source_id for _y, source_id, _k, _t in found})
    rows: dict[tuple, FinancingRow] = {}
    for year, source_id, kind, total in found:
        row = rows.get((year, source_id))
        if row is None:
            row = rows[(year, source_id)] = FinancingRow(year=year, source=sources[source_id])
        _add(row, kind, total)
    ordered = sorted(
        rows.values(), key=lambda r: (r.year, r.source.sort_order, r.source.name, r.source.pk)
    )
    return _financing_table(ordered)


# --- projects listed on a page ------------------------------------------------------------------


@dataclass
class ProjectSummary:
    """Projects the user may see, counted and summed in full, the largest listed."""

    count: int
    decided: Decimal
    outcome: Decimal
    rows: list[Project]

    @property
    def more(self) -> bool:
        return self.count > len(self.rows)


def _project_summary(projects: QuerySet) -> ProjectSummary:
    rows = list(
        projects.select_related("county", "totals").order_by(
            "-totals__decided", "county__code", "reference_number", "pk"
        )[:PROJECT_LIMIT]
    )
    return ProjectSummary(rows=rows, **project_sums(projects))


def _visible_projects(user, **lookups) -> QuerySet:
    return access.visible(Project.objects.filter(**lookups), user)


# --- a project ----------------------------------------------------------------------------------


@dataclass
class Change:
    label: str
    before: Any
    after: Any


@dataclass
class Version:
    at: datetime
    who: str
    kind: str  # "+", "~", "-" as simple-history records them
    changes: list[Change]


# The project's fields its history page words, in the order of its form.
HISTORY_FIELDS = (
    "reference_number",
    "title",
    "description",
    "measure",
    "owner",
    "municipality",
    "partnership",
    "cluster",
    "start_date",
    "end_date",
    "status",
)
# A foreign key of the project → how the history names the row it points to.
_NAMED_BY: dict[str, tuple[type[Model], tuple[str, ...]]] = {
    "measure": (Measure, ("priority_area__number", "number", "name")),
    "owner": (Organisation, ("name",)),
    "municipality": (Municipality, ("name",)),
    "partnership": (Partnership, ("name",)),
    "cluster": (Cluster, ("name",)),
}


def project_detail(*, user, pk: int) -> Project:
    """The project, if ``user`` sees it (else 404, as for a project that does not exist), with
    what its page shows beside it."""
    return access.visible_or_404(
        Project.objects.select_related(
            "county",
            "agreement",
            "measure__priority_area",
            "owner__kind",
            "municipality",
            "partnership",
            "cluster",
            "totals",
        ),
        user,
        pk=pk,
    )


def project_history(*, user, project: Project) -> list[Version] | None:
    """The project's audit trail as the admin's history page shows it to ``user`` — the versions
    ``access.visible`` lets them read — or None when ``access.may_read_history`` says no.
    Each version names the fields it changed, from what to what."""
    row = Project.objects.filter(pk=project.pk)
    versions_qs = access.visible(project.history.all(), user)
    if not access.may_read_history(user, row, versions_qs):
        return None
    versions = list(versions_qs.select_related("history_user").order_by("history_date", "pk"))
    names = _history_names(user, versions)
    shown = []
    for previous, version in zip([None, *versions], versions, strict=False):
        who = version.history_user
        shown.append(
            Version(
                at=version.history_date,
                who=(who.get_full_name() or who.username) if who else "",
                kind=version.history_type,
                changes=_changes(previous, version, names) if previous is not None else [],
            )
        )
    shown.reverse()  # the newest first, as the admin lists them
    return shown


def _changes(previous, version, names: dict[str, dict]) -> list[Change]:
    """The fields ``version`` changed since ``previous``, from what to what (a row pointed to
    by its name, a status by its label)."""
    statuses = dict(Project.Status.choices)
    changes = []
    for name in HISTORY_FIELDS:
        attname = f"{name}_id" if name in _NAMED_BY else name
        before, after = getattr(previous, attname), getattr(version, attname)
        if before == after:
            continue
        if name in _NAMED_BY:
            before, after = names[name].get(before), names[name].get(after)
        elif name == "status":
            before, after = statuses.get(before, before), statuses.get(after, after)
        label = str(getattr(Project._meta.get_field(name), "verbose_name", name))
        changes.append(Change(label=label[:1].upper() + label[1:], before=before, after=after))
    return changes


def _history_names(user, versions) -> dict[str, dict]:
    """The rows the versions point to, by id, named — each only if ``user`` may read it (one
    query per kind of row that changed, none when nothing did)."""
    names: dict[str, dict] = {}
    for name, (model, fields) in _NAMED_BY.items():
        values = {getattr(v, f"{name}_id") for v in versions}
        names[name] = {}
        if len(values) < 2:  # never changed: nothing to name
            continue
        rows = access.visible(model._default_manager.filter(pk__in=values - {None}), user)
        for pk, *parts in rows.values_list("pk", *fields):
            # a measure by its number in the agreement ("1.2 Turism"), anything else by name
            names[name][pk] = f"{parts[0]}.{parts[1]} {parts[2]}" if len(parts) == 3 else parts[0]
    return names


# --- an organisation -----------------------------------------------------------------------------


@dataclass
class OrganisationDetail:
    organisation: Organisation
    agreements: list[Agreement]
    projects: ProjectSummary
    memberships: list[PartnershipMember]
    clusters: list[ClusterActor]
    financing: FinancingTable  # the lines it finances, in the projects the user sees


def organisation_detail(*, user, pk: int) -> OrganisationDetail:
    """The organisation (every role reads the register's actors) with the agreements it leads,
    the projects it owns, the partnerships and clusters it takes part in and the financing it
    gives — each as far as ``user`` sees them."""
    organisation = access.visible_or_404(
        Organisation.objects.select_related("kind", "county", "municipality"), user, pk=pk
    )
    return OrganisationDetail(
        organisation=organisation,
        agreements=list(
            access.visible(Agreement.objects.filter(lead_body=organisation), user)
            .select_related("county")
            .order_by("county__code", "start_year", "kind")
        ),
        projects=_project_summary(_visible_projects(user, owner=organisation)),
        memberships=list(
            access.visible(PartnershipMember.objects.filter(organisation=organisation), user)
            .select_related("partnership__county")
            .order_by("partnership__county__code", "partnership__name", "pk")
        ),
        clusters=list(
            access.visible(ClusterActor.objects.filter(organisation=organisation), user)
            .select_related("cluster__county")
            .order_by("cluster__county__code", "cluster__name", "pk")
        ),
        financing=_summed_financing(
            access.visible(FinancingLine.objects.filter(financier=organisation), user)
        ),
    )


# --- a partnership -------------------------------------------------------------------------------


@dataclass
class PartnershipDetail:
    partnership: Partnership
    members: list[PartnershipMember]
    projects: ProjectSummary


def partnership_detail(*, user, pk: int) -> PartnershipDetail:
    partnership = access.visible_or_404(
        Partnership.objects.select_related("county", "agreement", "municipality"), user, pk=pk
    )
    members = (
        access.visible(PartnershipMember.objects.filter(partnership=partnership), user)
        .select_related("organisation__kind")
        .order_by(MEMBER_ROLE_ORDER.asc(), "organisation__name", "pk")
    )
    return PartnershipDetail(
        partnership=partnership,
        members=list(members),
        projects=_project_summary(_visible_projects(user, partnership=partnership)),
    )


# --- a cluster -----------------------------------------------------------------------------------


@dataclass
class ClusterDetail:
    cluster: Cluster
    other_counties: list
    assessment: list[tuple[str, str]]  # (heading, text) of the parts written
    actors: list[ClusterActor]
    links: list[ClusterLink]
    projects: ProjectSummary

    @property
    def in_working_group(self) -> int:
        return sum(1 for actor in self.actors if actor.in_working_group)

    def links_of(self, direction: str) -> int:
        return sum(1 for link in self.links if link.direction == direction)


def cluster_detail(*, user, pk: int) -> ClusterDetail:
    """The cluster with its assessment, its actors and their part in the work, the links
    between them and the projects in it. Its page is its lead county's: a county it extends
    over reads it on its own county page (``access`` scopes clusters by their lead county)."""
    cluster = access.visible_or_404(Cluster.objects.select_related("county"), user, pk=pk)
    actors = (
        access.visible(ClusterActor.objects.filter(cluster=cluster), user)
        .select_related("organisation__kind")
        .order_by("-in_working_group", "organisation__name", "pk")
    )
    links = (
        access.visible(ClusterLink.objects.filter(cluster=cluster), user)
        .select_related("from_actor__organisation", "to_actor__organisation")
        .order_by("from_actor__organisation__name", "to_actor__organisation__name", "pk")
    )
    return ClusterDetail(
        cluster=cluster,
        other_counties=list(cluster.other_counties.order_by("code")),
        assessment=[
            (str(label), getattr(cluster, name).strip())
            for name, label in CLUSTER_ASSESSMENT
            if getattr(cluster, name).strip()
        ],
        actors=list(actors),
        links=list(links),
        projects=_project_summary(_visible_projects(user, cluster=cluster)),
    )


# --- links to the pages --------------------------------------------------------------------------

_LINKABLE = {"project": Project, "partnership": Partnership, "cluster": Cluster}


def linkable_ids(*, user, ids: dict[str, set[int]]) -> dict[str, set[int]]:
    """Of the projects, partnerships and clusters named by id (``{"project": {…}, …}``), those
    whose page ``user`` may open: they exist and ``access`` lets the user see them (one query
    for all three kinds)."""
    found: dict[str, set[int]] = {kind: set() for kind in _LINKABLE}
    asked = [
        access.visible(model._default_manager.filter(pk__in=ids[kind]), user)
        .annotate(page_kind=Value(kind, output_field=CharField()))
        .order_by()
        .values_list("page_kind", "pk")
        for kind, model in _LINKABLE.items()
        if ids.get(kind)
    ]
    if asked:
        for kind, pk in asked[0].union(*asked[1:], all=True):
            found[kind].add(pk)
    return found
