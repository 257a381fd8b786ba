"""The clusters of the six counties the report names, with actors and links.

Södermanland's heavy-vehicle cluster is the report's example: a working group of a number of
companies, the county administrative board, ALMI, the county labour board and Eskilstuna kommun.
Companies are invented. Actors are given as a public-body key ("board", "almi", "labour_board",
"lead_body", "council", "university:N", "municipality:CODE") or as a company (name, municipality).
"""

import random
from dataclasses import dataclass

from agreements.models import Cluster, ClusterActor, ClusterLink, Organisation, OrganisationKind
from followup.demo.audit import audited_bulk_create
from followup.demo.organisations import CountyActors, OrgNumbers, make_company

CLUSTER_COUNTIES = ["01", "04", "05", "12", "14", "17"]
HEAVY_VEHICLES = "Tunga fordon"
LABOUR_BOARD_PART = "kartlägger företagens behov av arbetskraft och kompetensutveckling"


@dataclass(frozen=True)
class ClusterSpec:
    name: str
    delimitation: str
    description: str
    strengths: str
    weaknesses: str
    planned_measures: str
    lock_in_risk: str
    # (key or company name, municipality code for companies or "", part, in working group)
    actors: tuple[tuple[str, str, str, bool], ...]
    # (from, to, direction, flows "g"/"s"/"k", description)
    links: tuple[tuple[str, str, str, str, str], ...]
    # Project subjects for projects within the cluster.
    subjects: tuple[str, ...]


V, H = ClusterLink.Direction.VERTICAL, ClusterLink.Direction.HORIZONTAL
TECH, GEO = Cluster.Delimitation.TECHNOLOGY, Cluster.Delimitation.GEOGRAPHY

CLUSTERS: dict[str, list[ClusterSpec]] = {
    "04": [
        ClusterSpec(
            name=HEAVY_VEHICLES,
            delimitation=TECH,
            description=(
                "I Södermanland har en arbetsgrupp för tunga fordon bildats. Tillsammans med "
                "företagen har de offentliga aktörerna gått igenom hur de olika länkarna i "
                "klustret ser ut; varje part analyserar klustret utifrån sitt kompetensområde."
            ),
            strengths=(
                "Lång industriell tradition, kvalificerade underleverantörer och närhet till "
                "Mälardalens högskola."
            ),
            weaknesses=(
                "Brist på tekniskt utbildad arbetskraft och stort beroende av ett fåtal slutkunder."
            ),
            planned_measures=(
                "Gemensam rekrytering och kompetensutveckling, leverantörsutveckling och "
                "samarbete med högskolan om produktionsteknik."
            ),
            lock_in_risk=(
                "Måttlig: kunderna finns i hela landet och utomlands, men underleverantörerna "
                "är beroende av samma få beställare."
            ),
            actors=(
                ("Eskilstuna Transmission AB", "0484", "tillverkar transmissioner", True),
                ("Torshälla Hydraulik AB", "0484", "levererar hydraulsystem", True),
                ("Sörmlands Gjuteri AB", "0483", "gjuter komponenter", True),
                ("Strängnäs Svets & Plåt AB", "0486", "svetsar och bearbetar plåt", True),
                ("Nyköpings Hytt & Chassi AB", "0480", "monterar hytter och chassin", True),
                ("Flens Fordonskomponenter AB", "0482", "tillverkar fordonskomponenter", True),
                ("lead_body", "", "samordnar arbetsgruppen och bedömer regionala insatser", True),
                (
                    "almi",
                    "",
                    "analyserar företagens behov av finansiering och affärsutveckling",
                    True,
                ),
                ("labour_board", "", LABOUR_BOARD_PART, True),
                (
                    "municipality:0484",
                    "",
                    "ansvarar för näringslivsservice, mark och lokaler",
                    True,
                ),
                ("university:0", "", "forskar i produktionsteknik och utbildar ingenjörer", False),
            ),  # fmt: skip
            links=(
                (
                    "Sörmlands Gjuteri AB",
                    "Eskilstuna Transmission AB",
                    V,
                    "g",
                    "gjutgods till transmissioner",
                ),
                ("Strängnäs Svets & Plåt AB", "Nyköpings Hytt & Chassi AB", V, "g", "plåtdetaljer"),
                (
                    "Torshälla Hydraulik AB",
                    "Nyköpings Hytt & Chassi AB",
                    V,
                    "gs",
                    "hydraulsystem med service",
                ),
                (
                    "Flens Fordonskomponenter AB",
                    "Eskilstuna Transmission AB",
                    V,
                    "g",
                    "axlar och kugghjul",
                ),
                (
                    "Eskilstuna Transmission AB",
                    "Torshälla Hydraulik AB",
                    H,
                    "k",
                    "gemensam konstruktion",
                ),
                (
                    "university:0",
                    "Eskilstuna Transmission AB",
                    H,
                    "k",
                    "examensarbeten och forskning",
                ),
                (
                    "labour_board",
                    "Sörmlands Gjuteri AB",
                    H,
                    "s",
                    "rekrytering och kompetensutveckling",
                ),
                ("almi", "Flens Fordonskomponenter AB", H, "s", "lån och affärsrådgivning"),
            ),  # fmt: skip
            subjects=(
                "kompetensförsörjning i tung fordonsindustri",
                "leverantörsutveckling för tunga fordon",
                "produktionsteknik för tunga fordon",
            ),
        ),
    ],
    "05": [
        ClusterSpec(
            name="Flyg och avancerad teknik",
            delimitation=TECH,
            description="Företag och forskning kring flygteknik, simulering och avancerade system.",
            strengths="Stark forskning vid Linköpings universitet och många kvalificerade företag.",
            weaknesses="Få små underleverantörer; beroende av försvarets beställningar.",
            planned_measures="Teknikspridning till små företag och ett gemensamt traineeprogram.",
            lock_in_risk="Låg: företagen samarbetar med aktörer i hela landet och i Europa.",
            actors=(
                ("Linköpings Flygkomponenter AB", "0580", "tillverkar komponenter", True),
                ("Östgöta Avionik AB", "0580", "utvecklar elektronik", True),
                ("Mjärdevi Simulering AB", "0580", "utvecklar simulatorer", True),
                ("Motala Precisionsmekanik AB", "0583", "bearbetar detaljer", False),
                ("university:0", "", "forskning och utbildning", True),
                ("municipality:0580", "", "näringslivsservice", True),
                ("almi", "", "finansiering", False),
            ),
            links=(
                (
                    "Motala Precisionsmekanik AB",
                    "Linköpings Flygkomponenter AB",
                    V,
                    "g",
                    "detaljer",
                ),
                ("Östgöta Avionik AB", "Mjärdevi Simulering AB", H, "k", "gemensam utveckling"),
                ("university:0", "Östgöta Avionik AB", H, "k", "forskningssamarbete"),
                ("Linköpings Flygkomponenter AB", "Mjärdevi Simulering AB", V, "gs", "delsystem"),
            ),
            subjects=("teknikspridning inom flygindustrin", "simuleringsteknik"),
        ),
    ],
    "12": [
        ClusterSpec(
            name="Livsmedel – från ax till limpa",
            delimitation=TECH,
            description="Hela kedjan från spannmålsodling till bageri och distribution.",
            strengths="Goda jordbruksförutsättningar och en stark livsmedelsindustri.",
            weaknesses="Låg förädlingsgrad hos de mindre företagen.",
            planned_measures="Produktutveckling, kvalitetssäkring och gemensam logistik.",
            lock_in_risk="Låg: kedjan är beroende av nationella och internationella marknader.",
            actors=(
                ("Söderslätts Spannmål ek. för.", "1287", "odlar och lagrar spannmål", True),
                ("Skånska Kvarnen AB", "1280", "maler mjöl", True),
                ("Malmö Storbageri AB", "1280", "bakar bröd", True),
                ("Lunds Livsmedelslogistik AB", "1281", "distribuerar till handeln", True),
                ("university:0", "", "livsmedelsforskning", True),
                ("lead_body", "", "samordnar klusterarbetet", True),
            ),
            links=(
                ("Söderslätts Spannmål ek. för.", "Skånska Kvarnen AB", V, "g", "spannmål"),
                ("Skånska Kvarnen AB", "Malmö Storbageri AB", V, "g", "mjöl"),
                ("Malmö Storbageri AB", "Lunds Livsmedelslogistik AB", V, "gs", "bröd"),
                ("university:0", "Skånska Kvarnen AB", H, "k", "kvalitetsforskning"),
            ),
            subjects=("livsmedelsförädling i Skåne", "produktutveckling i bagerinäringen"),
        ),
        ClusterSpec(
            name="Medicinteknik och bioteknik",
            delimitation=GEO,
            description="Företag och forskning inom medicinteknik och bioteknik i Lund och Malmö.",
            strengths="Forskning i världsklass och närhet till universitetssjukhusen.",
            weaknesses="Långa utvecklingstider och brist på riskkapital.",
            planned_measures="Inkubator, riskkapital och samarbete över Öresund.",
            lock_in_risk="Låg: nätverket sträcker sig över Öresund.",
            actors=(
                ("Ideon Diagnostik AB", "1281", "utvecklar diagnostik", True),
                ("Lunds Bioprocess AB", "1281", "processutveckling", True),
                ("university:0", "", "forskning", True),
                ("university:1", "", "utbildning", False),
            ),
            links=(
                ("university:0", "Ideon Diagnostik AB", H, "k", "forskning"),
                ("Lunds Bioprocess AB", "Ideon Diagnostik AB", V, "gs", "bioprocesser"),
            ),
            subjects=("bioteknikföretagande", "medicinteknisk produktutveckling"),
        ),
    ],
    "14": [
        ClusterSpec(
            name="Fordonsindustrin i Västsverige",
            delimitation=TECH,
            description="Personbils- och lastvagnstillverkare med ett stort nät av leverantörer.",
            strengths="Stora fordonstillverkare, Chalmers och en kunnig arbetskraft.",
            weaknesses="Sårbarhet vid konjunktursvängningar hos ett fåtal kunder.",
            planned_measures="Leverantörsutveckling och gemensam kompetensförsörjning.",
            lock_in_risk="Måttlig: stort beroende av ett fåtal stora köpare.",
            actors=(
                ("Trollhättans Motorkomponenter AB", "1488", "motordelar", True),
                ("Göteborgs Lastvagnsdelar AB", "1480", "lastvagnsdelar", True),
                ("Skövde Motorgjuteri AB", "1496", "gjutgods", True),
                ("university:1", "", "forskning i fordonsteknik", True),
                ("lead_body", "", "samordnar", True),
            ),
            links=(
                ("Skövde Motorgjuteri AB", "Trollhättans Motorkomponenter AB", V, "g", "gjutgods"),
                (
                    "Trollhättans Motorkomponenter AB",
                    "Göteborgs Lastvagnsdelar AB",
                    H,
                    "k",
                    "teknik",
                ),
                ("university:1", "Göteborgs Lastvagnsdelar AB", H, "k", "forskning"),
            ),
            subjects=("leverantörsutveckling i fordonsindustrin", "fordonsteknik"),
        ),
        ClusterSpec(
            name="Textil och design i Sjuhärad",
            delimitation=GEO,
            description="Textilföretag, designbyråer och Högskolan i Borås.",
            strengths="Lång textiltradition och en textilhögskola.",
            weaknesses="Hård konkurrens från låglöneländer.",
            planned_measures="Design, nya material och postorderhandel.",
            lock_in_risk="Måttlig: branschen är starkt koncentrerad till Sjuhärad.",
            actors=(
                ("Borås Väveri AB", "1490", "väver tyg", True),
                ("Sjuhärads Designbyrå AB", "1490", "design", True),
                ("university:2", "", "textilforskning", True),
                ("municipality:1490", "", "näringslivsservice", False),
            ),
            links=(
                ("Borås Väveri AB", "Sjuhärads Designbyrå AB", H, "ks", "formgivning"),
                ("university:2", "Borås Väveri AB", H, "k", "nya material"),
            ),
            subjects=("textil design", "nya textila material"),
        ),
    ],
    "17": [
        ClusterSpec(
            name="Pappers- och massaindustri",
            delimitation=TECH,
            description="Bruk, maskinleverantörer, konsulter och forskning kring papper och massa.",
            strengths="Världsledande bruk och leverantörer; stark forskning i Karlstad.",
            weaknesses="Få nya företag och åldrande arbetskraft.",
            planned_measures="Rekrytering, forskningssamarbete och nya produkter av fiber.",
            lock_in_risk="Låg: kunderna finns över hela världen.",
            actors=(
                ("Grums Kartong AB", "1764", "tillverkar kartong", True),
                ("Karlstads Pappersmaskiner AB", "1780", "bygger pappersmaskiner", True),
                ("Hammarö Processautomation AB", "1761", "automation", True),
                ("Värmlands Massaved ek. för.", "1737", "levererar massaved", False),
                ("university:0", "", "pappersforskning", True),
                ("municipality:1780", "", "näringslivsservice", True),
            ),
            links=(
                ("Värmlands Massaved ek. för.", "Grums Kartong AB", V, "g", "massaved"),
                (
                    "Karlstads Pappersmaskiner AB",
                    "Grums Kartong AB",
                    V,
                    "gs",
                    "maskiner och service",
                ),
                (
                    "Hammarö Processautomation AB",
                    "Karlstads Pappersmaskiner AB",
                    V,
                    "gk",
                    "styrsystem",
                ),
                ("university:0", "Grums Kartong AB", H, "k", "forskning"),
            ),  # fmt: skip
            subjects=("kompetensförsörjning i pappersindustrin", "nya fiberbaserade produkter"),
        ),
    ],
    "01": [
        ClusterSpec(
            name="Informations- och kommunikationsteknik i Kista",
            delimitation=GEO,
            description="Företag och forskning inom mobil kommunikation och IT i Kista.",
            strengths="Många företag, KTH och Stockholms universitet på plats.",
            weaknesses="Brist på bostäder och arbetskraft; sårbar för IT-konjunkturen.",
            planned_measures="Utbildning, bostadsbyggande och kollektivtrafik.",
            lock_in_risk="Låg: starkt internationellt nätverk.",
            actors=(
                ("Kista Mobilsystem AB", "0180", "mobila system", True),
                ("Husby Mjukvara AB", "0180", "programvara", True),
                ("Nordisk Radiodesign AB", "0180", "radiokretsar", True),
                ("university:0", "", "forskning och utbildning", True),
                ("municipality:0180", "", "planering och service", True),
            ),
            links=(
                ("Nordisk Radiodesign AB", "Kista Mobilsystem AB", V, "g", "radiokretsar"),
                ("Husby Mjukvara AB", "Kista Mobilsystem AB", V, "s", "programvara"),
                ("university:0", "Kista Mobilsystem AB", H, "k", "forskning"),
            ),
            subjects=("IT-kompetens i Kista", "mobila tjänster"),
        ),
    ],
}


def _flows(code: str) -> dict[str, bool]:
    return {"goods": "g" in code, "services": "s" in code, "knowledge": "k" in code}


def build_clusters(
    rng: random.Random,
    numbers: OrgNumbers,
    actors: CountyActors,
    kinds: dict[str, OrganisationKind],
    taken_names: set[str],
) -> list[tuple[Cluster, ClusterSpec, list[ClusterActor]]]:
    """Create the county's clusters (if any) with their companies, actors and links."""
    specs = CLUSTERS.get(actors.county.code, [])
    if not specs:
        return []
    companies = {}
    for spec in specs:
        for key, municipality_code, _part, _wg in spec.actors:
            if municipality_code and key not in companies:
                municipality = next(m for m in actors.municipalities if m.code == municipality_code)
                companies[key] = make_company(
                    rng, numbers, actors, kinds, taken_names, name=key, municipality=municipality
                )
    Organisation.objects.bulk_create(list(companies.values()))
    actors.companies.extend(companies.values())

    def resolve(key: str) -> Organisation:
        if key in companies:
            return companies[key]
        if key.startswith("municipality:"):
            return actors.municipality_org(key.split(":")[1])
        if key.startswith("university:"):
            return actors.universities[int(key.split(":")[1])]
        return {
            "board": actors.board,
            "almi": actors.almi,
            "labour_board": actors.labour_board,
            "lead_body": actors.lead_body,
            "council": actors.county_council,
        }[key]

    clusters = [
        Cluster(
            county=actors.county,
            name=spec.name,
            delimitation=spec.delimitation,
            description=spec.description,
            strengths=spec.strengths,
            weaknesses=spec.weaknesses,
            planned_measures=spec.planned_measures,
            lock_in_risk=spec.lock_in_risk,
        )
        for spec in specs
    ]
    audited_bulk_create(Cluster, clusters)
    result = []
    all_actors, all_links = [], []
    for cluster, spec in zip(clusters, specs, strict=True):
        by_key = {
            key: ClusterActor(
                cluster=cluster, organisation=resolve(key), part=part, in_working_group=wg
            )
            for key, _municipality, part, wg in spec.actors
        }
        all_actors.extend(by_key.values())
        result.append((cluster, spec, list(by_key.values())))
        for source, target, direction, flows, description in spec.links:
            all_links.append(
                ClusterLink(
                    cluster=cluster,
                    from_actor=by_key[source],
                    to_actor=by_key[target],
                    direction=direction,
                    description=description,
                    **_flows(flows),
                )
            )
    audited_bulk_create(ClusterActor, all_actors)
    audited_bulk_create(ClusterLink, all_links)
    return result
