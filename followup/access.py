"""The one door for access: who is who, and which rows a user may see or change.

Roles are groups (followup.roles.Role); a coordinator's counties are User.counties. Every admin,
view, export and import asks this module, never the groups directly:

- ``visible(queryset, user)`` — rows the user may read,
- ``editable(queryset, user)`` — rows the user may change or delete,
- ``county_path(model)`` — the lookup from a model to its county (None for shared data).

Coordinators read and write their own counties' register and reports. Ministry reviewers read
every county's register and every report that has been submitted — never a draft's content,
nor what a county writes in a report returned to it (they read that report as it was last
submitted: ``followup.selectors.submitted``); they change reports only through the workflow
services. Administrators see everything. Organisations and reference data are shared reading
for every role. Nobody changes a locked report (``followup.models.locking``).
"""

from django.db.models import Model, Q, QuerySet

from followup.models.locking import (
    evidence_deletion_refusal,
    lock_reason,
    locked_reports,
    report_write_refusal,
    writable_q,
)
from followup.models.statuses import WITH_THE_MINISTRY, ReportStatus
from followup.roles import Role

# Model label → lookup path to its County. A county-scoped model missing here is a bug: the
# access-matrix test walks every registered model and fails for one that is not listed.
COUNTY_PATHS: dict[str, str] = {
    "agreements.agreement": "county",
    "agreements.priorityarea": "agreement__county",
    "agreements.measure": "agreement__county",
    "agreements.financialframe": "agreement__county",
    "agreements.partnership": "county",
    "agreements.partnershipmember": "partnership__county",
    "agreements.project": "county",
    "agreements.financingline": "project__county",
    "agreements.cluster": "county",
    "agreements.clusteractor": "cluster__county",
    "agreements.clusterlink": "cluster__county",
    "followup.countyreport": "county",
    "followup.observation": "report__county",
    "followup.reviewevent": "report__county",
}
# Models whose rows belong to a county report: reviewers never see a draft's content, and
# nobody changes them while the report is locked (followup.models.locking).
REPORT_PATHS: dict[str, str] = {
    "followup.countyreport": "",
    "followup.observation": "report__",
    "followup.reviewevent": "report__",
}
# A version in a report's audit trail is the county's own unless it was written while the
# report was with the ministry: the field of the historical row that says so.
HISTORY_STATUS_FIELDS: dict[str, str] = {
    "followup.countyreport": "status",
    "followup.observation": "report_status",
}
# Shared data everyone with a role may read: reference data, organisations, rounds, themes.
SHARED_MODELS = {
    "agreements.county",
    "agreements.municipality",
    "agreements.organisationkind",
    "agreements.financingsource",
    "agreements.organisation",
    "followup.theme",
    "followup.followupround",
    "followup.nationalconclusion",
}


def _label(model) -> str:
    model = getattr(model, "instance_type", model)  # a historical model → the model it records
    return model._meta.label_lower


def _is_history(model) -> bool:
    return hasattr(model, "instance_type")


def county_path(model) -> str | None:
    return COUNTY_PATHS.get(_label(model))


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


# --- rows ------------------------------------------------------------------------------------


def _own_counties(queryset: QuerySet, user, path: str) -> QuerySet:
    return queryset.filter(**{f"{path}__in": coordinated_county_ids(user)})


def visible(queryset: QuerySet, user) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may read."""
    label = _label(queryset.model)
    if is_administrator(user):
        return queryset
    if not has_role(user):
        return queryset.none()
    path = COUNTY_PATHS.get(label)
    if path is None:
        return queryset if label in SHARED_MODELS else queryset.none()
    condition = Q()
    if is_coordinator(user):
        condition |= Q(**{f"{path}__in": coordinated_county_ids(user)})
    if is_reviewer(user):
        if _is_history(queryset.model) and label in HISTORY_STATUS_FIELDS:
            # Versions from each submission on; a draft's wording stays the county's.
            condition |= Q(**{f"{HISTORY_STATUS_FIELDS[label]}__in": WITH_THE_MINISTRY})
        elif label == "followup.observation":
            # A returned report's observations are the county's work again until it submits
            # them; the ministry reads them as submitted (followup.selectors.submitted).
            condition |= Q(report__status__in=WITH_THE_MINISTRY)
        elif label in REPORT_PATHS:
            condition |= ~Q(**{f"{REPORT_PATHS[label]}status": ReportStatus.DRAFT})
        else:
            condition |= Q(pk__isnull=False)
    if not condition:
        return queryset.none()
    return queryset.filter(condition)


def editable(queryset: QuerySet, user, *, mind_lock: bool = True) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may change or delete. A locked report and its
    rows are changed by nobody, administrators included (they reopen it instead);
    ``mind_lock=False`` answers as if nothing were locked (to say why a change is refused)."""
    label = _label(queryset.model)
    if label in REPORT_PATHS and mind_lock:
        queryset = queryset.filter(writable_q(REPORT_PATHS[label]))
    if is_administrator(user):
        return queryset
    path = COUNTY_PATHS.get(label)
    if path is None:
        if label == "followup.nationalconclusion" and is_reviewer(user):
            return queryset
        if label == "agreements.organisation" and is_coordinator(user):
            # Organisations are shared reading; a coordinator keeps those of their counties.
            return _own_counties(queryset, user, "county")
        return queryset.none()
    if not is_coordinator(user):
        return queryset.none()
    return _own_counties(queryset, user, path)


def can_view(user, obj: Model) -> bool:
    return visible(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def can_edit(user, obj: Model, *, mind_lock: bool = True) -> bool:
    queryset = type(obj)._default_manager.filter(pk=obj.pk)
    return editable(queryset, user, mind_lock=mind_lock).exists()


def choosable(queryset: QuerySet, user) -> QuerySet:
    """The rows a user may pick in a form (a foreign key or many-to-many choice)."""
    label = _label(queryset.model)
    if is_administrator(user):
        return queryset
    if label == "agreements.county":
        return queryset.filter(pk__in=coordinated_county_ids(user))
    if COUNTY_PATHS.get(label) is None:
        return visible(queryset, user)
    return editable(queryset, user)


def county_id_of(obj: Model) -> int | None:
    """The county an object belongs to, walking its county path (None for shared data)."""
    path = county_path(type(obj))
    if path is None:
        return (
            getattr(obj, "county_id", None)
            if _label(type(obj)) == "agreements.organisation"
            else None
        )
    *parents, last = path.split("__")
    for part in parents:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def can_save(user, obj: Model) -> bool:
    """May ``user`` write ``obj`` as it now stands? Checked again on save, so forged posts fail."""
    label = _label(type(obj))
    if label in REPORT_PATHS and _report_locked(obj):
        return False
    if is_administrator(user):
        return True
    if label == "followup.nationalconclusion":
        return is_reviewer(user)
    if COUNTY_PATHS.get(label) is None and label != "agreements.organisation":
        return False
    county_id = county_id_of(obj)
    if label == "agreements.organisation" and county_id is None:
        return is_coordinator(user) and obj.pk is None
    return county_id in coordinated_county_ids(user)


def _report_locked(obj: Model) -> bool:
    """Is the report ``obj`` belongs to (or the report ``obj`` is) locked in the database?"""
    if _label(type(obj)) == "followup.countyreport":
        return report_write_refusal(obj) is not None
    report_id = getattr(obj, "report_id", None)
    if report_id is None:
        return False
    report_model = type(obj)._meta.get_field("report").related_model
    stored = report_model._base_manager.filter(pk=report_id).select_related("round").first()
    return stored is not None and not stored.is_writable


def deletion_refusal(model, pks) -> str | None:
    """Why the rows ``pks`` of ``model`` may not be deleted by anyone (a rule of the data,
    not a permission): a locked report, or evidence a locked report cites. None when they may.
    Asked before a delete is offered or confirmed; the models refuse it again on delete."""
    queryset = model._base_manager.filter(pk__in=pks)
    label = _label(model)
    if label in ("followup.countyreport", "followup.observation"):
        report_ids = (
            queryset.values_list("pk", flat=True)
            if label == "followup.countyreport"
            else queryset.values_list("report_id", flat=True)
        )
        locked = locked_reports(report_ids)
        return lock_reason(locked[0]) if locked else None
    return evidence_deletion_refusal(queryset)
