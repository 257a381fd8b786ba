"""The import's bulk writes store what simple-history's bulk functions would, audit included."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from agreements.imports.bulk import create_with_history, update_with_history
from agreements.models import FinancingLine, Organisation, Project
from tests import builders

pytestmark = pytest.mark.django_db

REASON = "Import från Excel"
# Keys and timestamps differ between two writes of the same rows; everything else must not.
VARYING = {"id", "history_id", "history_date", "created_at", "updated_at", "project_id"}


@pytest.fixture
def measure():
    agreement = builders.agreement(county_code="04")
    return builders.measure(area=builders.priority_area(agreement_obj=agreement))


def new_projects(measure, owner, prefix):
    return [
        Project(
            county=measure.priority_area.agreement.county,
            agreement=measure.priority_area.agreement,
            measure=measure,
            owner=owner,
            reference_number=f"{prefix}-{n}",
            title=f"Projekt {n}",
            start_date=datetime.date(2001, 1, n + 1),
            status=Project.Status.GRANTED,
        )
        for n in range(3)
    ]


def new_lines(projects):
    return [
        FinancingLine(project=p, source=builders.source(), year=2001, amount=Decimal(f"{n}.50"))
        for n, p in enumerate(projects)
    ]


def written(model, objs):
    pks = [obj.pk for obj in objs]
    rows = model.objects.filter(pk__in=pks).order_by("pk").values()
    history = model.history.filter(id__in=pks).order_by("id", "history_id").values()
    return [
        [{k: v for k, v in row.items() if k not in VARYING} for row in rows],
        [{k: v for k, v in row.items() if k not in VARYING} for row in history],
    ]


def write_both_ways(measure, user, *, ours: bool):
    """A new organisation owning new projects with a line each, then every title changed."""
    now = timezone.now()
    options = {"user": user, "reason": REASON, "date": now, "batch_size": 2}
    owner = Organisation(name=f"Ny ägare {ours}", kind=builders.kind())
    projects = new_projects(measure, owner, "ours" if ours else "theirs")
    lines = new_lines(projects)
    if ours:
        for model, objs in ((Organisation, [owner]), (Project, projects), (FinancingLine, lines)):
            create_with_history(objs, model, **options)
    else:
        for model, objs in ((Organisation, [owner]), (Project, projects), (FinancingLine, lines)):
            bulk_create_with_history(
                objs, model, batch_size=2, default_user=user, default_change_reason=REASON
            )
    for project in projects:
        project.title += " (ändrad)"
        project.version += 1
    if ours:
        update_with_history(projects, Project, ["title", "version"], **options)
    else:
        bulk_update_with_history(
            projects, Project, ["title", "version"], default_user=user, default_change_reason=REASON
        )
    return now, owner, projects, lines


def test_rows_and_audit_records_are_those_of_simple_history(measure, coordinator_04):
    now, owner, projects, lines = write_both_ways(measure, coordinator_04, ours=True)
    _then, their_owner, their_projects, their_lines = write_both_ways(
        measure, coordinator_04, ours=False
    )

    assert all(obj.pk and not obj._state.adding for obj in [owner, *projects, *lines])
    assert [p.owner_id for p in projects] == [owner.pk] * 3
    assert [line.project_id for line in lines] == [p.pk for p in projects]
    ours = written(Project, projects) + written(FinancingLine, lines)
    theirs = written(Project, their_projects) + written(FinancingLine, their_lines)
    for mine, simple_history in zip(ours, theirs, strict=True):
        for row in mine + simple_history:
            row.pop("reference_number", None)
            row.pop("owner_id", None)
        assert mine == simple_history
    assert [h["history_type"] for h in written(Project, projects)[1]] == ["+", "~"] * 3
    history = Project.history.filter(id__in=[p.pk for p in projects])
    assert set(history.values_list("history_date", "history_user", "history_change_reason")) == {
        (now, coordinator_04.pk, REASON)
    }
    # A new row's timestamps are the import's, as its audit record's.
    assert Project.objects.get(pk=projects[0].pk).created_at == now


def test_an_object_with_its_own_change_reason_goes_through_simple_history(measure, coordinator_04):
    projects = new_projects(measure, builders.organisation(), "own")
    projects[1]._change_reason = "Egen anledning"
    with transaction.atomic():
        create_with_history(
            projects,
            Project,
            user=coordinator_04,
            reason=REASON,
            date=timezone.now(),
            batch_size=500,
        )
    reasons = Project.history.filter(id__in=[p.pk for p in projects]).values_list(
        "history_change_reason", flat=True
    )
    assert sorted(reasons) == ["Egen anledning", REASON, REASON]


def test_a_related_object_never_saved_is_refused(measure, coordinator_04):
    unsaved = Organisation(name="Aldrig sparad", kind=builders.kind())
    projects = new_projects(measure, unsaved, "unsaved")
    with pytest.raises(ValueError, match="unsaved related object 'owner'"):
        create_with_history(
            projects, Project, user=coordinator_04, reason=REASON, date=timezone.now(), batch_size=2
        )
    assert not Project.objects.filter(reference_number__startswith="unsaved").exists()
