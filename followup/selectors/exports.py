"""What the workbooks read: key figures of every county at once, and the rows of the data
sheets as plain tuples streamed from the database.

Every function runs a fixed number of queries, whatever the number of rows: totals are
aggregated in SQL, data rows come from ``values_list(...).iterator()``, and the financing of each
project is merged in from a second, aggregated and identically ordered query. Amounts in data
rows are floats (cast in SQL), ready for a spreadsheet; key figures keep the Decimal strings of
``county_key_figures``.

The county page reads some of them too. Names of reference rows (themes, kinds of actor,
sources) and labels are in the active language (``core.languages``); the workbooks are written
with Swedish active (``followup.exports.writer.in_swedish``).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Count, FloatField, Max, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy

from agreements.models import (
    Agreement,
    Cluster,
    ClusterActor,
    ClusterLink,
    FinancingLine,
    FinancingSource,
    Partnership,
    PartnershipMember,
    Project,
)
from agreements.models.partnerships import MEMBER_ROLE_ORDER
from core import languages
from followup.models import Assessment, CountyReport, Observation, ReportStatus, assessed_q
from followup.models.reports import SCALE
from followup.models.statuses import WITH_THE_MINISTRY
from followup.selectors.evidence import frozen_evidence, report_evidence
from followup.selectors.submitted import returned_report_ids, submitted_versions

CHUNK = 5_000
CATEGORIES = FinancingSource.Category
DECIDED, OUTCOME = FinancingLine.Kind.DECIDED, FinancingLine.Kind.OUTCOME


def labels(choices) -> dict:
    """Value → label as plain strings, evaluated now (in the active language)."""
    return {value: str(label) for value, label in choices.choices}


# Reports whose content (observations, summary) may appear in a workbook for someone other
# than the county's own coordinator: everything but a draft.
SHOWN_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.APPROVED)


def yes_no(value: bool) -> str:
    return "Ja" if value else "Nej"


# --- key figures -------------------------------------------------------------------------------


def agreements_in_force(*, year: int) -> dict[int, Agreement]:
    """County id → the agreement in force in ``year``, chosen as ``agreement_for_year`` does."""
    chosen: dict[int, Agreement] = {}
    for agreement in (
        Agreement.objects.filter(start_year__lte=year, end_year__gte=year)
        .select_related("county", "lead_body__kind")
        .order_by("county_id", "kind", "start_year")
    ):
        chosen.setdefault(agreement.county_id, agreement)
    return chosen


def figures_of(*, report: CountyReport | None, live: dict) -> tuple[dict, bool]:
    """The key figures shown for a county: those frozen at submission while the report is with
    the ministry (submitted or approved) — what the reviewer reads is what is approved — else
    the register's now (``live``)."""
    if report is not None and report.status in WITH_THE_MINISTRY and report.frozen_figures:
        return report.frozen_figures, True
    return live, False


def category_amounts(figures: dict, kind: str) -> dict[str, Decimal]:
    return {c: Decimal(figures["by_category"][c][kind]) for c in CATEGORIES.values}


# --- projects and financing ------------------------------------------------------------------


def project_fields() -> tuple:
    """What ``project_rows`` reads of a project (the owner's kind named in the active language)."""
    return (
        "county__short_name",
        "reference_number",
        "title",
        "measure__priority_area__number",
        "measure__number",
        "measure__name",
        "owner__name",
        languages.display_name_of("owner__kind"),
        "municipality__name",
        "partnership__name",
        "cluster__name",
        "start_date",
        "end_date",
        "status",
        "pk",
    )


PROJECT_ORDER = ("county__code", "reference_number", "pk")


def project_rows(*, agreement_ids: Iterable[int], year: int) -> Iterator[tuple]:
    """One row per project of the agreements, with its financing up to ``year``.

    Columns: county, reference number, title, priority area, measure, owner, owner's kind,
    municipality, partnership, cluster, start, end, status, decided per category (in
    ``CATEGORIES`` order), total decided, total outcome. Two queries, merged as they stream.
    """
    ids = list(agreement_ids)
    projects = (
        Project.objects.filter(agreement_id__in=ids)
        .order_by(*PROJECT_ORDER)
        .values_list(*project_fields())
        .iterator(chunk_size=CHUNK)
    )
    money = (
        FinancingLine.objects.filter(project__agreement_id__in=ids, year__lte=year)
        .order_by(*(f"project__{field}" for field in PROJECT_ORDER))
        .values_list("project_id", "source__category", "kind")
        .annotate(total=Cast(Sum("amount"), FloatField()))
        .iterator(chunk_size=CHUNK)
    )
    categories = CATEGORIES.values
    index = {category: i for i, category in enumerate(categories)}
    project_status = labels(Project.Status)
    pending = next(money, None)
    for row in projects:
        project_id = row[-1]
        decided = [None] * len(categories)
        outcome = None
        while pending is not None and pending[0] == project_id:
            _pk, category, kind, total = pending
            if kind == DECIDED:
                decided[index[category]] = total
            else:  # one total per source category: the outcome is their sum
                outcome = total if outcome is None else outcome + total
            pending = next(money, None)
        known = [amount for amount in decided if amount is not None]
        area, measure_number, measure_name = row[3], row[4], row[5]
        yield (
            *row[:3],
            area,
            f"{area}.{measure_number} {measure_name}",
            *row[6:11],
            row[11],
            row[12],
            project_status.get(row[13], row[13]),
            *decided,
            sum(known) if known else None,
            outcome,
        )


def financing_line_rows(*, agreement_ids: Iterable[int], year: int) -> Iterator[tuple]:
    """Financing lines up to ``year``: reference, title, year, source, category, financier,
    decided/outcome, amount, note."""
    category_label, line_kind = labels(CATEGORIES), labels(FinancingLine.Kind)
    rows = (
        FinancingLine.objects.filter(project__agreement_id__in=list(agreement_ids), year__lte=year)
        .order_by("project__reference_number", "year", "kind", "source__sort_order", "pk")
        .values_list(
            "project__reference_number",
            "project__title",
            "year",
            languages.display_name_of("source"),
            "source__category",
            "financier__name",
            "kind",
            "note",
        )
        .annotate(amount_kr=Cast("amount", FloatField()))
        .iterator(chunk_size=CHUNK)
    )
    for reference, title, line_year, source, category, financier, kind, note, amount in rows:
        yield (
            reference,
            title,
            line_year,
            source,
            category_label.get(category, category),
            financier,
            line_kind.get(kind, kind),
            amount,
            note,
        )


# --- partnerships and clusters --------------------------------------------------------------


def partnership_summaries(*, county_id: int) -> list[dict]:
    """Each partnership of the county with its members counted by kind of actor (2 queries)."""
    partnership_level, partnership_kind = labels(Partnership.Level), labels(Partnership.Kind)
    partnerships = list(
        Partnership.objects.filter(county_id=county_id)
        .order_by("level", "name")
        .values("pk", "name", "level", "kind", "municipality__name")
    )
    make_up: dict[int, list] = defaultdict(list)
    for partnership_id, kind_name, n in (
        PartnershipMember.objects.filter(partnership__county_id=county_id)
        .order_by("partnership_id", "organisation__kind__sort_order", "organisation__kind__name")
        .values_list("partnership_id", languages.display_name_of("organisation__kind"))
        .annotate(n=Count("pk"))
    ):
        make_up[partnership_id].append((kind_name, n))
    return [
        {
            "pk": p["pk"],
            "name": p["name"],
            "level": partnership_level.get(p["level"], p["level"]),
            "kind": partnership_kind.get(p["kind"], p["kind"]),
            "municipality": p["municipality__name"],
            "members": sum(n for _kind, n in make_up[p["pk"]]),
            "make_up": make_up[p["pk"]],
        }
        for p in partnerships
    ]


def county_registers(*, county_ids: Iterable[int]) -> dict[int, dict]:
    """County id → what the register holds besides the agreement: partnerships counted by level
    and by kind with their members, and the clusters the county leads or shares in with their
    actors and links (5 queries for every county)."""
    registers: dict[int, dict[str, Any]] = {
        county_id: {
            "by_level": dict.fromkeys(Partnership.Level.values, 0),
            "by_kind": dict.fromkeys(Partnership.Kind.values, 0),
            "members": 0,
            "clusters": [],
            "cluster_actors": 0,
            "cluster_links": 0,
        }
        for county_id in county_ids
    }
    for county_id, level, kind, n in (
        Partnership.objects.filter(county_id__in=registers)
        .order_by()
        .values_list("county_id", "level", "kind")
        .annotate(n=Count("pk"))
    ):
        registers[county_id]["by_level"][level] += n
        registers[county_id]["by_kind"][kind] += n
    for county_id, n in (
        PartnershipMember.objects.filter(partnership__county_id__in=registers)
        .order_by()
        .values_list("partnership__county_id")
        .annotate(n=Count("pk"))
    ):
        registers[county_id]["members"] = n
    clusters = {
        pk: (name, {county_id})
        for pk, name, county_id in Cluster.objects.order_by("name", "pk").values_list(
            "pk", "name", "county_id"
        )
    }
    for cluster_id, county_id in Cluster.other_counties.through.objects.values_list(
        "cluster_id", "county_id"
    ):
        clusters[cluster_id][1].add(county_id)
    actors = dict(ClusterActor.objects.order_by().values_list("cluster_id").annotate(n=Count("pk")))
    links = dict(ClusterLink.objects.order_by().values_list("cluster_id").annotate(n=Count("pk")))
    for pk, (name, counties) in clusters.items():
        for county_id in counties & registers.keys():
            register = registers[county_id]
            register["clusters"].append(name)
            register["cluster_actors"] += actors.get(pk, 0)
            register["cluster_links"] += links.get(pk, 0)
    return registers


def partnership_member_rows(*, county_id: int) -> Iterator[tuple]:
    partnership_level, partnership_kind = labels(Partnership.Level), labels(Partnership.Kind)
    member_role = labels(PartnershipMember.Role)
    rows = (
        PartnershipMember.objects.filter(partnership__county_id=county_id)
        .order_by(
            "partnership__level",
            "partnership__name",
            MEMBER_ROLE_ORDER.asc(),
            "organisation__name",
            "pk",
        )
        .values_list(
            "partnership__name",
            "partnership__level",
            "partnership__kind",
            "partnership__municipality__name",
            "organisation__name",
            languages.display_name_of("organisation__kind"),
            "role",
            "start_date",
            "end_date",
        )
        .iterator(chunk_size=CHUNK)
    )
    for name, level, kind, municipality, organisation, org_kind, role, start, end in rows:
        yield (
            name,
            partnership_level.get(level, level),
            partnership_kind.get(kind, kind),
            municipality,
            organisation,
            org_kind,
            member_role.get(role, role),
            start,
            end,
        )


def county_clusters(*, county_id: int):
    """Clusters the county leads or shares in, by name."""
    return (
        Cluster.objects.filter(Q(county_id=county_id) | Q(other_counties__pk=county_id))
        .distinct()
        .order_by("name", "pk")
    )


# The county's assessment of a cluster, as the report's Södermanland example gives it: the
# field and how it is headed wherever it is shown.
CLUSTER_ASSESSMENT = (
    ("description", gettext_lazy("Beskrivning")),
    ("strengths", gettext_lazy("Styrkor")),
    ("weaknesses", gettext_lazy("Svagheter")),
    ("planned_measures", gettext_lazy("Planerade åtgärder")),
    ("lock_in_risk", gettext_lazy("Risk för geografisk inlåsning")),
)


def cluster_summaries(*, county_id: int) -> list[dict]:
    """Each cluster with its assessment, its actors (with their part in the work) and its
    links counted by direction (3 queries). ``assessment`` holds the parts written, as
    (heading, text); ``members`` each actor's name, kind, place in the working group and part."""
    delimitation = labels(Cluster.Delimitation)
    clusters = list(
        county_clusters(county_id=county_id).values(
            "pk",
            "name",
            "delimitation",
            "county_id",
            "county__short_name",
            *(name for name, _label in CLUSTER_ASSESSMENT),
        )
    )
    ids = [c["pk"] for c in clusters]
    actors: dict[int, list] = defaultdict(list)
    members: dict[int, list] = defaultdict(list)
    for cluster_id, name, kind, in_group, part in (
        ClusterActor.objects.filter(cluster_id__in=ids)
        .order_by("cluster_id", "-in_working_group", "organisation__name")
        .values_list(
            "cluster_id", "organisation__name",
            languages.display_name_of("organisation__kind"), "in_working_group", "part",
        )
    ):  # fmt: skip
        actors[cluster_id].append((name, in_group))
        members[cluster_id].append(
            {"name": name, "kind": kind, "in_working_group": in_group, "part": part}
        )
    links: dict[int, dict] = defaultdict(dict)
    for cluster_id, direction, n in (
        ClusterLink.objects.filter(cluster_id__in=ids)
        .order_by()
        .values_list("cluster_id", "direction")
        .annotate(n=Count("pk"))
    ):
        links[cluster_id][direction] = n
    return [
        {
            "pk": c["pk"],
            "name": c["name"],
            "delimitation": delimitation.get(c["delimitation"], c["delimitation"]),
            "lead_county": c["county__short_name"] if c["county_id"] != county_id else "",
            "assessment": [
                (str(label), c[name].strip())
                for name, label in CLUSTER_ASSESSMENT
                if c[name].strip()
            ],
            "actors": actors[c["pk"]],
            "members": members[c["pk"]],
            "in_working_group": sum(1 for _name, in_group in actors[c["pk"]] if in_group),
            "vertical": links[c["pk"]].get(ClusterLink.Direction.VERTICAL, 0),
            "horizontal": links[c["pk"]].get(ClusterLink.Direction.HORIZONTAL, 0),
        }
        for c in clusters
    ]


def cluster_rows(*, county_id: int) -> Iterator[tuple]:
    """Per cluster: name, delimitation, the county that leads it, then the assessment's texts
    in ``CLUSTER_ASSESSMENT`` order."""
    delimitation = labels(Cluster.Delimitation)
    rows = county_clusters(county_id=county_id).values_list(
        "name", "delimitation", "county__short_name", *(name for name, _l in CLUSTER_ASSESSMENT)
    )
    for name, kind, county, *texts in rows.iterator(chunk_size=CHUNK):
        yield (name, delimitation.get(kind, kind), county, *texts)


def cluster_actor_rows(*, county_id: int) -> Iterator[tuple]:
    ids = county_clusters(county_id=county_id).values("pk")
    rows = (
        ClusterActor.objects.filter(cluster_id__in=ids)
        .order_by("cluster__name", "-in_working_group", "organisation__name", "pk")
        .values_list(
            "cluster__name",
            "organisation__name",
            languages.display_name_of("organisation__kind"),
            "in_working_group",
            "part",
        )
    )
    for cluster, organisation, kind, in_group, part in rows.iterator(chunk_size=CHUNK):
        yield (cluster, organisation, kind, yes_no(in_group), part)


LINK_FIELDS = (
    "cluster__name",
    "from_actor__organisation__name",
    "to_actor__organisation__name",
    "direction",
    "goods",
    "services",
    "knowledge",
    "description",
)


def cluster_links(*, county_id: int) -> QuerySet:
    """The links between the county's cluster actors, as stored: ``LINK_FIELDS`` tuples with the
    direction's code and what flows as booleans (the county page words them itself)."""
    ids = county_clusters(county_id=county_id).values("pk")
    return (
        ClusterLink.objects.filter(cluster_id__in=ids)
        .order_by("cluster__name", "from_actor__organisation__name", "to_actor__organisation__name")
        .values_list(*LINK_FIELDS)
    )


def cluster_link_rows(*, county_id: int) -> Iterator[tuple]:
    """The workbook's rows of ``cluster_links``: the direction by its label, flows as Ja/Nej."""
    directions = labels(ClusterLink.Direction)
    for (
        cluster,
        source,
        target,
        direction,
        goods,
        services,
        knowledge,
        description,
    ) in cluster_links(county_id=county_id).iterator(chunk_size=CHUNK):
        yield (
            cluster,
            source,
            target,
            directions.get(direction, direction),
            yes_no(goods),
            yes_no(services),
            yes_no(knowledge),
            description,
        )


# --- observations ------------------------------------------------------------------------------


def report_observations(*, report: CountyReport, as_submitted: bool = False) -> list[dict]:
    """The report's observations with their evidence named — as frozen at submission while
    the report is with the ministry (4 queries). With ``as_submitted`` (a returned report, for
    someone who does not read the county's work): as the report was last submitted. The caller
    decides whether the report's content may be shown at all."""
    observation_kind = labels(Observation.Kind)
    fields = ("assessment", "not_assessed_reason", "kind", "text")
    theme = {"theme_name": languages.display_name_of("theme")}
    if as_submitted:
        rows = submitted_versions(report_ids=[report.pk]).values("id", *fields, **theme)
        observations = [{"pk": o.pop("id"), **o} for o in rows.order_by(*_THEME_ORDER, "id")]
        cited = frozen_evidence(report)
    else:
        rows = Observation.objects.filter(report=report).values("pk", *fields, **theme)
        observations = list(rows.order_by(*_THEME_ORDER, "pk"))
        cited = report_evidence(report=report)
    return [
        {
            "pk": o["pk"],
            "theme": o["theme_name"],
            "assessment": o["assessment"],
            "not_assessed_reason": o["not_assessed_reason"],
            "kind": observation_kind.get(o["kind"], o["kind"]),
            "text": o["text"],
            "cited": cited.get(o["pk"], []),
            "evidence": ", ".join(item["name"] for item in cited.get(o["pk"], [])),
        }
        for o in observations
    ]


_THEME_ORDER = ("theme__sort_order", "theme__name")


def level(assessment: int | None) -> int | None:
    """The number a sheet may sum, compare or colour: a level 1–4; *Ej bedömt* is none."""
    return assessment if assessment in SCALE else None


def with_reason(text: str, reason: str) -> str:
    """An observation's text, with the reason for *Ej bedömt* after it when there is one."""
    return f"{text}\nSkäl till att temat inte bedöms: {reason}" if reason else text


def shown_observations(*, round_id: int) -> list:
    """The observations of the round's reports that are not drafts, as the ministry reads
    them: those of submitted and approved reports as they stand (they are locked), those of a
    returned report as it was last submitted (``followup.selectors.submitted``). Two querysets
    with the same fields, for the callers to read alike."""
    live = Observation.objects.filter(
        report__round_id=round_id, report__status__in=WITH_THE_MINISTRY
    )
    returned = submitted_versions(report_ids=returned_report_ids(round_id=round_id))
    return [live, returned]


def shown_observation_rows(*, round_id: int) -> Iterator[tuple]:
    """Every observation of the round's reports that are not drafts (as the ministry reads
    them): county, theme, level (1–4, blank for *Ej bedömt*), assessment as text, kind,
    report status, text."""
    observation_kind, report_status = labels(Observation.Kind), labels(ReportStatus)
    assessment_label = labels(Assessment)
    order = ("report__county__code", "theme__sort_order", "theme__name")
    fields = (
        "report__county__code",
        "theme__sort_order",
        languages.display_name_of("theme"),
        "report__county__short_name",
        "assessment",
        "kind",
        "report__status",
        "text",
        "not_assessed_reason",
    )
    rows = sorted(
        (*row, i)
        for source in shown_observations(round_id=round_id)
        for i, row in enumerate(source.order_by(*order).values_list(*fields))
    )
    for _code, _order, theme, county, assessment, kind, status, text, reason, _i in rows:
        yield (
            county,
            theme,
            level(assessment),
            assessment_label.get(assessment, "–"),
            observation_kind.get(kind, kind),
            report_status.get(status, status),
            with_reason(text, reason),
        )


def theme_assessments(*, round_id: int) -> dict[tuple[int, int], int]:
    """(theme id, county id) → the highest level (1–4) the county gives the theme, from reports
    that are not drafts (as the ministry reads them). Several observations on one theme count
    as the strongest; *Ej bedömt* is no level and is left out (``themes_not_assessed``)."""
    best: dict[tuple[int, int], int] = {}
    for source in shown_observations(round_id=round_id):
        for theme_id, county_id, assessment in (
            source.filter(assessed_q())
            .order_by()
            .values_list("theme_id", "report__county_id")
            .annotate(best=Max("assessment"))
        ):
            key = (theme_id, county_id)
            best[key] = max(best.get(key, assessment), assessment)
    return best


def themes_not_assessed(*, round_id: int) -> set[tuple[int, int]]:
    """(theme id, county id) where the county's report (not a draft) says *Ej bedömt* and
    gives no level."""
    marked = {
        pair
        for source in shown_observations(round_id=round_id)
        for pair in source.filter(assessment=Assessment.NOT_ASSESSED).values_list(
            "theme_id", "report__county_id"
        )
    }
    return marked - set(theme_assessments(round_id=round_id))
