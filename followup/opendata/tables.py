"""The tables of a year's open-data package: what each holds, column by column.

For follow-up year Y the package holds:

- reference data — counties, municipalities, kinds of actor, financing sources, themes;
- the register's public parts for the agreements in force in Y: the agreements, their priority
  areas, measures and frames, their projects with financing lines up to and including Y, and
  the partnerships (with members) and clusters (with actors and links) of their counties, as
  the register stands when the package is made; the organisations these name;
- the reports of round Y that the ministry has approved: status and dates, the key figures
  frozen at submission, the observations with the evidence they cite (as cited then).

No private person is named: an organisation of the kind *privatperson* is listed with its
kind and county only (name, organisation number — a personal identity number — and
municipality withheld), so the rows that name it still hold together. Drafts, reports under
review or returned, users and audit trails are never in it.

Each table's rows come from ``values_list(...).iterator()``: a fixed number of queries, and
the country's 300 000 financing lines never in memory at once.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

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
    Municipality,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipMember,
    PriorityArea,
    Project,
)
from followup.models import CountyReport, Observation, ReportStatus, Theme
from followup.opendata.columns import Column, of

CHUNK = 5_000
PRIVATE = OrganisationKind.PRIVATE_PERSON


@dataclass
class Scope:
    """Which rows a year's package holds."""

    year: int
    agreement_ids: list[int]
    county_ids: list[int]
    report_ids: list[int]

    @classmethod
    def of_year(cls, year: int) -> "Scope":
        agreements = Agreement.objects.filter(start_year__lte=year, end_year__gte=year)
        return cls(
            year=year,
            agreement_ids=list(agreements.order_by("pk").values_list("pk", flat=True)),
            county_ids=sorted(set(agreements.values_list("county_id", flat=True))),
            report_ids=list(
                CountyReport.objects.filter(round__year=year, status=ReportStatus.APPROVED)
                .order_by("pk")
                .values_list("pk", flat=True)
            ),
        )

    def projects(self) -> QuerySet:
        return Project.objects.filter(agreement_id__in=self.agreement_ids)

    def partnerships(self) -> QuerySet:
        return Partnership.objects.filter(county_id__in=self.county_ids)

    def clusters(self) -> QuerySet:
        return Cluster.objects.filter(county_id__in=self.county_ids)

    def financing_lines(self) -> QuerySet:
        return FinancingLine.objects.filter(
            project__agreement_id__in=self.agreement_ids, year__lte=self.year
        )

    def organisations(self) -> QuerySet:
        """Every organisation a published row names (one query, subqueries inside)."""
        named = (
            Q(pk__in=Agreement.objects.filter(pk__in=self.agreement_ids).values("lead_body"))
            | Q(pk__in=self.projects().values("owner"))
            | Q(pk__in=self.financing_lines().exclude(financier=None).values("financier"))
            | Q(pk__in=PartnershipMember.objects.filter(
                partnership__county_id__in=self.county_ids).values("organisation"))
            | Q(pk__in=ClusterActor.objects.filter(
                cluster__county_id__in=self.county_ids).values("organisation"))
        )  # fmt: skip
        return Organisation.objects.filter(named)


@dataclass(frozen=True)
class ForeignKey:
    fields: str
    resource: str
    reference: str

    def descriptor(self) -> dict:
        return {
            "fields": [self.fields],
            "reference": {"resource": self.resource, "fields": [self.reference]},
        }


@dataclass(frozen=True)
class Table:
    name: str
    title: object
    description: object
    columns: list[Column]
    primary_key: list[str]
    rows: Callable[[Scope], Iterator[tuple]]
    foreign_keys: list[ForeignKey] = field(default_factory=list)


def _stream(queryset: QuerySet, *fields) -> Iterator[tuple]:
    return queryset.order_by("pk").values_list(*fields).iterator(chunk_size=CHUNK)


def _county(name="county_code"):
    return Column(name, "string", _("län"), _("Länets kod (SCB), t.ex. 04."), required=True)


def _optional_county(name="county_code"):
    return Column(name, "string", _("län"), _("Länets kod (SCB), t.ex. 04."))


def _municipality(name="municipality_code"):
    return Column(name, "string", _("kommun"), _("Kommunens kod (SCB), t.ex. 0484."))


def _id(title):
    return Column("id", "integer", title, _("Radens id i registret."), required=True)


def _ref(name, title, description="", required=False):
    return Column(name, "integer", title, description, required=required)


TO_COUNTY = ForeignKey("county_code", "counties", "code")
TO_MUNICIPALITY = ForeignKey("municipality_code", "municipalities", "code")


# --- reference data ----------------------------------------------------------------------------

COUNTIES = Table(
    name="counties",
    title=_("Län"),
    description=_("Sveriges 21 län med SCB:s länskoder."),
    columns=[
        of(County, "code", required=True),
        of(County, "iso_letter"),
        of(County, "name"),
        of(County, "name_en"),
        of(County, "short_name"),
    ],
    primary_key=["code"],
    rows=lambda scope: _stream(
        County.objects.all(), "code", "iso_letter", "name", "name_en", "short_name"
    ),
)

MUNICIPALITIES = Table(
    name="municipalities",
    title=_("Kommuner"),
    description=_("Kommuner med SCB:s kommunkoder och den period koden gällde."),
    columns=[
        of(Municipality, "code", required=True),
        of(Municipality, "name"),
        of(Municipality, "official_name"),
        _county(),
        of(Municipality, "valid_from"),
        of(Municipality, "valid_to"),
    ],
    primary_key=["code"],
    foreign_keys=[TO_COUNTY],
    rows=lambda scope: _stream(
        Municipality.objects.all(),
        "code",
        "name",
        "official_name",
        "county__code",
        "valid_from",
        "valid_to",
    ),
)

KINDS = Table(
    name="organisation_kinds",
    title=_("Typer av aktörer"),
    description=_("Typer av organisationer: kommun, länsstyrelse, företag, högskola …"),
    columns=[
        of(OrganisationKind, "code", required=True),
        of(OrganisationKind, "name"),
        of(OrganisationKind, "name_en"),
    ],
    primary_key=["code"],
    rows=lambda scope: _stream(OrganisationKind.objects.all(), "code", "name", "name_en"),
)

SOURCES = Table(
    name="financing_sources",
    title=_("Finansieringskällor"),
    description=_("Varifrån pengarna kommer, med kategorin som siffrorna summeras per."),
    columns=[
        of(FinancingSource, "code", required=True),
        of(FinancingSource, "name"),
        of(FinancingSource, "name_en"),
        of(FinancingSource, "category"),
    ],
    primary_key=["code"],
    rows=lambda scope: _stream(
        FinancingSource.objects.all(), "code", "name", "name_en", "category"
    ),
)

THEMES = Table(
    name="themes",
    title=_("Teman"),
    description=_("Teman som uppföljningen frågar om."),
    columns=[
        of(Theme, "code", required=True),
        of(Theme, "name"),
        of(Theme, "name_en"),
        of(Theme, "description"),
    ],
    primary_key=["code"],
    rows=lambda scope: _stream(Theme.objects.all(), "code", "name", "name_en", "description"),
)


# --- organisations -------------------------------------------------------------------------------


def _withheld(field_name: str):
    """The field, empty for a private person."""
    return Case(
        When(kind__code=PRIVATE, then=Value("")),
        default=Cast(field_name, CharField()),
        output_field=CharField(),
    )


def _organisation_rows(scope: Scope) -> Iterator[tuple]:
    return _stream(
        scope.organisations().annotate(
            shown_name=_withheld("name"),
            shown_org_number=_withheld("org_number"),
            shown_municipality=_withheld("municipality__code"),
            withheld=Case(When(kind__code=PRIVATE, then=Value(True)), default=Value(False)),
        ),
        "pk",
        "shown_name",
        "kind__code",
        "shown_org_number",
        "county__code",
        "shown_municipality",
        "withheld",
    )


ORGANISATIONS = Table(
    name="organisations",
    title=_("Organisationer"),
    description=_(
        "Aktörer som paketets avtal, projekt, finansiering, partnerskap och kluster nämner. "
        "En privatperson namnges inte: namn, organisationsnummer och kommun är tomma."
    ),
    columns=[
        _id(_("organisation")),
        of(Organisation, "name", description=_("Tomt för en privatperson.")),
        Column("kind_code", "string", _("typ av aktör"), _("Kod i organisation_kinds."), True),
        of(Organisation, "org_number", description=_("Tomt för en privatperson.")),
        _optional_county(),
        _municipality(),
        Column(
            "withheld",
            "boolean",
            _("uppgifter utelämnade"),
            _("Sant för en privatperson: namn, organisationsnummer och kommun visas inte."),
            required=True,
        ),
    ],
    primary_key=["id"],
    foreign_keys=[
        ForeignKey("kind_code", "organisation_kinds", "code"),
        TO_COUNTY,
        TO_MUNICIPALITY,
    ],
    rows=_organisation_rows,
)


# --- agreements ----------------------------------------------------------------------------------

AGREEMENTS = Table(
    name="agreements",
    title=_("Avtal"),
    description=_("De regionala tillväxtavtal och tillväxtprogram som gäller paketets år."),
    columns=[
        _id(_("avtal")),
        _county(),
        of(Agreement, "kind"),
        of(Agreement, "start_year"),
        of(Agreement, "end_year"),
        _ref("lead_body_id", _("ansvarig organisation"), _("Id i organisations."), True),
        of(Agreement, "signed_on"),
        of(Agreement, "status"),
        of(Agreement, "description"),
    ],
    primary_key=["id"],
    foreign_keys=[TO_COUNTY, ForeignKey("lead_body_id", "organisations", "id")],
    rows=lambda scope: _stream(
        Agreement.objects.filter(pk__in=scope.agreement_ids),
        "pk",
        "county__code",
        "kind",
        "start_year",
        "end_year",
        "lead_body_id",
        "signed_on",
        "status",
        "description",
    ),
)

PRIORITY_AREAS = Table(
    name="priority_areas",
    title=_("Insatsområden"),
    description=_("Avtalens insatsområden."),
    columns=[
        _id(_("insatsområde")),
        _ref("agreement_id", _("avtal"), _("Id i agreements."), True),
        of(PriorityArea, "number"),
        of(PriorityArea, "name"),
        of(PriorityArea, "description"),
    ],
    primary_key=["id"],
    foreign_keys=[ForeignKey("agreement_id", "agreements", "id")],
    rows=lambda scope: _stream(
        PriorityArea.objects.filter(agreement_id__in=scope.agreement_ids),
        "pk",
        "agreement_id",
        "number",
        "name",
        "description",
    ),
)

MEASURES = Table(
    name="measures",
    title=_("Åtgärder"),
    description=_("Åtgärder inom insatsområdena; projekten ryms inom dem."),
    columns=[
        _id(_("åtgärd")),
        _ref("priority_area_id", _("insatsområde"), _("Id i priority_areas."), True),
        of(Measure, "number"),
        of(Measure, "name"),
        of(Measure, "description"),
    ],
    primary_key=["id"],
    foreign_keys=[ForeignKey("priority_area_id", "priority_areas", "id")],
    rows=lambda scope: _stream(
        Measure.objects.filter(agreement_id__in=scope.agreement_ids),
        "pk",
        "priority_area_id",
        "number",
        "name",
        "description",
    ),
)

FRAMES = Table(
    name="financial_frames",
    title=_("Finansiella ramar"),
    description=_(
        "Vad en finansieringskälla åtar sig för ett insatsområde (eller en åtgärd) ett år."
    ),
    columns=[
        _id(_("ram")),
        _ref("priority_area_id", _("insatsområde"), _("Id i priority_areas."), True),
        _ref("measure_id", _("åtgärd"), _("Id i measures; tomt: ramen gäller hela området.")),
        Column(
            "source_code", "string", _("finansieringskälla"), _("Kod i financing_sources."), True
        ),
        of(FinancialFrame, "year"),
        of(FinancialFrame, "amount"),
    ],
    primary_key=["id"],
    foreign_keys=[
        ForeignKey("priority_area_id", "priority_areas", "id"),
        ForeignKey("measure_id", "measures", "id"),
        ForeignKey("source_code", "financing_sources", "code"),
    ],
    rows=lambda scope: _stream(
        FinancialFrame.objects.filter(agreement_id__in=scope.agreement_ids),
        "pk",
        "priority_area_id",
        "measure_id",
        "source__code",
        "year",
        "amount",
    ),
)


# --- partnerships ------------------------------------------------------------------------------

PARTNERSHIPS = Table(
    name="partnerships",
    title=_("Partnerskap"),
    description=_("Länens partnerskap: representerande (beslutar) och agerande (genomför)."),
    columns=[
        _id(_("partnerskap")),
        _county(),
        _ref(
            "agreement_id",
            _("avtal"),
            _("Avtalets id i registret; kan vara ett avtal för en annan period än paketets."),
        ),
        of(Partnership, "name"),
        of(Partnership, "level"),
        of(Partnership, "kind"),
        _municipality(),
        of(Partnership, "description"),
    ],
    primary_key=["id"],
    foreign_keys=[TO_COUNTY, TO_MUNICIPALITY],
    rows=lambda scope: _stream(
        scope.partnerships(),
        "pk",
        "county__code",
        "agreement_id",
        "name",
        "level",
        "kind",
        "municipality__code",
        "description",
    ),
)

MEMBERS = Table(
    name="partnership_members",
    title=_("Medlemmar i partnerskap"),
    description=_("Organisationer i partnerskapen, med roll och period."),
    columns=[
        _id(_("medlemskap")),
        _ref("partnership_id", _("partnerskap"), _("Id i partnerships."), True),
        _ref("organisation_id", _("organisation"), _("Id i organisations."), True),
        of(PartnershipMember, "role"),
        of(PartnershipMember, "start_date"),
        of(PartnershipMember, "end_date"),
    ],
    primary_key=["id"],
    foreign_keys=[
        ForeignKey("partnership_id", "partnerships", "id"),
        ForeignKey("organisation_id", "organisations", "id"),
    ],
    rows=lambda scope: _stream(
        PartnershipMember.objects.filter(partnership__county_id__in=scope.county_ids),
        "pk",
        "partnership_id",
        "organisation_id",
        "role",
        "start_date",
        "end_date",
    ),
)


# --- projects ----------------------------------------------------------------------------------

PROJECTS = Table(
    name="projects",
    title=_("Projekt"),
    description=_("Projekt som finansieras inom avtalens ramar."),
    columns=[
        _id(_("projekt")),
        _county(),
        _ref("agreement_id", _("avtal"), _("Id i agreements."), True),
        _ref("measure_id", _("åtgärd"), _("Id i measures."), True),
        of(Project, "reference_number"),
        of(Project, "title"),
        of(Project, "description"),
        _ref("owner_id", _("projektägare"), _("Id i organisations."), True),
        _municipality(),
        _ref("partnership_id", _("partnerskap"), _("Id i partnerships.")),
        _ref("cluster_id", _("kluster"), _("Id i clusters.")),
        of(Project, "start_date"),
        of(Project, "end_date"),
        of(Project, "status"),
    ],
    primary_key=["id"],
    foreign_keys=[
        TO_COUNTY,
        ForeignKey("agreement_id", "agreements", "id"),
        ForeignKey("measure_id", "measures", "id"),
        ForeignKey("owner_id", "organisations", "id"),
        TO_MUNICIPALITY,
        ForeignKey("partnership_id", "partnerships", "id"),
        ForeignKey("cluster_id", "clusters", "id"),
    ],
    rows=lambda scope: _stream(
        scope.projects(),
        "pk",
        "county__code",
        "agreement_id",
        "measure_id",
        "reference_number",
        "title",
        "description",
        "owner_id",
        "municipality__code",
        "partnership_id",
        "cluster_id",
        "start_date",
        "end_date",
        "status",
    ),
)

FINANCING = Table(
    name="financing_lines",
    title=_("Finansieringsrader"),
    description=_(
        "Beslutade belopp och utfall per projekt, källa, finansiär och år, till och med "
        "paketets år; som finansiären rapporterade dem (medfinansiering räknades olika)."
    ),
    columns=[
        _id(_("finansieringsrad")),
        _ref("project_id", _("projekt"), _("Id i projects."), True),
        of(FinancingLine, "year"),
        of(FinancingLine, "kind"),
        Column(
            "source_code", "string", _("finansieringskälla"), _("Kod i financing_sources."), True
        ),
        _ref("financier_id", _("finansiär"), _("Id i organisations.")),
        of(FinancingLine, "amount"),
        of(FinancingLine, "note"),
    ],
    primary_key=["id"],
    foreign_keys=[
        ForeignKey("project_id", "projects", "id"),
        ForeignKey("source_code", "financing_sources", "code"),
        ForeignKey("financier_id", "organisations", "id"),
    ],
    rows=lambda scope: _stream(
        scope.financing_lines(),
        "pk",
        "project_id",
        "year",
        "kind",
        "source__code",
        "financier_id",
        "amount",
        "note",
    ),
)


# --- clusters ----------------------------------------------------------------------------------

CLUSTERS = Table(
    name="clusters",
    title=_("Kluster"),
    description=_("Kluster av aktörer med länets bedömning av dem."),
    columns=[
        _id(_("kluster")),
        _county(),
        of(Cluster, "name"),
        of(Cluster, "delimitation"),
        of(Cluster, "description"),
        of(Cluster, "strengths"),
        of(Cluster, "weaknesses"),
        of(Cluster, "planned_measures"),
        of(Cluster, "lock_in_risk"),
    ],
    primary_key=["id"],
    foreign_keys=[TO_COUNTY],
    rows=lambda scope: _stream(
        scope.clusters(),
        "pk",
        "county__code",
        "name",
        "delimitation",
        "description",
        "strengths",
        "weaknesses",
        "planned_measures",
        "lock_in_risk",
    ),
)

CLUSTER_COUNTIES = Table(
    name="cluster_counties",
    title=_("Klustrens fler län"),
    description=_("Andra län som ett kluster sträcker sig över."),
    columns=[
        _ref("cluster_id", _("kluster"), _("Id i clusters."), True),
        Column("county_code", "string", _("län"), _("Länets kod (SCB)."), True),
    ],
    primary_key=["cluster_id", "county_code"],
    foreign_keys=[ForeignKey("cluster_id", "clusters", "id"), TO_COUNTY],
    rows=lambda scope: _stream(
        Cluster.other_counties.through.objects.filter(cluster__county_id__in=scope.county_ids),
        "cluster_id",
        "county__code",
    ),
)

ACTORS = Table(
    name="cluster_actors",
    title=_("Aktörer i kluster"),
    description=_("Organisationer i klustren och deras del i arbetet."),
    columns=[
        _id(_("aktör")),
        _ref("cluster_id", _("kluster"), _("Id i clusters."), True),
        _ref("organisation_id", _("organisation"), _("Id i organisations."), True),
        of(ClusterActor, "in_working_group"),
        of(ClusterActor, "part"),
    ],
    primary_key=["id"],
    foreign_keys=[
        ForeignKey("cluster_id", "clusters", "id"),
        ForeignKey("organisation_id", "organisations", "id"),
    ],
    rows=lambda scope: _stream(
        ClusterActor.objects.filter(cluster__county_id__in=scope.county_ids),
        "pk",
        "cluster_id",
        "organisation_id",
        "in_working_group",
        "part",
    ),
)

LINKS = Table(
    name="cluster_links",
    title=_("Länkar i kluster"),
    description=_(
        "Beroenden mellan två aktörer i ett kluster: vertikala (i förädlingskedjan) eller "
        "horisontella, med varor, tjänster och/eller kunskap."
    ),
    columns=[
        _id(_("länk")),
        _ref("cluster_id", _("kluster"), _("Id i clusters."), True),
        _ref("from_actor_id", _("från aktör"), _("Id i cluster_actors."), True),
        _ref("to_actor_id", _("till aktör"), _("Id i cluster_actors."), True),
        of(ClusterLink, "direction"),
        of(ClusterLink, "goods"),
        of(ClusterLink, "services"),
        of(ClusterLink, "knowledge"),
        of(ClusterLink, "description"),
    ],
    primary_key=["id"],
    foreign_keys=[
        ForeignKey("cluster_id", "clusters", "id"),
        ForeignKey("from_actor_id", "cluster_actors", "id"),
        ForeignKey("to_actor_id", "cluster_actors", "id"),
    ],
    rows=lambda scope: _stream(
        ClusterLink.objects.filter(cluster__county_id__in=scope.county_ids),
        "pk",
        "cluster_id",
        "from_actor_id",
        "to_actor_id",
        "direction",
        "goods",
        "services",
        "knowledge",
        "description",
    ),
)


# --- the approved reports ------------------------------------------------------------------------


def _approved(scope: Scope) -> QuerySet:
    return CountyReport.objects.filter(pk__in=scope.report_ids)


REPORTS = Table(
    name="reports",
    title=_("Godkända länsrapporter"),
    description=_("Länsrapporterna i årets uppföljning som departementet har godkänt."),
    columns=[
        _id(_("länsrapport")),
        Column("year", "integer", _("år"), _("Uppföljningsomgångens år."), True),
        _county(),
        of(CountyReport, "status"),
        of(CountyReport, "submitted_at", required=True),
        Column(
            "approved_at",
            "datetime",
            _("godkänd"),
            _("När departementet godkände rapporten."),
            True,
        ),
        of(CountyReport, "frozen_at"),
        of(CountyReport, "summary"),
    ],
    primary_key=["id"],
    foreign_keys=[TO_COUNTY],
    rows=lambda scope: _stream(
        _approved(scope),
        "pk",
        "round__year",
        "county__code",
        "status",
        "submitted_at",
        "reviewed_at",
        "frozen_at",
        "summary",
    ),
)


def _figures(scope: Scope) -> Iterator[tuple[int, dict]]:
    for pk, figures in _approved(scope).order_by("pk").values_list("pk", "frozen_figures"):
        yield pk, figures or {}


def _financing_rows(scope: Scope) -> Iterator[tuple]:
    for pk, figures in _figures(scope):
        for category, amounts in figures.get("by_category", {}).items():
            for kind, amount in amounts.items():
                yield pk, category, kind, amount


REPORT_FINANCING = Table(
    name="report_financing",
    title=_("Rapporternas finansiering per kategori"),
    description=_(
        "Nyckeltalen som låstes när rapporten skickades in: beslutat och utfall per "
        "källkategori, till och med omgångens år, i kronor."
    ),
    columns=[
        _ref("report_id", _("länsrapport"), _("Id i reports."), True),
        of(FinancingSource, "category", required=True),
        of(FinancingLine, "kind", required=True),
        Column("amount", "number", _("belopp (kr)"), required=True),
    ],
    primary_key=["report_id", "category", "kind"],
    foreign_keys=[ForeignKey("report_id", "reports", "id")],
    rows=_financing_rows,
)


def _area_rows(scope: Scope) -> Iterator[tuple]:
    for pk, figures in _figures(scope):
        for area in figures.get("by_priority_area", []):
            yield (
                pk,
                area["number"],
                area["name"],
                area["frame"],
                area[FinancingLine.Kind.DECIDED],
                area[FinancingLine.Kind.OUTCOME],
            )


REPORT_AREAS = Table(
    name="report_priority_areas",
    title=_("Rapporternas siffror per insatsområde"),
    description=_(
        "Ram, beslutat och utfall per insatsområde, som de låstes när rapporten skickades in."
    ),
    columns=[
        _ref("report_id", _("länsrapport"), _("Id i reports."), True),
        Column("number", "integer", _("insatsområdets nummer"), required=True),
        Column("name", "string", _("insatsområdets namn")),
        Column("frame", "number", _("ram (kr)"), required=True),
        Column("decided", "number", _("beslutat (kr)"), required=True),
        Column("outcome", "number", _("utfall (kr)"), required=True),
    ],
    primary_key=["report_id", "number"],
    foreign_keys=[ForeignKey("report_id", "reports", "id")],
    rows=_area_rows,
)


def _status_rows(scope: Scope) -> Iterator[tuple]:
    for pk, figures in _figures(scope):
        for status, n in figures.get("projects", {}).get("by_status", {}).items():
            yield pk, status, n


REPORT_PROJECTS = Table(
    name="report_projects",
    title=_("Rapporternas projekt per status"),
    description=_("Antal projekt per status, som de räknades när rapporten skickades in."),
    columns=[
        _ref("report_id", _("länsrapport"), _("Id i reports."), True),
        of(Project, "status", required=True),
        Column("projects", "integer", _("antal projekt"), required=True),
    ],
    primary_key=["report_id", "status"],
    foreign_keys=[ForeignKey("report_id", "reports", "id")],
    rows=_status_rows,
)

OBSERVATIONS = Table(
    name="observations",
    title=_("Iakttagelser"),
    description=_(
        "Vad länen rapporterar per tema i de godkända rapporterna, med en bedömning på "
        "skalan 1–4 eller 0 (Ej bedömt, med skäl)."
    ),
    columns=[
        _id(_("iakttagelse")),
        _ref("report_id", _("länsrapport"), _("Id i reports."), True),
        Column("theme_code", "string", _("tema"), _("Kod i themes."), True),
        of(Observation, "assessment"),
        of(Observation, "not_assessed_reason"),
        of(Observation, "kind"),
        of(Observation, "text"),
    ],
    primary_key=["id"],
    foreign_keys=[
        ForeignKey("report_id", "reports", "id"),
        ForeignKey("theme_code", "themes", "code"),
    ],
    rows=lambda scope: _stream(
        Observation.objects.filter(report_id__in=scope.report_ids),
        "pk",
        "report_id",
        "theme__code",
        "assessment",
        "not_assessed_reason",
        "kind",
        "text",
    ),
)


def _evidence_rows(scope: Scope) -> Iterator[tuple]:
    for evidence in _approved(scope).order_by("pk").values_list("frozen_evidence", flat=True):
        for observation_id, items in sorted((evidence or {}).items(), key=lambda i: int(i[0])):
            for kind, cited_id, name in items:
                yield int(observation_id), kind, cited_id, name


EVIDENCE = Table(
    name="observation_evidence",
    title=_("Iakttagelsernas underlag"),
    description=_(
        "Projekt, partnerskap och kluster som en iakttagelse bygger på, med namnet de hade "
        "när rapporten skickades in (id:t i registret; raden kan ha ändrats eller tagits bort "
        "sedan, eller höra till ett annat år)."
    ),
    columns=[
        _ref("observation_id", _("iakttagelse"), _("Id i observations."), True),
        Column(
            "kind",
            "string",
            _("typ av underlag"),
            required=True,
            enum=("project", "partnership", "cluster"),
        ),
        _ref("cited_id", _("underlagets id"), _("Id i registret."), True),
        Column("name", "string", _("namn"), _("Som det hette när rapporten skickades in.")),
    ],
    primary_key=["observation_id", "kind", "cited_id"],
    foreign_keys=[ForeignKey("observation_id", "observations", "id")],
    rows=_evidence_rows,
)

TABLES = [
    COUNTIES,
    MUNICIPALITIES,
    KINDS,
    SOURCES,
    THEMES,
    ORGANISATIONS,
    AGREEMENTS,
    PRIORITY_AREAS,
    MEASURES,
    FRAMES,
    PARTNERSHIPS,
    MEMBERS,
    CLUSTERS,
    CLUSTER_COUNTIES,
    ACTORS,
    LINKS,
    PROJECTS,
    FINANCING,
    REPORTS,
    REPORT_FINANCING,
    REPORT_AREAS,
    REPORT_PROJECTS,
    OBSERVATIONS,
    EVIDENCE,
]
