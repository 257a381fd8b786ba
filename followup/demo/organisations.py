"""The actors of the demo: public bodies of every county, and invented companies and associations.

Public bodies are created once, up front; companies and associations are created county by
county, as many as the county's projects need. Invented organisations get valid (Luhn)
organisation numbers, unique over the whole data set.
"""

import datetime
import random
from dataclasses import dataclass, field

from agreements.models import County, Municipality, Organisation, OrganisationKind
from agreements.validators import luhn_ok
from followup.demo import names
from followup.demo.audit import audited_bulk_create

PERIOD_START = datetime.date(2000, 1, 1)
PERIOD_END = datetime.date(2003, 12, 31)
BATCH = 1000

# Counties whose lead body is also the county council (region) or the only municipality.
LEAD_BODY_IS_COUNCIL = {"09", "12", "14"}


class OrgNumbers:
    """Valid, unique organisationsnummer: 556… for companies, 802… for associations."""

    def __init__(self):
        self.used: set[str] = set()

    def new(self, rng: random.Random, prefix: str) -> str:
        while True:
            body = prefix + f"{rng.randrange(10**6):06d}"
            digits = body + str(check_digit(body))
            number = f"{digits[:6]}-{digits[6:]}"
            if number not in self.used:
                self.used.add(number)
                return number


def check_digit(nine_digits: str) -> int:
    """The Luhn check digit that makes the ten digits valid."""
    return next(d for d in range(10) if luhn_ok(f"{nine_digits}{d}"))


@dataclass
class CountyActors:
    """The organisations of one county the builders draw from."""

    county: County
    lead_body: Organisation
    board: Organisation  # the county administrative board (the lead body where it leads)
    county_council: Organisation
    labour_board: Organisation
    almi: Organisation
    universities: list[Organisation]
    business_organisations: list[Organisation]
    # Municipalities that existed at some time in 2000–2003, by code, and their Organisations.
    municipalities: list[Municipality]
    municipality_orgs: dict[int, Organisation]
    companies: list[Organisation] = field(default_factory=list)
    associations: list[Organisation] = field(default_factory=list)

    def municipalities_valid_on(self, day: datetime.date) -> list[Municipality]:
        return [m for m in self.municipalities if m.is_valid_on(day)]

    def municipalities_whole_period(self) -> list[Municipality]:
        return [
            m
            for m in self.municipalities
            if m.is_valid_on(PERIOD_START) and m.is_valid_on(PERIOD_END)
        ]

    def municipality_org(self, code: str) -> Organisation:
        municipality = next(m for m in self.municipalities if m.code == code)
        return self.municipality_orgs[municipality.pk]


@dataclass
class NationalActors:
    nutek: Organisation
    state_agencies: list[Organisation]
    other_financiers: list[Organisation]


def build_public_bodies(
    counties: list[County], lead_bodies: dict[str, Organisation]
) -> tuple[NationalActors, dict[str, CountyActors]]:
    """Create the public bodies of the whole country in one go, in a fixed order."""
    kinds = {k.code: k for k in OrganisationKind.objects.all()}
    to_create: list[Organisation] = []
    by_name: dict[str, Organisation] = {o.name: o for o in lead_bodies.values()}

    def org(name, kind_code, county=None, municipality=None) -> Organisation:
        if name in by_name:
            return by_name[name]
        obj = Organisation(
            name=name, kind=kinds[kind_code], county=county, municipality=municipality
        )
        by_name[name] = obj
        to_create.append(obj)
        return obj

    county_by_code = {c.code: c for c in counties}
    national = NationalActors(
        nutek=org(names.NUTEK, OrganisationKind.STATE_AGENCY, county_by_code["01"]),
        state_agencies=[org(n, OrganisationKind.STATE_AGENCY) for n in names.OTHER_STATE_AGENCIES],
        other_financiers=[org(n, OrganisationKind.OTHER) for n in names.OTHER_FINANCIERS],
    )

    municipalities = list(
        Municipality.objects.filter(county__in=counties)
        .exclude(valid_from__gt=PERIOD_END)
        .exclude(valid_to__lt=PERIOD_START)
        .order_by("code")
    )
    actors: dict[str, CountyActors] = {}
    for county in counties:
        code = county.code
        lead = lead_bodies[code]
        if lead.kind.code == OrganisationKind.COUNTY_ADMINISTRATIVE_BOARD:
            board = lead
        else:
            board = org(
                f"Länsstyrelsen i {county.name}",
                OrganisationKind.COUNTY_ADMINISTRATIVE_BOARD,
                county,
            )
        if code in LEAD_BODY_IS_COUNCIL:
            council = lead
        else:
            council = org(f"Landstinget i {county.name}", OrganisationKind.COUNTY_COUNCIL, county)
        labour_board = org(
            f"Länsarbetsnämnden i {county.name}", OrganisationKind.STATE_AGENCY, county
        )
        almi_region = names.ALMI_REGION[code]
        almi_home = next(c for c in counties if names.ALMI_REGION[c.code] == almi_region)
        almi = org(
            f"ALMI Företagspartner {almi_region} AB",
            OrganisationKind.STATE_OWNED_COMPANY,
            almi_home,
        )
        universities = [
            org(name, OrganisationKind.UNIVERSITY, county_by_code[home])
            for name, home in names.UNIVERSITIES[code]
        ]
        business_kind = OrganisationKind.BUSINESS_ORGANISATION
        business = [
            org(name.format(county.short_name), business_kind, county)
            for name in ("Företagarna i {}", "LRF {}", "Handelskammaren i {}")
        ]
        own = [m for m in municipalities if m.county_id == county.pk]
        municipality_orgs = {}
        for municipality in own:
            if municipality.official_name == lead.name:  # Gotlands kommun leads Gotland
                municipality_orgs[municipality.pk] = lead
            else:
                municipality_orgs[municipality.pk] = org(
                    municipality.official_name, OrganisationKind.MUNICIPALITY, county, municipality
                )
        actors[code] = CountyActors(
            county=county,
            lead_body=lead,
            board=board,
            county_council=council,
            labour_board=labour_board,
            almi=almi,
            universities=universities,
            business_organisations=business,
            municipalities=own,
            municipality_orgs=municipality_orgs,
        )
    audited_bulk_create(Organisation, to_create, batch_size=BATCH)
    return national, actors


def company_name(rng: random.Random, place: str) -> str:
    style = rng.random()
    if style < 0.4:
        return f"{rng.choice(names.SURNAMES)}s {rng.choice(names.TRADES)} AB"
    if style < 0.7:
        return f"{names.genitive(place)} {rng.choice(names.TRADES)} AB"
    stem = rng.choice(names.NAME_STEMS)
    return f"{stem}{rng.choice(names.NAME_ENDINGS)} AB"


def make_company(
    rng: random.Random,
    numbers: OrgNumbers,
    actors: CountyActors,
    kinds: dict[str, OrganisationKind],
    taken: set[str],
    *,
    name: str | None = None,
    municipality: Municipality | None = None,
) -> Organisation:
    """An (unsaved) company of the county with a valid organisation number."""
    municipality = municipality or rng.choice(actors.municipalities_whole_period())
    if name is None:
        for _attempt in range(20):
            name = company_name(rng, municipality.name)
            if name not in taken:
                break
        else:
            name = f"{name.removesuffix(' AB')} i {municipality.name} AB"
    taken.add(name)
    return Organisation(
        name=name,
        kind=kinds[OrganisationKind.COMPANY],
        org_number=numbers.new(rng, "556"),
        county=actors.county,
        municipality=municipality,
    )


def make_associations(
    rng: random.Random,
    numbers: OrgNumbers,
    actors: CountyActors,
    kinds: dict[str, OrganisationKind],
    count: int,
) -> list[Organisation]:
    """Associations of the county (unsaved), with valid organisation numbers."""
    result, taken = [], set()
    places = actors.municipalities_whole_period()
    for _index in range(count * 3):
        if len(result) == count:
            break
        municipality = rng.choice(places)
        name = rng.choice(names.ASSOCIATION_TEMPLATES).format(
            place=municipality.name, place_genitive=names.genitive(municipality.name)
        )
        if name in taken:
            continue
        taken.add(name)
        result.append(
            Organisation(
                name=name,
                kind=kinds[OrganisationKind.ASSOCIATION],
                org_number=numbers.new(rng, "802"),
                county=actors.county,
                municipality=municipality,
            )
        )
    return result
