"""The one door for access: who is who, and which rows a user may read, change, pick or save.

Every admin, page, download, import and command asks this module — never the groups, never a
county path of its own. What each model *is* — which county a row belongs to, whether every role
reads it, whether it is part of a county report — is declared once, by the app that owns the
model, as a ``Scope`` (``agreements/scopes.py``, ``followup/scopes.py``); the rules below read
those declarations and nothing else.

- ``visible(queryset, user)`` — rows the user may read;
- ``editable(queryset, user)`` — rows the user may change or delete;
- ``choosable(queryset, user)`` — rows the user may pick in a form;
- ``can_view``/``can_edit``/``can_save`` — the same for one object (``can_save`` as it stands,
  checked again on save, so a forged post fails);
- ``may_read_history(user, row, versions)`` — may the user read a row's audit trail;
- ``deletion_refusal(model, pks)`` — why rows may not be deleted by anyone (a locked report);
- ``county_path``/``county_id_of`` — the county a model's rows belong to.

Coordinators read and write their own counties' register and reports. Ministry reviewers read
every county's register and what the county reports have sent them (the follow-up app's
``ReportRule`` says exactly what); they change reports only through the workflow services.
Administrators see everything. Shared data (reference data, organisations, rounds) is read by
every role. Nobody changes a locked report.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet

from core.roles import Role

# --- what each model is ------------------------------------------------------------------------


class ReportRule:
    """How the rows of a county report are read and locked. The follow-up app, which knows the
    review workflow, supplies one per model (``followup/scopes.py``)."""

    def reviewer_q(self, model) -> Q:
        """Rows (or, for a historical model, versions) a reviewer reads."""
        raise NotImplementedError

    def writable_q(self) -> Q:
        """Rows that may be written now."""
        raise NotImplementedError

    def locked(self, obj: Model) -> bool:
        """Is ``obj``'s report, as stored, locked (or would a new ``obj`` go into one)?"""
        raise NotImplementedError

    def deletion_refusal(self, queryset: QuerySet) -> str | None:
        """Why these rows may not be deleted by anyone; None when they may."""
        raise NotImplementedError

    def content_shown(self, report: Model) -> bool:
        """Is the report's content (observations, summary) shown to those of other counties
        who read the report at all (not while it is a draft)?"""
        raise NotImplementedError

    def read_as_submitted(self, report: Model) -> bool:
        """Is the report read as last submitted by those who do not write it (returned)?"""
        raise NotImplementedError


@dataclass(frozen=True)
class Scope:
    """What a model's rows are, for access. Declared once per model by the app that owns it."""

    county: str | None = None  # lookup path to the County the row belongs to
    shared: bool = False  # read by every role
    county_itself: bool = False  # the counties: a coordinator picks only their own
    kept_by_county: str | None = None  # shared rows a coordinator keeps (and adds) by this field
    # ... and, while that field is empty, the coordinator this field names (who registered it)
    kept_by_creator: str | None = None
    written_by_reviewers: bool = False  # changed by the ministry's reviewers (its conclusions)
    read_only: bool = False  # written by the system (the review events), read by people
    report: ReportRule | None = None  # part of a county report


_SCOPES: dict[str, Scope] = {}
_DELETION_RULES: dict[str, list[Callable[[QuerySet], str | None]]] = {}


def register(label: str, scope: Scope) -> None:
    """Declare what ``label``'s rows are (an app's scopes module, at start-up)."""
    if label in _SCOPES and _SCOPES[label] != scope:
        raise ValueError(f"{label} is declared twice")
    _SCOPES[label] = scope


def register_deletion_rule(label: str, rule: Callable[[QuerySet], str | None]) -> None:
    """Another app's reason why ``label``'s rows may not be deleted (evidence of a report)."""
    rules = _DELETION_RULES.setdefault(label, [])
    if rule not in rules:
        rules.append(rule)


def scopes() -> dict[str, Scope]:
    """Every model declared, by label."""
    return dict(_SCOPES)


def _label(model) -> str:
    model = getattr(model, "instance_type", model)  # a historical model → the model it records
    return model._meta.label_lower


def scope_of(model) -> Scope | None:
    return _SCOPES.get(_label(model))


def county_path(model) -> str | None:
    scope = scope_of(model)
    return scope.county if scope else None


def is_report_content(model) -> bool:
    scope = scope_of(model)
    return bool(scope and scope.report)


# --- roles ------------------------------------------------------------------------------------


def _role_names(user) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_followup_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._followup_roles = cached
    return cached


def is_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser) or (
        Role.ADMINISTRATOR in _role_names(user)
    )


def is_reviewer(user) -> bool:
    return Role.REVIEWER in _role_names(user)


def is_coordinator(user) -> bool:
    return Role.COORDINATOR in _role_names(user)


def has_role(user) -> bool:
    return is_administrator(user) or bool(_role_names(user) & set(Role.values))


def coordinated_county_ids(user) -> frozenset[int]:
    """The counties this user keeps as regional coordinator (empty for everyone else)."""
    if not is_coordinator(user):
        return frozenset()
    cached = getattr(user, "_followup_county_ids", None)
    if cached is None:
        cached = frozenset(user.counties.values_list("pk", flat=True))
        user._followup_county_ids = cached
    return cached


def is_coordinator_of(user, county_id: int) -> bool:
    return county_id in coordinated_county_ids(user)


def reads_every_county(user) -> bool:
    """Does the user read every county's register (the ministry), or only their own?"""
    return is_administrator(user) or is_reviewer(user)


def readable_county_ids(user) -> frozenset[int] | None:
    """Counties whose register the user reads; None for all of them."""
    return None if reads_every_county(user) else coordinated_county_ids(user)


def may_read_county(user, county_id: int) -> bool:
    ids = readable_county_ids(user)
    return ids is None or county_id in ids


# --- rows ------------------------------------------------------------------------------------


def _own(path: str | None, user) -> Q:
    if path is None:  # declared as a county's, without the path to it: nobody's own
        return Q(pk__in=[])
    return Q(**{f"{path}__in": coordinated_county_ids(user)})


def visible(queryset: QuerySet, user) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may read."""
    scope = scope_of(queryset.model)
    if is_administrator(user):
        return queryset
    if not has_role(user) or scope is None:
        return queryset.none()
    if scope.shared:
        return queryset
    condition = Q()
    if is_coordinator(user):
        condition |= _own(scope.county, user)
    if is_reviewer(user):
        condition |= (
            scope.report.reviewer_q(queryset.model) if scope.report else Q(pk__isnull=False)
        )
    return queryset.filter(condition) if condition else queryset.none()


def editable(queryset: QuerySet, user, *, mind_lock: bool = True) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may change or delete. A locked report and its
    rows are changed by nobody, administrators included (they reopen it instead);
    ``mind_lock=False`` answers as if nothing were locked (to say why a change is refused)."""
    scope = scope_of(queryset.model)
    if scope is not None and scope.report is not None and mind_lock:
        queryset = queryset.filter(scope.report.writable_q())
    if is_administrator(user):
        return queryset
    if scope is None:
        return queryset.none()
    if scope.written_by_reviewers:
        return queryset if is_reviewer(user) else queryset.none()
    if scope.read_only:
        return queryset.none()
    path = scope.kept_by_county or scope.county
    if path is None or not is_coordinator(user):
        return queryset.none()
    own = _own(path, user)
    if scope.kept_by_creator:
        own |= Q(**{f"{path}__isnull": True, scope.kept_by_creator: user.pk})
    return queryset.filter(own)


def _one(obj: Model) -> QuerySet:
    return type(obj)._default_manager.filter(pk=obj.pk)


def can_view(user, obj: Model) -> bool:
    return visible(_one(obj), user).exists()


def can_edit(user, obj: Model, *, mind_lock: bool = True) -> bool:
    return editable(_one(obj), user, mind_lock=mind_lock).exists()


def may_read_history(user, row: QuerySet, versions: QuerySet) -> bool:
    """May ``user`` read the audit trail of one row? ``row`` is the row as it stands (once
    deleted, its last version), ``versions`` the row's versions.

    Whoever reads the row reads the versions of it they may see (``visible``). Another county's
    row — one moved there from the user's own county too — answers like a row that does not
    exist, whatever versions of it were the user's once. A county report's content is also read
    as last submitted: the ministry reads a returned report's observations from the versions
    written while the report was with it.
    """
    if visible(row, user).exists():
        return True
    scope = scope_of(row.model)
    if scope is None or scope.report is None or not is_reviewer(user):
        return False
    return visible(versions, user).exists()


def choosable(queryset: QuerySet, user) -> QuerySet:
    """The rows a user may pick in a form (a foreign key or many-to-many choice)."""
    scope = scope_of(queryset.model)
    if is_administrator(user):
        return queryset
    if scope is not None and scope.county_itself:
        return queryset.filter(pk__in=coordinated_county_ids(user))
    if scope is None or scope.county is None:
        return visible(queryset, user)
    return editable(queryset, user)


def county_id_of(obj: Model) -> int | None:
    """The county an object belongs to, walking its county path (None for shared data)."""
    scope = scope_of(type(obj))
    if scope is None:
        return None
    path = scope.kept_by_county or scope.county
    if path is None:
        return None
    *parents, last = path.split("__")
    step: object = obj
    for part in parents:
        step = getattr(step, part, None)
        if step is None:
            return None
    return getattr(step, f"{last}_id", None)


def can_save(user, obj: Model) -> bool:
    """May ``user`` write ``obj`` as it now stands? Checked again on save, so forged posts fail."""
    scope = scope_of(type(obj))
    if scope is not None and scope.report is not None and scope.report.locked(obj):
        return False
    if is_administrator(user):
        return True
    if scope is None or scope.shared and not (scope.kept_by_county or scope.written_by_reviewers):
        return False
    if scope.written_by_reviewers:
        return is_reviewer(user)
    county_id = county_id_of(obj)
    if scope.kept_by_county and county_id is None:
        if not is_coordinator(user):
            return False
        if obj.pk is None:
            return True  # a new one, of no county
        return bool(scope.kept_by_creator) and editable(_one(obj), user).exists()
    return county_id in coordinated_county_ids(user)


# --- questions the pages ask -------------------------------------------------------------------


def _report_rule(report) -> ReportRule:
    scope = scope_of(type(report))
    if scope is None or scope.report is None:
        raise TypeError(f"{type(report).__name__} is not a county report")
    return scope.report


def may_show_report(user, report) -> bool:
    """May the report's content (observations, summary) be shown to ``user``: never a draft's
    to anyone but its own county's coordinators."""
    if report is None or not can_view(user, report):
        return False
    return is_coordinator_of(user, report.county_id) or _report_rule(report).content_shown(report)


def reads_as_submitted(user, report) -> bool:
    """Is ``report`` shown to ``user`` as last submitted — a returned report, to someone who
    does not write it (its county's coordinators and administrators read it as it stands)?"""
    return (
        report is not None
        and not (is_administrator(user) or is_coordinator_of(user, report.county_id))
        and _report_rule(report).read_as_submitted(report)
    )


def may_export_national(user) -> bool:
    """The national workbook is the ministry's: reviewers and administrators."""
    return reads_every_county(user)


def may_export_county_presentation(user, county_id: int) -> bool:
    """A county's presentation of the yearly report (Word): the ministry's, and the county's
    own coordinators' for their county (it shows no draft's content to anyone)."""
    return reads_every_county(user) or is_coordinator_of(user, county_id)


def may_read_contacts(user) -> bool:
    """Every county's coordinators, by name and address (the board): the ministry's, who
    review every county and write to them — reviewers and administrators."""
    return reads_every_county(user)


def may_import(user, county_id: int) -> bool:
    """Administrators import projects anywhere; a coordinator into their own counties."""
    return is_administrator(user) or is_coordinator_of(user, county_id)


def importable(counties: QuerySet, user) -> QuerySet:
    """Of ``counties``, those ``user`` may import into (none for reviewers and the role-less)."""
    if not (is_administrator(user) or is_coordinator(user)):
        return counties.none()
    return choosable(counties, user)


def visible_or_404(queryset: QuerySet, user, **lookups):
    """The one row matching ``lookups`` that ``user`` reads; another county's (or a draft the
    user may not read) answers exactly as a row that does not exist."""
    from django.http import Http404

    found = visible(queryset, user).filter(**lookups).first()
    if found is None:
        raise Http404
    return found


def deletion_refusal(model, pks) -> str | None:
    """Why the rows ``pks`` of ``model`` may not be deleted by anyone (a rule of the data,
    not a permission): a locked report, or evidence a locked report cites. None when they may.
    Asked before a delete is offered or confirmed; the models refuse it again on delete."""
    queryset = model._base_manager.filter(pk__in=pks)
    scope = scope_of(model)
    if scope is not None and scope.report is not None:
        return scope.report.deletion_refusal(queryset)
    for rule in _DELETION_RULES.get(_label(model), ()):
        refusal = rule(queryset)
        if refusal:
            return refusal
    return None
