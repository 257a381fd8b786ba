"""What an import would do: per row, create, update (which fields) or leave unchanged.

The plan holds the model instances ready to be written, so the preview and the write can
never disagree; its digest lets a confirmation check that nothing moved in between.
"""

import hashlib
import operator
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from agreements.imports import columns as cols
from agreements.imports.lookups import Lookups
from agreements.imports.problems import Problem
from agreements.imports.validate import OrgRef, Row, Validated
from agreements.models import FinancingLine, Organisation, Project

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"

# The fields a sheet sets, by model (foreign keys by name).
FIELDS = {
    Organisation: ("name", "kind", "org_number", "municipality"),
    Project: (
        "reference_number",
        "title",
        "agreement",
        "measure",
        "owner",
        "municipality",
        "partnership",
        "cluster",
        "start_date",
        "end_date",
        "status",
        "description",
    ),
    FinancingLine: ("project", "source", "financier", "year", "amount", "kind", "note"),
}
SHEET_OF = {Organisation: cols.ORGANISATIONS, Project: cols.PROJECTS, FinancingLine: cols.FINANCING}
MODELS = (Organisation, Project, FinancingLine)  # the order they are written in


@dataclass
class Change:
    sheet: str
    row: int
    action: str
    label: str
    fields: list[str]


@dataclass
class Plan:
    creates: dict = field(default_factory=lambda: {model: [] for model in MODELS})
    updates: dict = field(default_factory=lambda: {model: [] for model in MODELS})
    counts: dict = field(
        default_factory=lambda: {
            SHEET_OF[model]: {CREATE: 0, UPDATE: 0, UNCHANGED: 0} for model in MODELS
        }
    )
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    digest: str = ""

    @property
    def has_changes(self) -> bool:
        return any(self.creates.values()) or any(self.updates.values())


def make_plan(validated: Validated, lookups: Lookups) -> Plan:
    planner = _Planner(validated, lookups)
    planner.organisations()
    planner.projects()
    planner.financing()
    plan = planner.plan
    plan.problems = validated.problems + plan.problems
    plan.problems.sort(key=lambda p: (cols.SHEETS.index(p.sheet) if p.sheet else -1, p.row or 0))
    plan.digest = planner.digest.hexdigest()
    return plan


class _Planner:
    def __init__(self, validated: Validated, lookups: Lookups):
        self.validated, self.lookups = validated, lookups
        self.plan = Plan()
        self.new_orgs: dict[int, Organisation] = {}
        self.digest = hashlib.sha256()
        # Field metadata looked up once, not once per row (verbose names are translated).
        self.fields, self.attnames, self.verbose, self.all_values = {}, {}, {}, {}
        for model, names in FIELDS.items():
            fields = [model._meta.get_field(name) for name in names]
            self.fields[model] = [(f.name, f.attname, f.is_relation) for f in fields]
            self.attnames[model] = {f.name: f.attname for f in fields}
            self.verbose[model] = {f.name: str(f.verbose_name) for f in fields}
            self.all_values[model] = operator.attrgetter(*(f.attname for f in fields))
        self.kind_labels = {value: str(label) for value, label in FinancingLine.Kind.choices}
        self.makers = {
            Project: _Maker(Project, ("county", *FIELDS[Project])),
            FinancingLine: _Maker(FinancingLine, FIELDS[FinancingLine]),
        }

    def problem(self, row: Row, key: str, message: str):
        self.plan.problems.append(row.problem(key, message))

    def org(self, ref: OrgRef | None):
        if ref is None:
            return None
        if ref.new_row is not None:
            return self.new_orgs[ref.new_row]
        return ref.pk

    def unique_ids(self, rows: list[Row]) -> list[Row]:
        seen: dict[int, int] = {}
        kept = []
        for row in rows:
            if row.id is not None and row.id in seen:
                self.problem(
                    row,
                    "id",
                    _("ID %(id)s finns redan på rad %(row)s.")
                    % {"id": row.id, "row": seen[row.id]},
                )
                continue
            if row.id is not None:
                seen[row.id] = row.number
            kept.append(row)
        return kept

    def organisations(self):
        for row in self.unique_ids(self.validated.organisations):
            values = dict(row.values)
            if row.id is None:
                obj = Organisation(county=self.lookups.county, **values)
                self.new_orgs[row.number] = obj
                self.apply(row, obj, None, label=values["name"])
            else:
                obj = self.lookups.county_organisations[row.id]
                self.apply(row, obj, values, label=values["name"])

    def projects(self):
        lookups = self.lookups
        seen_refs: dict[str, int] = {}
        for row in self.unique_ids(self.validated.projects):
            values = dict(row.values)
            ref = values["reference_number"]
            if ref in seen_refs:
                self.problem(
                    row,
                    "reference_number",
                    _("Diarienumret ”%(ref)s” finns redan på rad %(row)s.")
                    % {"ref": ref, "row": seen_refs[ref]},
                )
                continue
            seen_refs[ref] = row.number
            holder = lookups.project_by_ref.get(ref)
            if holder is not None and holder.pk != row.id:
                message = _("Länet har redan ett projekt med diarienumret ”%(ref)s” (ID %(id)s).")
                if row.id is None:
                    message += " " + _(
                        "Skriv projektets ID i kolumnen ID för att ändra det i stället."
                    )
                self.problem(row, "reference_number", message % {"ref": ref, "id": holder.pk})
                continue
            values["owner"] = self.org(values["owner"])
            label = f"{ref} {values['title']}"
            if row.id is None:
                values["county"] = lookups.county
                self.create(row, Project, values, label=label)
            else:
                self.apply(row, lookups.projects[row.id], values, label=label)
        # Financing lines name their project by its reference number as the file leaves it.
        self.project_by_ref = {p.reference_number: p for p in lookups.projects.values()}
        for obj in self.plan.creates[Project]:
            self.project_by_ref[obj.reference_number] = obj

    def financing(self):
        for row in self.unique_ids(self.validated.financing):
            values = dict(row.values)
            project = self.project_by_ref.get(values["project"])
            if project is None and values["project"] in self.validated.refused_projects:
                continue  # its project's row is refused, and says why
            if project is None:
                self.problem(
                    row,
                    "project",
                    _(
                        "Det finns inget projekt med diarienumret ”%(ref)s” i länet eller på "
                        "bladet Projekt."
                    )
                    % {"ref": values["project"]},
                )
                continue
            values["project"] = project
            values["financier"] = self.org(values["financier"])
            kind = self.kind_labels[values["kind"]]
            label = f"{project.reference_number} · {values['source']} · {values['year']} · {kind}"
            if row.id is None:
                self.create(row, FinancingLine, values, label=label)
            else:
                self.apply(row, self.lookups.lines[row.id], values, label=label)

    def create(self, row: Row, model, values: dict, *, label: str):
        """A new object with the row's values; recorded as a create."""
        self.record(row, self.makers[model](values), model, [], label=label)

    def apply(self, row: Row, obj, values: dict | None, *, label: str):
        """Set the row's values on ``obj``; record it as a create, an update or unchanged."""
        model = type(obj)
        changed = []
        for name, attname, is_relation in self.fields[model]:
            if values is None:
                break
            value = values[name]
            if is_relation:
                current = getattr(obj, attname)
                if isinstance(value, int) or value is None:
                    if current != value:
                        setattr(obj, attname, value)
                        changed.append(name)
                else:  # an instance: cached, so clean() runs without queries
                    if value.pk is None or current != value.pk:
                        changed.append(name)
                    setattr(obj, name, value)
            elif getattr(obj, name) != value:
                setattr(obj, name, value)
                changed.append(name)
        self.record(row, obj, model, changed, label=label)

    def record(self, row: Row, obj, model, changed: list[str], *, label: str):
        sheet = SHEET_OF[model]
        if not self.clean(row, obj, model):
            return
        action = CREATE if obj.pk is None else UPDATE if changed else UNCHANGED
        self.plan.counts[sheet][action] += 1
        if action == UNCHANGED:
            return
        if action == CREATE:
            self.plan.creates[model].append(obj)
        else:
            self.plan.updates[model].append((obj, changed))
        verbose = [self.verbose[model][name] for name in changed] if action == UPDATE else []
        self.plan.changes.append(Change(sheet, row.number, action, label, verbose))
        if action == CREATE:
            shown = self.all_values[model](obj)  # every field of FIELDS, in order
        else:
            attnames = self.attnames[model]
            shown = [(name, str(getattr(obj, attnames[name]))) for name in changed]
        version = getattr(obj, "version", None)
        self.digest.update(repr((sheet, row.number, obj.pk, version, shown)).encode())

    def clean(self, row: Row, obj, model) -> bool:
        """The model's cross-field rules (``clean()``), without database queries.

        This stands in for full_clean(), which would query once per object and row: each
        cell was parsed against the model field's own limits (length, range, choices,
        organisation number), foreign keys were found in the lookups and uniqueness was
        checked against them; the database constraints remain the backstop.
        """
        try:
            obj.clean()
        except ValidationError as error:
            keys = {c.key for c in cols.COLUMNS[SHEET_OF[model]]}
            for name, messages in error.message_dict.items():
                key = name if name in keys else "id"
                if name == NON_FIELD_ERRORS or name not in keys:
                    self.plan.problems.append(
                        Problem(" ".join(messages), sheet=row.sheet.name, row=row.number)
                    )
                else:
                    self.problem(row, key, " ".join(messages))
            return False
        return True


class _Maker:
    """Makes new instances of a model from a row's values, as ``model(**values)`` would.

    A new project or financing line is made for every row of a large file, and the keyword
    path of Model.__init__ (a default looked up, and a descriptor run, for every field) was
    most of the plan's time. Here the instance is made the way Django makes one from a
    database row, with every field's value in order, and a related object the row names is
    then cached on it as assigning it would (so clean() runs without queries, and an object
    the same import creates gives its key when it has one).
    """

    def __init__(self, model, names):
        concrete = model._meta.concrete_fields
        position = {f.attname: index for index, f in enumerate(concrete)}
        self.model = model
        self.given = []
        for name in names:
            f = model._meta.get_field(name)
            self.given.append((name, position[f.attname], f if f.is_relation else None))
        filled = {index for _name, index, _relation in self.given}
        # The other fields' defaults: a constant once, a callable for every instance.
        self.template, self.called = [None] * len(concrete), []
        for index, f in enumerate(concrete):
            if index in filled:
                continue
            if f.has_default() and callable(f.default):
                self.called.append((index, f))
            else:
                self.template[index] = f.get_default()

    def __call__(self, values: dict):
        args = self.template.copy()
        for index, default in self.called:
            args[index] = default.get_default()
        related = []
        for name, index, relation in self.given:
            value = values[name]
            if relation is not None and value is not None and not isinstance(value, int):
                related.append((relation, value))
                value = getattr(value, relation.target_field.attname)
            args[index] = value
        obj = self.model(*args)
        for relation, value in related:
            relation.set_cached_value(obj, value)
        return obj
