"""``projects_import``: the one write path for Excel imports (admin, command, review site)."""

import os
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.imports import columns as cols
from agreements.imports import uploads
from agreements.imports.bulk import create_with_history, update_with_history
from agreements.imports.lookups import Lookups
from agreements.imports.plan import MODELS, Change, Plan, make_plan
from agreements.imports.problems import Problem
from agreements.imports.reader import FileRefused, read_workbook
from agreements.imports.validate import validate
from agreements.models import County
from agreements.models.versioning import StaleObjectError
from core import access
from core.conflicts import retry_on_conflict

BATCH_SIZE = 500
CHANGE_REASON = "Import från Excel"


class ImportRefused(Exception):
    """The user may not import into this county; the message is for the user, in Swedish."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PlanChanged(Exception):
    """The register changed between the preview and the confirmation."""


@dataclass
class ImportResult:
    county: County
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    digest: str = ""
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def has_changes(self) -> bool:
        return any(
            n for counts in self.counts.values() for a, n in counts.items() if a != "unchanged"
        )


def projects_import(
    *, county: County, user, file, dry_run: bool, expected_digest: str | None = None
) -> ImportResult:
    """Read, validate and (unless ``dry_run``) write a county's filled-in template.

    Nothing is written unless every row of the file is valid. The write is one transaction;
    every created or changed row gets an audit record by ``user``. Rows absent from the file
    are left alone: an import never deletes. With ``expected_digest`` (the preview's), a
    register that changed since the preview raises PlanChanged and nothing is written.

    ``file`` is a path or a binary file object. Raises ImportRefused when ``user`` may not
    import into ``county``.
    """
    if not access.may_import(user, county.pk):
        raise ImportRefused(
            _("Du får inte importera projekt till %(county)s.") % {"county": county.display_name}
        )
    result = ImportResult(county=county)
    try:
        with uploads.one_at_a_time(user):
            return _import(
                result,
                county=county,
                user=user,
                file=file,
                dry_run=dry_run,
                expected=expected_digest,
            )
    except uploads.Busy:
        result.problems.append(Problem(str(BUSY)))
        return result


SERVER_BUSY = gettext_lazy(
    "Servern läser in många filer just nu. Ingenting har sparats; försök igen om en minut."
)
BUSY = gettext_lazy(
    "Du har redan en import som läses in eller sparas. Vänta tills den är klar och försök "
    "sedan igen."
)


def _import(result, *, county, user, file, dry_run: bool, expected: str | None) -> ImportResult:
    try:
        with uploads.parse_slot():
            if isinstance(file, (str, os.PathLike)):
                with open(file, "rb") as handle:
                    workbook = read_workbook(handle)
            else:
                workbook = read_workbook(file)
    except FileRefused as refused:
        result.problems.append(Problem(refused.message))
        return result
    except uploads.ServerBusy:
        result.problems.append(Problem(str(SERVER_BUSY)))
        return result
    result.warnings = workbook.warnings
    if workbook.county_code != county.code:
        named = County.objects.filter(code=workbook.county_code).first()
        result.problems.append(
            Problem(
                _("Filen gäller %(file_county)s, men du importerar till %(county)s.")
                % {"file_county": named.display_name, "county": county.display_name}
                if named
                else _(
                    "Filen har länskoden ”%(code)s”, men du importerar till %(county)s (%(own)s)."
                )
                % {"code": workbook.county_code, "county": county.display_name, "own": county.code},
                sheet=cols.INSTRUCTIONS,
            )
        )
        return result

    return _plan_and_write(
        result, workbook, county=county, user=user, dry_run=dry_run, expected=expected
    )


@retry_on_conflict
@transaction.atomic
def _plan_and_write(result, workbook, *, county, user, dry_run: bool, expected: str | None):
    """Validate and plan against the register as it now stands, then write: one transaction,
    run again from the start if the database aborts it for a competing one."""
    lookups = Lookups(county, for_update=not dry_run)
    plan = make_plan(validate(workbook, lookups), lookups)
    result.problems = plan.problems
    result.counts, result.changes, result.digest = plan.counts, plan.changes, plan.digest
    if result.problems or dry_run or not plan.has_changes:
        return result
    if expected is not None and expected != plan.digest:
        raise PlanChanged
    refused = _refused_writes(plan, user)
    if refused:
        result.problems = refused
        return result
    try:
        _write(plan, user)
    except StaleObjectError:
        # Someone saved a row after the plan read it: the plan is out of date.
        raise PlanChanged from None
    result.written = True
    return result


def _refused_writes(plan: Plan, user) -> list[Problem]:
    """Ask the access door about every object to be written.

    The import writes only organisations, projects and financing lines; no county report
    locks any of them today (an approved report freezes its own key figures instead). Asking
    ``access.can_save`` for each object means a lock added there later applies here too.
    """
    problems = []
    for model in MODELS:
        objs = plan.creates[model] + [obj for obj, _fields in plan.updates[model]]
        for obj in objs:
            if not access.can_save(user, obj):
                problems.append(
                    Problem(
                        _("Du får inte ändra ”%(object)s”; ingenting har sparats.")
                        % {"object": obj}
                    )
                )
    return problems


def _write(plan: Plan, user) -> None:
    now = timezone.now()
    options = {"user": user, "reason": CHANGE_REASON, "date": now, "batch_size": BATCH_SIZE}
    for model in MODELS:
        create_with_history(plan.creates[model], model, **options)
        updates = plan.updates[model]
        if not updates:
            continue
        objs, names = [], set()
        for obj, changed in updates:
            obj.version += 1  # as a save would: an editor's stale copy is then refused
            if hasattr(obj, "updated_at"):
                obj.updated_at = now
            objs.append(obj)
            names.update(changed)
        fields = (
            sorted(names) + ["version"] + (["updated_at"] if hasattr(objs[0], "updated_at") else [])
        )
        update_with_history(objs, model, fields, **options)
