"""One county's projects with their financing lines, and the financial frames around them.

Amounts are drawn so that the national shares of decided money come out roughly like the first
year of the report: about half state, private about 25 %, municipal 8 %, EU 6 %, the rest county
council and other. Frames are set a little above what was decided, so frame vs decided vs
outcome reads believably at any number of projects.
"""

import datetime
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from agreements.models import FinancialFrame, FinancingLine, FinancingSource, Project
from followup.demo import names
from followup.demo.audit import audited_bulk_create
from followup.demo.organisations import BATCH, PERIOD_START, CountyActors, NationalActors
from followup.demo.register import CLUSTER_MEASURE, AgreementParts, CountyPartnerships

# The register is shown as it stood on this day: later projects are granted or applied for.
AS_OF = datetime.date(2002, 6, 30)
LAST_START = datetime.date(2003, 6, 30)
Status = Project.Status
Kind = FinancingLine.Kind

STATE_SOURCES = [
    ("stat-regional-utveckling", 45),
    ("stat-arbetsmarknad", 25),
    ("stat-nutek", 15),
    ("stat-ovriga", 15),
]
# Co-financing by category; the weights are the wanted national percentages.
CO_SOURCES = [
    ("privat", 25),
    ("kommun", 8),
    ("landsting", 7),
    ("eu-strukturfonder", 6),
    ("ovrigt", 4),
]
EU_PROGRAMMES = ["Mål 2", "Mål 3", "Interreg IIIA", "Leader+"]
EU_PROGRAMMES_NORTH = ["Mål 1 Norra Norrland", "Mål 1 Södra skogslänsregionen", "Mål 3"]
NORTH = {"20", "21", "22", "23", "24", "25", "17"}
FRAME_SOURCES = ["stat-regional-utveckling", "stat-arbetsmarknad", "landsting", "kommun", "privat"]
MONTHS = [6, 9, 12, 12, 18, 24, 24, 30, 36]


@dataclass
class ProjectsResult:
    projects: int
    lines: int
    frames: int
    # A few projects per purpose, for the evidence of the county report's observations.
    evidence: dict[str, list[Project]]


def add_months(day: datetime.date, months: int) -> datetime.date:
    years, month = divmod(day.month - 1 + months, 12)
    return datetime.date(day.year + years, month + 1, min(day.day, 28))


def weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]


def kronor(value: float, step: int = 1000) -> Decimal:
    return Decimal(max(step, int(round(value / step)) * step))


def build_projects(
    rng: random.Random,
    actors: CountyActors,
    national: NationalActors,
    parts: AgreementParts,
    partnerships: CountyPartnerships,
    clusters: list,
    sources: dict[str, FinancingSource],
    count: int,
) -> ProjectsResult:
    county = actors.county
    days = (LAST_START - PERIOD_START).days
    cluster_measures = {i for i, m in enumerate(parts.measures) if m.name == CLUSTER_MEASURE}
    specs = []
    for index in range(count):
        m_index = rng.randrange(len(parts.measures))
        measure = parts.measures[m_index]
        start = PERIOD_START + datetime.timedelta(days=rng.randrange(days))
        end = add_months(start, rng.choice(MONTHS)) - datetime.timedelta(days=1)
        municipality = rng.choice(actors.municipalities_valid_on(start))
        if rng.random() < 0.1:
            municipality = None  # a county-wide project
        subjects = parts.subjects[m_index]
        cluster, cluster_actors = None, []
        if clusters and (
            (m_index in cluster_measures and rng.random() < 0.6) or rng.random() < 0.04
        ):
            cluster, spec, cluster_actors = rng.choice(clusters)
            subjects = spec.subjects
        owner = _owner(rng, actors, municipality, cluster_actors)
        partnership = None
        if cluster is not None and partnerships.sectoral:
            partnership = partnerships.sectoral[0]
        elif (
            municipality is not None
            and municipality.pk in partnerships.local
            and rng.random() < 0.6
        ):
            partnership = partnerships.local[municipality.pk]
        if partnership is None and rng.random() < 0.3:
            partnership = partnerships.acting[measure.priority_area.number]
        place = municipality.name if municipality else county.short_name
        subject = rng.choice(subjects)
        if rng.random() < 0.15:
            title = f"{rng.choice(names.TITLE_NAMED)} {place}"
        else:
            title = f"{rng.choice(names.TITLE_PREFIXES)} {subject}"
            if municipality is not None and rng.random() < 0.5:
                title += f" i {municipality.name}"
        description = rng.choice(names.PROJECT_DESCRIPTIONS).format(place=place, subject=subject)
        if rng.random() < 0.03:
            status = Status.REJECTED
        elif start > AS_OF:
            status = Status.GRANTED if rng.random() < 0.7 else Status.APPLIED
        elif end < AS_OF:
            status = Status.FINISHED if rng.random() < 0.95 else Status.CANCELLED
        else:
            status = Status.ONGOING
        project = Project(
            county=county,
            agreement=parts.agreement,
            measure=measure,
            title=title[:250],
            description=description,
            owner=owner,
            municipality=municipality,
            partnership=partnership,
            cluster=cluster,
            start_date=start,
            end_date=end,
            status=status,
        )
        specs.append((start, index, m_index, project))

    # Reference numbers run in the order the applications came in.
    specs.sort(key=lambda spec: (spec[0], spec[1]))
    projects = [spec[3] for spec in specs]
    for serial, (start, _index, _m, project) in enumerate(specs, start=1):
        area = project.measure.priority_area.number
        project.reference_number = f"3{area:02d}-{serial:04d}-{start.year % 100:02d}"
    audited_bulk_create(Project, projects, batch_size=BATCH)

    lines: list[FinancingLine] = []
    decided = defaultdict(Decimal)  # (measure index, source code, year) -> amount
    for _start, _index, m_index, project in specs:
        for line in _financing(rng, actors, national, sources, project):
            lines.append(line)
            if line.kind == Kind.DECIDED:
                decided[(m_index, line.source.code, line.year)] += line.amount
    audited_bulk_create(FinancingLine, lines, batch_size=BATCH)
    frames = _frames(rng, parts, sources, decided)
    audited_bulk_create(FinancialFrame, frames, batch_size=BATCH)

    local_ids = _ids(partnerships.local.values())
    evidence = {
        "cluster": [p for p in projects if p.cluster_id][:3],
        "local": [p for p in projects if p.partnership_id in local_ids][:3],
        "any": rng.sample(projects, min(3, len(projects))),
    }
    return ProjectsResult(
        projects=len(projects), lines=len(lines), frames=len(frames), evidence=evidence
    )


def _ids(objects) -> set[int]:
    return {o.pk for o in objects}


def _owner(rng, actors: CountyActors, municipality, cluster_actors):
    if cluster_actors and rng.random() < 0.5:
        return rng.choice(cluster_actors).organisation
    r = rng.random()
    if r < 0.33:
        chosen = municipality or rng.choice(actors.municipalities_whole_period())
        return actors.municipality_orgs[chosen.pk]
    if r < 0.58:
        return rng.choice(actors.companies)
    if r < 0.68:
        return rng.choice(actors.universities)
    if r < 0.80 and actors.associations:
        return rng.choice(actors.associations)
    if r < 0.87:
        return rng.choice(actors.business_organisations)
    if r < 0.93:
        return actors.county_council
    return rng.choice([actors.board, actors.almi, actors.labour_board])


def _financing(rng, actors, national, sources, project) -> list[FinancingLine]:
    """Decided lines from the state and one or two co-financiers, and outcome where paid."""
    if project.status in (Status.REJECTED, Status.APPLIED):
        return []
    budget = min(30_000_000, max(100_000, rng.lognormvariate(math.log(1_200_000), 0.8)))
    state_amount = budget * rng.uniform(0.38, 0.62)
    rest = budget - state_amount
    shares = {weighted(rng, STATE_SOURCES): state_amount}
    if rng.random() < 0.5:
        codes = [weighted(rng, CO_SOURCES)]
        amounts = [rest]
    else:
        codes = [weighted(rng, CO_SOURCES), weighted(rng, CO_SOURCES)]
        split = rng.uniform(0.3, 0.7)
        amounts = [rest * split, rest * (1 - split)]
    for code, amount in zip(codes, amounts, strict=True):
        shares[code] = shares.get(code, 0) + amount
    year = project.start_date.year
    lines = []
    for code, amount in shares.items():
        financier, note = _financier(rng, actors, national, project, code)
        lines.append(
            FinancingLine(
                project=project,
                source=sources[code],
                financier=financier,
                year=year,
                amount=kronor(amount),
                kind=Kind.DECIDED,
                note=note,
            )
        )
    if project.status in (Status.ONGOING, Status.FINISHED, Status.CANCELLED):
        paid_year = max(year, min(project.end_date.year, AS_OF.year))
        finished = project.status == Status.FINISHED
        paid = [(lines[0], rng.uniform(0.75, 1.0) if finished else rng.uniform(0.2, 0.6))]
        if finished and len(lines) > 1:
            paid.append((lines[1], rng.uniform(0.6, 1.1)))
        for decided_line, fraction in paid:
            lines.append(
                FinancingLine(
                    project=project,
                    source=decided_line.source,
                    financier=decided_line.financier,
                    year=paid_year,
                    amount=kronor(float(decided_line.amount) * fraction),
                    kind=Kind.OUTCOME,
                    note="Utfall enligt projektägarens slutrapport" if finished else "",
                )
            )
    return lines


def _financier(rng, actors: CountyActors, national: NationalActors, project, code):
    """Who pays for a source, and how the amount was reported."""
    if code == "stat-regional-utveckling":
        return actors.lead_body, ""
    if code == "stat-arbetsmarknad":
        return actors.labour_board, ""
    if code == "stat-nutek":
        return national.nutek, ""
    if code == "stat-ovriga":
        return rng.choice([*national.state_agencies, *actors.universities]), ""
    if code == "landsting":
        return actors.county_council, ""
    if code == "kommun":
        municipality = project.municipality or rng.choice(actors.municipalities_whole_period())
        note = "Inklusive medfinansiering i form av personal" if rng.random() < 0.2 else ""
        return actors.municipality_orgs[municipality.pk], note
    if code == "eu-strukturfonder":
        programmes = EU_PROGRAMMES_NORTH if actors.county.code in NORTH else EU_PROGRAMMES
        return None, rng.choice(programmes)
    if code == "privat":
        owner = project.owner
        company = owner if owner.kind.code == "foretag" else rng.choice(actors.companies)
        note = (
            "Inklusive eget arbete, enligt projektägarens redovisning"
            if rng.random() < 0.25
            else ""
        )
        return company, note
    return (rng.choice(national.other_financiers) if rng.random() < 0.7 else None), ""


def _frames(rng, parts: AgreementParts, sources, decided) -> list[FinancialFrame]:
    """Frames per measure (and EU per priority area), year and source: above what was decided."""
    order = sorted(sources.values(), key=lambda s: (s.sort_order, s.code))
    years = range(parts.agreement.start_year, parts.agreement.end_year + 1)
    frames = []
    for area in parts.areas:
        area_measures = [i for i, m in enumerate(parts.measures) if m.priority_area is area]
        for m_index in area_measures:
            measure = parts.measures[m_index]
            chosen = set(rng.sample(FRAME_SOURCES, 3))
            used = {code for (i, code, _y) in decided if i == m_index}
            codes = (chosen | used) - {"eu-strukturfonder"}
            for year in years:
                for source in order:
                    if source.code not in codes:
                        continue
                    amount = decided.get((m_index, source.code, year), Decimal(0))
                    value = float(amount) * rng.uniform(1.05, 1.4) + rng.uniform(1e5, 5e5)
                    frames.append(
                        FinancialFrame(
                            agreement=parts.agreement,
                            priority_area=area,
                            measure=measure,
                            source=source,
                            year=year,
                            amount=kronor(value, 10_000),
                        )
                    )
        # EU structural funds are committed to the priority area as a whole.
        for year in years:
            amount = sum(
                (decided.get((i, "eu-strukturfonder", year), Decimal(0)) for i in area_measures),
                Decimal(0),
            )
            if amount or rng.random() < 0.5:
                value = float(amount) * rng.uniform(1.05, 1.4) + rng.uniform(2e5, 1e6)
                frames.append(
                    FinancialFrame(
                        agreement=parts.agreement,
                        priority_area=area,
                        measure=None,
                        source=sources["eu-strukturfonder"],
                        year=year,
                        amount=kronor(value, 10_000),
                    )
                )
    return frames
