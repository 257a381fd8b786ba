"""Row validation: every cell of every data sheet becomes a typed value or a Problem.

Nothing here touches the database; the lookups were fetched once. Cross-row checks (unique
reference numbers, which project a financing line belongs to) are in ``plan``.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agreements.imports import columns as cols
from agreements.imports import values as parse
from agreements.imports.lookups import Lookups, agreement_label, told_apart
from agreements.imports.problems import Problem
from agreements.imports.reader import FORMULA, Sheet, Workbook
from agreements.imports.values import CellError, choice_key
from agreements.models import FinancingLine, Organisation, Project
from agreements.validators import name_key, normalise_name, normalise_org_number, validate_name
from core import languages

_ORG_NUMBER_LIKE = re.compile(r"[\d\s\-–+]{10,15}")
DESCRIPTION_MAX = 10_000


def _max_length(model, name: str) -> int:
    """The model field's own limit, so the parsers check what full_clean() would."""
    return model._meta.get_field(name).max_length


@dataclass(frozen=True)
class OrgRef:
    """An organisation named in a cell: an existing one (pk) or one the file creates (row)."""

    pk: int | None = None
    new_row: int | None = None


@dataclass
class Row:
    sheet: Sheet
    number: int
    id: int | None
    values: dict = field(default_factory=dict)

    def problem(self, key: str, message: str) -> Problem:
        return self.sheet.problem(self.number, key, message)


@dataclass
class Validated:
    organisations: list[Row] = field(default_factory=list)
    projects: list[Row] = field(default_factory=list)
    financing: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Reference numbers of project rows refused for a problem of their own: their financing
    # lines are not told "no such project" as well.
    refused_projects: set[str] = field(default_factory=set)


class _Cells:
    """Reads a row's cells by column key, collecting problems instead of stopping."""

    def __init__(self, sheet: Sheet, number: int, raw: tuple, problems: list[Problem]):
        self.sheet, self.number, self.raw, self.problems = sheet, number, raw, problems
        self.ok = True

    def value(self, key):
        index = self.sheet.positions.get(key)
        return None if index is None or index >= len(self.raw) else self.raw[index]

    def error(self, key: str, message: str) -> None:
        self.ok = False
        self.problems.append(self.sheet.problem(self.number, key, message))

    def get(self, key, parser, *, required: bool = False, default=None):
        value = self.value(key)
        if value is FORMULA:  # reported by the reader
            self.ok = False
            return default
        if value is None:
            if required:
                self.error(key, _("Värde saknas: kolumnen måste fyllas i."))
            return default
        try:
            return parser(value)
        except CellError as error:
            self.error(key, error.message)
            return default


def _text(max_length):
    return lambda value: parse.text(value, max_length=max_length)


def _name(max_length):
    """A name or title, as a model's NameField stores it (agreements.validators): refused with
    the same Swedish message if it holds a control, bidi, zero-width or other invisible
    character (line breaks and tabs included: a name is one line), else NFC with single
    spaces."""

    def parser(value):
        if isinstance(value, str):
            try:
                validate_name(value)
            except ValidationError as error:
                raise CellError(" ".join(error.messages)) from None
            value = normalise_name(value)
        return parse.text(value, max_length=max_length)

    return parser


def _remembered(parser):
    """``parser``, answering once per distinct cell value: the same text names the same
    organisation, municipality or date on every row, or gives the same error."""
    answers = {}

    def remembered(value):
        key = (type(value), value)  # 1, 1.0 and True are equal, but not the same cell
        if key not in answers:
            try:
                answers[key] = (True, parser(value))
            except CellError as error:
                answers[key] = (False, error.message)
        ok, answer = answers[key]
        if not ok:
            raise CellError(answer)
        return answer

    return remembered


def validate(workbook: Workbook, lookups: Lookups) -> Validated:
    result = Validated(problems=list(workbook.problems))
    validator = _Validator(lookups, result)
    if cols.ORGANISATIONS in workbook.sheets:
        validator.organisations(workbook.sheets[cols.ORGANISATIONS])
    validator.projects(workbook.sheets[cols.PROJECTS])
    if cols.FINANCING in workbook.sheets:
        validator.financing(workbook.sheets[cols.FINANCING])
    return result


class _Validator:
    def __init__(self, lookups: Lookups, result: Validated):
        self.lookups = lookups
        self.county = lookups.county
        self.result = result
        self.problems = result.problems
        # Organisations the file names or creates: name/number → reference. Names are
        # compared as the admin compares them (name_key: case, spaces, invisible characters
        # and compatibility forms aside), so a name the register holds is found, not made
        # again as a look-alike.
        self.file_org_by_name: dict[str, OrgRef] = {}
        self.file_org_by_number: dict[str, OrgRef] = {}
        self.org_by_name: dict[str, list[int]] = defaultdict(list)
        for pk, name in lookups.org_names.items():
            self.org_by_name[name_key(name)].append(pk)
        self.partnerships = {name_key(p.name): p for p in lookups.partnerships.values()}
        self.clusters = {name_key(c.name): c for c in lookups.clusters.values()}
        self.status_by_key = {}
        for value, label in Project.Status.choices:  # in either language: the template's
            self.status_by_key[choice_key(value)] = value
            for spelling in languages.every_spelling(label):
                self.status_by_key[choice_key(spelling)] = value
        self.agreement_parser = self.choice(
            lookups.agreement_by_label, [agreement_label(a) for a in lookups.agreements]
        )
        self.kind_by_key = {}
        for value, label in FinancingLine.Kind.choices:
            self.kind_by_key[choice_key(value)] = value
            for spelling in languages.every_spelling(label):
                self.kind_by_key[choice_key(spelling)] = value

    # --- shared cell readers ------------------------------------------------------------------

    def municipality(self, value):
        code = parse.code_prefix(value, pattern=r"\d{3,4}(?!\d)")
        municipality = self.lookups.municipalities.get(code.zfill(4)) if code else None
        if municipality is None:
            raise CellError(
                _("Okänd kommun ”%(value)s”. Välj en kommun ur listan (kod och namn).")
                % {"value": str(value)[:40]}
            )
        if municipality.county_id != self.county.pk:
            raise CellError(
                _("Kommunen %(municipality)s ligger inte i %(county)s.")
                % {"municipality": municipality, "county": self.county.display_name}
            )
        return municipality

    def organisation(self, value) -> OrgRef:
        raw = normalise_name(parse.text(value, max_length=220))
        labelled = told_apart(raw)
        if labelled is not None:  # "Name (556994-0926)" or "Name (ID 17)", as the template names
            name, number, pk = labelled
            ref = self.organisation_by_number(number) if number else self.organisation_by_id(pk)
            if ref.pk is not None and name_key(self.lookups.org_names[ref.pk]) != name_key(name):
                raise CellError(
                    _(
                        "”%(name)s” är inte namnet på organisationen %(which)s, som heter "
                        "”%(actual)s”. Ange antingen namnet eller numret."
                    )
                    % {"name": name, "which": number or f"ID {pk}", "actual": (
                        self.lookups.org_names[ref.pk]
                    )}
                )  # fmt: skip
            return ref
        if _ORG_NUMBER_LIKE.fullmatch(raw) and sum(ch.isdigit() for ch in raw) >= 10:
            return self.organisation_by_number(raw)
        key = name_key(raw)
        if key in self.file_org_by_name:
            return self.file_org_by_name[key]
        found = self.org_by_name.get(key, [])
        if len(found) == 1:
            return OrgRef(pk=found[0])
        if len(found) > 1:
            raise CellError(
                _(
                    "Flera organisationer heter ”%(name)s”. Ange organisationsnumret i stället "
                    "för namnet."
                )
                % {"name": raw}
            )
        raise CellError(
            _(
                "Okänd organisation ”%(name)s”. Ange organisationsnummer eller exakt namn på en "
                "befintlig organisation, eller lägg till den på bladet Organisationer."
            )
            % {"name": raw}
        )

    def organisation_by_number(self, raw: str) -> OrgRef:
        try:
            number = normalise_org_number(raw)
        except ValidationError as error:
            raise CellError(" ".join(error.messages)) from None
        ref = self.file_org_by_number.get(number)
        if ref is None and number in self.lookups.org_by_number:
            ref = OrgRef(pk=self.lookups.org_by_number[number])
        if ref is None:
            raise CellError(
                _(
                    "Ingen organisation har organisationsnumret %(number)s. Lägg till "
                    "den på bladet Organisationer."
                )
                % {"number": number}
            )
        return ref

    def organisation_by_id(self, pk: int) -> OrgRef:
        if pk not in self.lookups.org_names:
            raise CellError(_("Det finns ingen organisation med ID %(id)s.") % {"id": pk})
        return OrgRef(pk=pk)

    def identifier(self, cells: _Cells, known: dict, message: str):
        pk = cells.get("id", parse.identifier)
        if pk is not None and pk not in known:
            cells.error("id", message % {"id": pk, "county": self.county.display_name})
            return None
        return pk

    # --- sheets -------------------------------------------------------------------------------

    def organisations(self, sheet: Sheet):
        numbers_seen: dict[str, int] = {}
        names_seen: dict[str, int] = {}
        missing = _(
            "Det finns ingen organisation med ID %(id)s i %(county)s. Organisationer från andra "
            "län ändras inte här; lämna ID tomt för en ny organisation."
        )
        name_parser = _name(_max_length(Organisation, "name"))
        kind_parser = self.choice(self.lookups.kinds, self.lookups.kind_names)
        for number, raw in sheet.rows:
            cells = _Cells(sheet, number, raw, self.problems)
            pk = self.identifier(cells, self.lookups.county_organisations, missing)
            name = cells.get("name", name_parser, required=True)
            kind = cells.get("kind", kind_parser)
            if cells.value("kind") is None:
                cells.error("kind", _("Värde saknas: kolumnen måste fyllas i."))
            org_number = cells.get("org_number", self.org_number, default="")
            municipality = cells.get("municipality", self.municipality)
            if name:
                key = name_key(name)
                if key in names_seen:
                    cells.error(
                        "name",
                        _("Organisationen ”%(name)s” finns redan på rad %(row)s.")
                        % {"name": name, "row": names_seen[key]},
                    )
                names_seen[key] = number
                others = [o for o in self.org_by_name.get(key, []) if o != pk]
                current = self.lookups.county_organisations.get(pk)
                renamed = current is not None and name_key(current.name) != key
                if (pk is None or renamed) and others and not org_number:
                    cells.error(
                        "name",
                        _(
                            "Det finns redan en organisation som heter ”%(name)s”. Ange den "
                            "med namnet som projektägare, eller ange organisationsnummer för "
                            "en ny organisation med samma namn."
                        )
                        % {"name": name},
                    )
            if org_number:
                if org_number in numbers_seen:
                    cells.error(
                        "org_number",
                        _("Organisationsnumret %(number)s finns redan på rad %(row)s.")
                        % {"number": org_number, "row": numbers_seen[org_number]},
                    )
                numbers_seen[org_number] = number
                holder = self.lookups.org_by_number.get(org_number)
                if holder is not None and holder != pk:
                    cells.error(
                        "org_number",
                        _(
                            "Det finns redan en organisation med organisationsnumret "
                            "%(number)s: %(name)s."
                        )
                        % {"number": org_number, "name": self.lookups.org_names[holder]},
                    )
            if not cells.ok:
                continue
            ref = OrgRef(pk=pk) if pk is not None else OrgRef(new_row=number)
            self.file_org_by_name[name_key(name)] = ref
            if org_number:
                self.file_org_by_number[org_number] = ref
            self.result.organisations.append(
                Row(
                    sheet,
                    number,
                    pk,
                    {
                        "name": name,
                        "kind": kind,
                        "org_number": org_number,
                        "municipality": municipality,
                    },
                )
            )

    def org_number(self, value) -> str:
        try:
            return normalise_org_number(parse.text(value, max_length=20))
        except ValidationError as error:
            raise CellError(" ".join(error.messages)) from None

    def choice(self, options: dict, names: list[str]):
        def parser(value):
            found = options.get(choice_key(value))
            if found is None:
                raise CellError(
                    _("Okänt värde ”%(value)s”. Välj ett av: %(options)s.")
                    % {"value": str(value)[:60], "options": ", ".join(names)}
                )
            return found

        return parser

    def projects(self, sheet: Sheet):
        lookups = self.lookups
        statuses = [str(label) for _value, label in Project.Status.choices]
        # Parsers and messages are made once per sheet, not once per row.
        missing = _(
            "Det finns inget projekt med ID %(id)s i %(county)s. Lämna ID tomt för ett nytt "
            "projekt."
        )
        reference_number = _name(_max_length(Project, "reference_number"))
        title = _name(_max_length(Project, "title"))
        partnership = self.named(self.partnerships, _("Länet har inget partnerskap som heter"))
        cluster = self.named(self.clusters, _("Länet har inget kluster som heter"))
        status = self.choice(self.status_by_key, statuses)
        description = _text(DESCRIPTION_MAX)
        # The organisations sheet was read before: names and numbers mean the same from here.
        organisation = _remembered(self.organisation)
        municipality = _remembered(self.municipality)
        date = _remembered(parse.date)
        for number, raw in sheet.rows:
            cells = _Cells(sheet, number, raw, self.problems)
            pk = self.identifier(cells, lookups.projects, missing)
            values = {
                "reference_number": cells.get("reference_number", reference_number, required=True),
                "title": cells.get("title", title, required=True),
                "agreement": self.agreement(cells),
                "owner": cells.get("owner", organisation, required=True),
                "municipality": cells.get("municipality", municipality),
                "partnership": cells.get("partnership", partnership),
                "cluster": cells.get("cluster", cluster),
                "start_date": cells.get("start_date", date),
                "end_date": cells.get("end_date", date),
                "status": cells.get("status", status, required=True),
                "description": cells.get("description", description, default=""),
            }
            values["measure"] = self.measure(cells, values["agreement"])
            start, end = values["start_date"], values["end_date"]
            if start and end and end < start:
                cells.error("end_date", _("Slutdatum kan inte vara före startdatum."))
            if cells.ok:
                self.result.projects.append(Row(sheet, number, pk, values))
            elif values["reference_number"]:
                self.result.refused_projects.add(values["reference_number"])

    def named(self, options: dict, prefix: str):
        def parser(value):
            found = options.get(name_key(str(value)))
            if found is None:
                raise CellError(f"{prefix} ”{str(value)[:60]}”.")
            return found

        return parser

    def agreement(self, cells: _Cells):
        agreements = self.lookups.agreements
        if cells.value("agreement") is None:
            if len(agreements) == 1:
                return agreements[0]
            if not agreements:
                cells.error(
                    "agreement",
                    _("%(county)s har inget avtal ännu; lägg in avtalet innan projekten.")
                    % {"county": self.county.display_name},
                )
            else:
                cells.error("agreement", _("Välj avtal ur listan: länet har flera avtal."))
            return None
        return cells.get("agreement", self.agreement_parser)

    def measure(self, cells: _Cells, agreement):
        value = cells.value("measure")
        if value is FORMULA:
            cells.ok = False
            return None
        if value is None:
            cells.error("measure", _("Värde saknas: kolumnen måste fyllas i."))
            return None
        if agreement is None:
            return None  # the agreement's own problem is reported
        code = parse.code_prefix(value, pattern=r"\d+\.\d+")
        measure = self.lookups.measure_by_code.get((agreement.pk, code))
        if measure is None:
            cells.error(
                "measure",
                _(
                    "Åtgärden ”%(value)s” finns inte i avtalet %(agreement)s. Välj en åtgärd "
                    "ur listan."
                )
                % {"value": str(value)[:60], "agreement": agreement_label(agreement)},
            )
        return measure

    def financing(self, sheet: Sheet):
        lookups = self.lookups
        kinds = [str(label) for _value, label in FinancingLine.Kind.choices]
        missing = _(
            "Det finns ingen finansieringsrad med ID %(id)s i %(county)s. Lämna ID tomt för en "
            "ny rad."
        )
        project = _name(_max_length(Project, "reference_number"))
        source = self.choice(lookups.sources, lookups.source_names)
        kind = self.choice(self.kind_by_key, kinds)
        note = _text(_max_length(FinancingLine, "note"))
        organisation = _remembered(self.organisation)
        for number, raw in sheet.rows:
            cells = _Cells(sheet, number, raw, self.problems)
            pk = self.identifier(cells, lookups.lines, missing)
            values = {
                "project": cells.get("project", project, required=True),
                "source": cells.get("source", source, required=True),
                "financier": cells.get("financier", organisation),
                "year": cells.get("year", parse.year, required=True),
                "amount": cells.get("amount", parse.amount, required=True),
                "kind": cells.get("kind", kind, required=True),
                "note": cells.get("note", note, default=""),
            }
            if cells.ok:
                self.result.financing.append(Row(sheet, number, pk, values))
