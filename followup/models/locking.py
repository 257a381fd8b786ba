"""The report lock: from submission on, what the county sent is what the ministry reads.

A county report — its summary, its observations and their evidence — may be written only while
it is a draft or returned *and* its round is open. A submitted or approved report, and every
report of a planned or closed round, is locked for everyone, administrators included: returning
or reopening it (the workflow services) is the way back. The lock is read from the database,
never from the copy in hand, so a stale copy cannot slip past it.

Every path that writes meets it here:

- ``save()``, ``delete()`` and ``clean()`` of reports and observations;
- their querysets' ``update()``, ``delete()``, ``bulk_create()`` and ``bulk_update()``;
- the evidence links: many-to-many add, remove, clear and set, from either side;
- deleting a project, partnership or cluster that a locked report cites (its evidence).

Only the workflow services change a report's status (``ReportQuerySet.transition``), and a raw
load (restoring a backup, building the demo data) writes the past as it was
(``core.raw_load``). The refusals are ``WriteRefused``: the admin, the site and the
commands show their message instead of failing.
"""

from collections.abc import Iterable

from django.apps import apps
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext as _

from core.raw_load import loading_raw
from core.refusals import WriteRefused
from followup.models.statuses import WRITABLE_STATUSES, ReportStatus, RoundStatus


class ReportLockedError(WriteRefused):
    """A locked report, one of its observations or evidence links was about to change."""


class EvidenceLockedError(WriteRefused):
    """A project, partnership or cluster cited by a locked report was about to be deleted."""


def writable_q(prefix: str) -> Q:
    """Reports that may be written now; ``prefix`` reaches them from another model
    (``"report__"`` from an observation)."""
    return Q(
        **{
            f"{prefix}status__in": WRITABLE_STATUSES,
            f"{prefix}round__status": RoundStatus.OPEN,
        }
    )


def _report_model():
    return apps.get_model("followup", "CountyReport")


def lock_reason(report) -> str | None:
    """Why ``report`` (as it stands in the database, with its round) is locked; None if not."""
    round_obj = report.round
    if round_obj.status == RoundStatus.CLOSED:
        return _("Omgången %(round)s är avslutad, och alla dess rapporter är låsta.") % {
            "round": round_obj
        }
    if round_obj.status == RoundStatus.PLANNED:
        return _(
            "Omgången %(round)s är inte öppen ännu. Rapporterna kan skrivas när den har öppnats."
        ) % {"round": round_obj}
    if report.status == ReportStatus.SUBMITTED:
        return _(
            "Rapporten %(report)s är inskickad och ligger hos departementet för granskning. "
            "Den kan ändras igen först när en handläggare har returnerat den."
        ) % {"report": report}
    if report.status == ReportStatus.APPROVED:
        return _(
            "Rapporten %(report)s är godkänd och därmed låst. En administratör kan öppna den "
            "igen om något måste ändras."
        ) % {"report": report}
    return None


def held(queryset):
    """``queryset`` with its report rows locked until the transaction ends (PostgreSQL), so a
    workflow step on them waits for this write, or this write for the step: a report cannot
    be submitted between the check and the write it allows. SQLite's write transaction
    already holds the whole database; outside a transaction there is nothing to hold."""
    if connection.in_atomic_block and connection.features.has_select_for_update:
        return queryset.select_for_update(of=("self",))
    return queryset


def locked_reports(report_ids: Iterable[int]) -> list:
    """The locked reports among ``report_ids``, read from the database — all of them held
    until the transaction ends (one query)."""
    ids = {pk for pk in report_ids if pk is not None}
    if not ids:
        return []
    reports = held(
        _report_model()._base_manager.filter(pk__in=ids).select_related("county", "round")
    )
    return [report for report in reports.order_by("pk") if lock_reason(report)]


def refuse_locked(report_ids: Iterable[int]) -> None:
    """Raise ReportLockedError if any of ``report_ids`` is locked (not during a raw load)."""
    if loading_raw():
        return
    locked = locked_reports(report_ids)
    if locked:
        raise ReportLockedError(lock_reason(locked[0]))


def report_write_refusal(report) -> str | None:
    """Why ``report`` may not be saved as it stands in hand (None when it may).

    A new report is a draft in an open round. An existing one must be writable as it stands in
    the database, and keeps its status (the workflow's), its round and its county.
    """
    if loading_raw():
        return None
    if report._state.adding:
        if report.status != ReportStatus.DRAFT:
            return _("En ny rapport är ett utkast. Den skickas in genom granskningsstegen.")
        round_model = apps.get_model("followup", "FollowUpRound")
        round_obj = round_model._base_manager.filter(pk=report.round_id).first()
        if round_obj is None:
            return None  # the form (or the database) says the round is missing
        return lock_reason(_Unsaved(round_obj))
    stored = (
        _report_model()._base_manager.filter(pk=report.pk).select_related("county", "round").first()
    )
    if stored is None:
        return None
    reason = lock_reason(stored)
    if reason:
        return reason
    if stored.version != report.version:
        return None  # a stale copy: the save's version check refuses it as such
    if stored.status != report.status:
        return _("Rapportens status ändras bara genom granskningsstegen.")
    if (stored.round_id, stored.county_id) != (report.round_id, report.county_id):
        return _("En rapport byter inte omgång eller län.")
    return None


def refuse_report_write(report) -> None:
    reason = report_write_refusal(report)
    if reason:
        raise ReportLockedError(reason)


def refuse_new_report(report) -> None:
    """A report about to be inserted: a draft in an open round."""
    report._state.adding = True
    refuse_report_write(report)


class _Unsaved:
    """A report not yet saved, as ``lock_reason`` reads one: only its round counts."""

    status = ReportStatus.DRAFT

    def __init__(self, round_obj):
        self.round = round_obj


# --- querysets ----------------------------------------------------------------------------


class ReportQuerySet(models.QuerySet):
    """County reports: updates, deletes and bulk writes refuse locked reports.

    A report's status changes only through the workflow services, which take their step with
    ``transition()`` (a conditional UPDATE); ``update()`` never changes a status.
    """

    def update(self, **kwargs):
        if not loading_raw():
            if "status" in kwargs:
                raise ReportLockedError(_("Rapportens status ändras bara genom granskningsstegen."))
            if {"round", "round_id", "county", "county_id"} & kwargs.keys():
                raise ReportLockedError(_("En rapport byter inte omgång eller län."))
        refuse_locked(self.values_list("pk", flat=True))
        return super().update(**kwargs)

    def transition(self, **kwargs):
        """The conditional UPDATE of one workflow step (``followup.services.reports`` only)."""
        return super().update(**kwargs)

    def delete(self):
        refuse_locked(self.values_list("pk", flat=True))
        return super().delete()

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        if "status" in fields and not loading_raw():
            raise ReportLockedError(_("Rapportens status ändras bara genom granskningsstegen."))
        refuse_locked(obj.pk for obj in objs)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, **options):
        objs = list(objs)
        for obj in objs:
            refuse_new_report(obj)
        return super().bulk_create(objs, **options)


class ObservationQuerySet(models.QuerySet):
    """Observations: updates, deletes and bulk writes refuse those of locked reports (and a
    move into a locked report)."""

    def _refuse(self, *, into=None):
        if loading_raw():
            return
        report_ids = set(self.values_list("report_id", flat=True))
        if into is not None:
            report_ids.add(getattr(into, "pk", into))
        refuse_locked(report_ids)

    def update(self, **kwargs):
        self._refuse(into=kwargs.get("report", kwargs.get("report_id")))
        return super().update(**kwargs)

    def delete(self):
        self._refuse()
        return super().delete()

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        stored = self.model._base_manager.filter(pk__in=[obj.pk for obj in objs])
        refuse_locked({*stored.values_list("report_id", flat=True), *(o.report_id for o in objs)})
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, **options):
        objs = list(objs)
        refuse_locked(obj.report_id for obj in objs)
        return super().bulk_create(objs, **options)


# --- evidence links and evidence ------------------------------------------------------------

# Model of the cited object → (the observation's field, the through model's key to it).
EVIDENCE_FIELDS = {
    "agreements.project": ("projects", "project"),
    "agreements.partnership": ("partnerships", "partnership"),
    "agreements.cluster": ("clusters", "cluster"),
}


def refuse_link_change(*, through, instance, action: str, reverse: bool, pk_set) -> None:
    """Evidence links of a locked report's observations stay as they are (either side)."""
    if loading_raw() or not action.startswith("pre_"):
        return
    observation_model = apps.get_model("followup", "Observation")
    if not reverse:
        stored = observation_model._base_manager.filter(pk=instance.pk)
        refuse_locked([*stored.values_list("report_id", flat=True), instance.report_id])
        return
    # The other side: ``instance`` is the project, partnership or cluster.
    if pk_set is None:  # clear(): every observation that cites it
        _field, key = EVIDENCE_FIELDS[instance._meta.label_lower]
        links = through._default_manager.filter(**{key: instance})
        refuse_locked(links.values_list("observation__report_id", flat=True))
    else:
        observations = observation_model._base_manager.filter(pk__in=pk_set)
        refuse_locked(observations.values_list("report_id", flat=True))


def evidence_deletion_refusal(queryset) -> str | None:
    """Why the projects, partnerships or clusters of ``queryset`` may not be deleted: a locked
    report cites one of them (named, with the report). None when nothing locked cites them.
    One query, however many rows."""
    fields = EVIDENCE_FIELDS.get(queryset.model._meta.label_lower)
    if fields is None:
        return None
    field, key = fields
    through = getattr(apps.get_model("followup", "Observation"), field).through
    # Hold every report that cites them, so none is submitted while they are being deleted.
    cited_by = through._default_manager.filter(**{f"{key}__in": queryset.values("pk")})
    list(held(_report_model()._base_manager.filter(pk__in=cited_by.values("observation__report"))))
    link = (
        through._default_manager.filter(**{f"{key}__in": queryset.values("pk")})
        .exclude(writable_q("observation__report__"))
        .select_related(key, "observation__report__county", "observation__report__round")
        .order_by("observation__report__round__year", "observation__report__county__code", key)
        .first()
    )
    if link is None:
        return None
    report = link.observation.report
    values = {
        "object": getattr(link, key),
        "county": report.county.display_name,
        "year": report.round.year,
        "state": _state_phrase(report),
    }
    if key == "project":
        message = _(
            "Projektet %(object)s är underlag i rapporten från %(county)s %(year)s, %(state)s."
        )
    elif key == "partnership":
        message = _(
            "Partnerskapet %(object)s är underlag i rapporten från %(county)s %(year)s, %(state)s."
        )
    else:
        message = _(
            "Klustret %(object)s är underlag i rapporten från %(county)s %(year)s, %(state)s."
        )
    return (
        message % values
        + " "
        + _("Det kan inte tas bort förrän rapporten har returnerats eller öppnats igen.")
    )


def _state_phrase(report) -> str:
    if report.round.status == RoundStatus.CLOSED:
        return _("vars omgång är avslutad")
    if report.round.status == RoundStatus.PLANNED:
        return _("vars omgång inte har öppnats")
    if report.status == ReportStatus.APPROVED:
        return _("som är godkänd")
    return _("som är inskickad")


def refuse_evidence_deletion(obj) -> None:
    if loading_raw() or obj.pk is None:
        return
    reason = evidence_deletion_refusal(type(obj)._base_manager.filter(pk=obj.pk))
    if reason:
        raise EvidenceLockedError(reason)
