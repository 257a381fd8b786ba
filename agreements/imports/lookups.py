"""Everything an import compares a file with, fetched once: a fixed number of queries.

Rows are then checked against dictionaries, so validating 10 000 rows costs the same number
of queries as validating ten.
"""

import re
from collections import Counter, defaultdict

from agreements.imports.values import choice_key
from agreements.models import (
    Agreement,
    County,
    FinancingLine,
    FinancingSource,
    Measure,
    Municipality,
    Organisation,
    OrganisationKind,
    Partnership,
    Project,
)
from agreements.models.clusters import Cluster
from agreements.validators import name_key
from core import languages


def agreement_label(agreement: Agreement) -> str:
    return f"{agreement.get_kind_display()} {agreement.period}"


def measure_label(measure: Measure) -> str:
    return f"{measure.code} {measure.name}"


def municipality_label(municipality: Municipality) -> str:
    return f"{municipality.code} {municipality.name}"


# "Name (556994-0926)" or "Name (ID 17)": a name two organisations share, told apart.
_TOLD_APART = re.compile(
    r"(?P<name>.*\S)\s*\(\s*(?:ID\s*(?P<pk>\d{1,12})|(?P<number>[\d\s\-–+]{10,15}))\s*\)"
)


def shared_organisation_names() -> set[str]:
    """The names (as ``name_key``) that two or more organisations share, in one query."""
    counts = Counter(name_key(name) for name in Organisation.objects.values_list("name", flat=True))
    return {key for key, n in counts.items() if n > 1}


def organisation_label(org: Organisation | None, *, shared: set[str]) -> str:
    """How the template names an organisation: by its name, as people know it; where two
    organisations share the name, with its organisation number added (its ID when it has none),
    so that the import finds exactly that one again."""
    if org is None:
        return ""
    if name_key(org.name) not in shared:
        return org.name
    return f"{org.name} ({org.org_number or f'ID {org.pk}'})"


def told_apart(text: str) -> tuple[str, str | None, int | None] | None:
    """``organisation_label``'s "Name (number)" / "Name (ID n)" read back: (name, number, id),
    or None for a plain name."""
    match = _TOLD_APART.fullmatch(text)
    if match is None:
        return None
    pk = match["pk"]
    return match["name"], match["number"], int(pk) if pk else None


class Lookups:
    """The county's register and the shared reference data, as dictionaries."""

    def __init__(self, county: County, *, for_update: bool = False):
        self.county = county
        self.agreements = list(Agreement.objects.filter(county=county).order_by("start_year"))
        self.agreement_by_label = {  # as either language writes it (a template is Swedish)
            choice_key(f"{kind} {agreement.period}"): agreement
            for agreement in self.agreements
            for kind in languages.every_spelling(Agreement.Kind(agreement.kind).label)
        }
        self.measures = list(
            Measure.objects.filter(agreement__county=county)
            .select_related("priority_area")
            .order_by("agreement__start_year", "priority_area__number", "number")
        )
        self.measure_by_code = {(m.agreement_id, m.code): m for m in self.measures}
        self.municipalities = {m.code: m for m in Municipality.objects.select_related("county")}
        self.partnerships = {
            choice_key(p.name): p for p in Partnership.objects.filter(county=county)
        }
        self.clusters = {choice_key(c.name): c for c in Cluster.objects.filter(county=county)}
        self.sources = {}
        for source in FinancingSource.objects.all():
            self.sources[choice_key(source.code)] = source
            self.sources[choice_key(source.name)] = source
        self.source_names = [s.name for s in sorted(set(self.sources.values()), key=_sort_key)]
        self.kinds = {}
        for kind in OrganisationKind.objects.all():
            self.kinds[choice_key(kind.code)] = kind
            self.kinds[choice_key(kind.name)] = kind
        self.kind_names = [k.name for k in sorted(set(self.kinds.values()), key=_sort_key)]

        # Organisations are shared: owners may come from anywhere. Only names and numbers
        # are kept for all of them; the county's own are kept whole, as the file may edit them.
        self.org_by_number: dict[str, int] = {}
        self.org_by_name: dict[str, list[int]] = defaultdict(list)
        self.org_names: dict[int, str] = {}
        for pk, name, org_number in Organisation.objects.values_list("pk", "name", "org_number"):
            self.org_names[pk] = name
            self.org_by_name[choice_key(name)].append(pk)
            if org_number:
                self.org_by_number[org_number] = pk
        organisations = Organisation.objects.filter(county=county)
        projects = Project.objects.filter(county=county)
        lines = FinancingLine.objects.filter(project__county=county)
        if for_update:
            # PostgreSQL: nobody changes these rows between the comparison and the write.
            organisations, projects, lines = (
                queryset.select_for_update(of=("self",))
                for queryset in (organisations, projects, lines)
            )
        self.county_organisations = {o.pk: o for o in organisations}
        self.projects = {p.pk: p for p in projects}
        self.project_by_ref = {p.reference_number: p for p in self.projects.values()}
        self.lines = {line.pk: line for line in lines}


def _sort_key(obj):
    return (obj.sort_order, obj.name)
