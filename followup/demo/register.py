"""One county's agreement with priority areas and measures, and its partnerships with members."""

import datetime
import random
from dataclasses import dataclass, field

from agreements.models import (
    Agreement,
    Cluster,
    Measure,
    Organisation,
    Partnership,
    PartnershipMember,
    PriorityArea,
)
from followup.demo import names
from followup.demo.audit import audited_bulk_create
from followup.demo.organisations import BATCH, CountyActors

Role = PartnershipMember.Role
CLUSTER_MEASURE = "Företagsnätverk och kluster"
# Counties the report names as deepening their contacts with local partnerships.
LOCAL_PARTNERSHIP_COUNTIES = {"04": 5, "05": 4}


@dataclass
class AgreementParts:
    agreement: Agreement
    areas: list[PriorityArea]
    measures: list[Measure]
    # Project subjects of each measure (by measure position in ``measures``).
    subjects: list[list[str]]


@dataclass
class CountyPartnerships:
    regional: Partnership
    acting: dict[int, Partnership]  # by priority area number
    local: dict[int, Partnership] = field(default_factory=dict)  # by municipality id
    sectoral: list[Partnership] = field(default_factory=list)

    def all(self) -> list[Partnership]:
        return [self.regional, *self.acting.values(), *self.local.values(), *self.sectoral]


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def build_agreement(rng: random.Random, actors: CountyActors, *, with_clusters: bool):
    """The county's growth agreement 2000–2003 with 3–5 priority areas of 2–4 measures each."""
    county = actors.county
    agreement = Agreement(
        county=county,
        kind=Agreement.Kind.GROWTH_AGREEMENT,
        start_year=2000,
        end_year=2003,
        lead_body=actors.lead_body,
        signed_on=datetime.date(2000, rng.randint(1, 4), rng.randint(1, 28)),
        status=Agreement.Status.IN_FORCE,
        description=(
            f"Regionalt tillväxtavtal för {county.name} 2000–2003. Avtalet har tagits fram av "
            f"ett brett partnerskap under ledning av {actors.lead_body.name} och anger "
            "innehållsmässiga och finansiella ramar för insatserna."
        ),
    )
    audited_bulk_create(Agreement, [agreement])
    chosen = [0] + rng.sample(range(1, len(names.PRIORITY_AREAS)), rng.randint(2, 4))
    areas, measures, subjects = [], [], []
    for number, index in enumerate(chosen, start=1):
        name, description, measure_specs = names.PRIORITY_AREAS[index]
        area = PriorityArea(agreement=agreement, number=number, name=name, description=description)
        areas.append(area)
        picked = sorted(rng.sample(range(len(measure_specs)), rng.randint(2, len(measure_specs))))
        picked = picked[:4]
        cluster_index = next(
            (i for i, (m_name, _s) in enumerate(measure_specs) if m_name == CLUSTER_MEASURE), None
        )
        if with_clusters and cluster_index is not None and cluster_index not in picked:
            picked = sorted([*picked[:-1], cluster_index])
        for m_number, m_index in enumerate(picked, start=1):
            m_name, m_subjects = measure_specs[m_index]
            measures.append(
                Measure(
                    agreement=agreement,
                    priority_area=area,
                    number=m_number,
                    name=m_name,
                    description=f"Insatser inom {lower_first(m_name)} i {county.name}.",
                )
            )
            subjects.append(m_subjects)
    audited_bulk_create(PriorityArea, areas)
    audited_bulk_create(Measure, measures)  # bulk_create picks up the areas' new ids
    return AgreementParts(agreement=agreement, areas=areas, measures=measures, subjects=subjects)


def _distinct(orgs: list[Organisation]) -> list[Organisation]:
    seen, result = set(), []
    for org in orgs:
        if org.pk not in seen:
            seen.add(org.pk)
            result.append(org)
    return result


def build_partnerships(
    rng: random.Random,
    actors: CountyActors,
    parts: AgreementParts,
    clusters: list[tuple[Cluster, object, list]],
) -> CountyPartnerships:
    """Representing and acting regional partnerships, local ones and (in 04) the cluster group."""
    county, agreement = actors.county, parts.agreement
    whole_period = actors.municipalities_whole_period()
    regional = Partnership(
        county=county,
        agreement=agreement,
        name=f"Partnerskapet för tillväxtavtalet i {county.name}",
        level=Partnership.Level.REGIONAL,
        kind=Partnership.Kind.REPRESENTING,
        description="Det formella partnerskapet som står bakom avtalet och beslutar om dess "
        "inriktning och prioriteringar.",
    )
    acting = {
        area.number: Partnership(
            county=county,
            agreement=agreement,
            name=f"Arbetsgruppen för {lower_first(area.name)}",
            level=Partnership.Level.REGIONAL,
            kind=Partnership.Kind.ACTING,
            description=f"Genomför och följer upp insatserna inom insatsområde {area.number}.",
        )
        for area in parts.areas
    }
    n_local = LOCAL_PARTNERSHIP_COUNTIES.get(county.code, rng.choice([0, 1, 1, 2]))
    local = {}
    for municipality in rng.sample(whole_period, min(n_local, len(whole_period))):
        kind = Partnership.Kind.ACTING if rng.random() < 0.7 else Partnership.Kind.REPRESENTING
        local[municipality.pk] = Partnership(
            county=county,
            agreement=agreement,
            name=rng.choice(names.LOCAL_PARTNERSHIP_NAMES).format(place=municipality.name),
            level=Partnership.Level.LOCAL,
            kind=kind,
            municipality=municipality,
            description=(
                f"Kommunen, lokala företagare, organisationer och engagerade privatpersoner i "
                f"{municipality.name} som förankrar tillväxtavtalet lokalt."
            ),
        )
    sectoral = []
    cluster_groups = []
    for cluster, _spec, cluster_actors in clusters:
        working_group = [a.organisation for a in cluster_actors if a.in_working_group]
        if county.code == "04":
            sectoral.append(
                Partnership(
                    county=county,
                    agreement=agreement,
                    name=f"Arbetsgruppen för {lower_first(cluster.name)}",
                    level=Partnership.Level.SECTORAL,
                    kind=Partnership.Kind.ACTING,
                    description=cluster.description,
                )
            )
            cluster_groups.append(working_group)
    result = CountyPartnerships(regional=regional, acting=acting, local=local, sectoral=sectoral)
    audited_bulk_create(Partnership, result.all())

    members: list[PartnershipMember] = []

    def add(partnership, orgs, start, roles=None):
        for index, org in enumerate(_distinct(orgs)):
            role = (roles or {}).get(index, Role.MEMBER)
            members.append(
                PartnershipMember(
                    partnership=partnership, organisation=org, role=role, start_date=start
                )
            )

    # The representing partnership: the region's public bodies, municipalities and business.
    start = datetime.date(1999, rng.randint(3, 6), 1)
    core = [actors.lead_body, actors.county_council, actors.board, actors.labour_board]
    core += [actors.almi, actors.universities[0], *actors.business_organisations]
    core += [
        actors.municipality_orgs[m.pk] for m in rng.sample(whole_period, min(4, len(whole_period)))
    ]
    core += rng.sample(actors.companies, min(2, len(actors.companies)))
    roles = {0: Role.CHAIR}
    if actors.county_council.pk != actors.lead_body.pk:
        roles[1] = Role.VICE_CHAIR
    add(regional, core, start, roles)
    # One member left at the end of 2001 and a company took its place.
    leaving = next(m for m in members if m.organisation == actors.business_organisations[1])
    leaving.end_date = datetime.date(2001, 12, 31)
    if actors.associations:
        members.append(
            PartnershipMember(
                partnership=regional,
                organisation=actors.associations[0],
                role=Role.CO_OPTED,
                start_date=datetime.date(2002, 1, 1),
            )
        )

    # Acting groups: a chair from the state or the region, the lead body as secretariat.
    pool = [actors.labour_board, actors.almi, *actors.universities, *actors.business_organisations]
    for partnership in acting.values():
        start = datetime.date(2000, rng.randint(1, 6), 1)
        chair = rng.choice([actors.board, actors.labour_board, actors.almi, actors.county_council])
        others = rng.sample(pool, min(rng.randint(2, 4), len(pool)))
        others += rng.sample(actors.companies, min(rng.randint(0, 2), len(actors.companies)))
        others += [actors.municipality_orgs[rng.choice(whole_period).pk]]
        orgs = _distinct([chair, *[o for o in others if o.pk != actors.lead_body.pk]])
        add(partnership, orgs, start, {0: Role.CHAIR})
        if chair.pk != actors.lead_body.pk:
            members.append(
                PartnershipMember(
                    partnership=partnership,
                    organisation=actors.lead_body,
                    role=Role.SECRETARIAT,
                    start_date=start,
                )
            )

    # Local partnerships: the municipality in the chair, local firms and associations.
    for municipality_id, partnership in local.items():
        start = datetime.date(rng.choice([2000, 2000, 2001]), rng.randint(1, 12), 1)
        here = [c for c in actors.companies if c.municipality_id == municipality_id]
        firms = rng.sample(
            here or actors.companies, min(rng.randint(1, 3), len(here or actors.companies))
        )
        orgs = [actors.municipality_orgs[municipality_id], *firms]
        societies = [a for a in actors.associations if a.municipality_id == municipality_id]
        orgs += rng.sample(societies or actors.associations, min(1, len(actors.associations)))
        orgs += [actors.business_organisations[0]]
        if rng.random() < 0.5:
            orgs.append(actors.almi)
        add(partnership, orgs, start, {0: Role.CHAIR, len(_distinct(orgs)) - 1: Role.DEPUTY})

    for partnership, working_group in zip(sectoral, cluster_groups, strict=True):
        group = sorted(working_group, key=lambda o: o.pk != actors.lead_body.pk)
        add(partnership, group, datetime.date(2000, 9, 1), {0: Role.CHAIR})

    audited_bulk_create(PartnershipMember, members, batch_size=BATCH)
    return result
