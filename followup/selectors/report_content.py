"""A county report's content as the API gives it: observations with their evidence, and the
summary — to those who may read them, as they may read them.

The rules are the site's county page's: a draft's content is its county's own
(``access.may_show_report``); a returned report is read by the ministry as last submitted
(``access.reads_as_submitted``: the versions its last submission wrote, ``submitted``); a
report with the ministry cites what it cited at submission (``evidence``). Themes are named by
their codes; each function runs a fixed number of queries.
"""

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from core import access
from followup.models import CountyReport, Observation, Theme
from followup.selectors.evidence import SOURCES, frozen_evidence, shows_frozen_evidence
from followup.selectors.submitted import submitted_summary, submitted_versions

THEME_ORDER = ("theme__sort_order", "theme__name")
FIELDS = ("assessment", "not_assessed_reason", "kind", "text", "theme_id", "report_id")


def _live_evidence(observation_ids: list[int]) -> dict[int, list[dict]]:
    """Observation id → what it cites in the register now (three queries)."""
    cited: dict[int, list[dict]] = defaultdict(list)
    for kind, (field, names) in SOURCES.items():
        through = getattr(Observation, field).through
        rows = (
            through.objects.filter(observation_id__in=observation_ids)
            .order_by("observation_id", *(f"{kind}__{name}" for name in names), f"{kind}_id")
            .values_list("observation_id", f"{kind}_id", *(f"{kind}__{name}" for name in names))
        )
        for observation_id, object_id, *parts in rows:
            name = " ".join(str(part) for part in parts if part)
            cited[observation_id].append({"kind": kind, "id": object_id, "name": name})
    return cited


def _theme_codes() -> dict[int, str]:
    return dict(Theme.objects.values_list("pk", "code"))


def _row(values: dict, *, pk: int, report: CountyReport, themes: dict, evidence: list) -> dict:
    return {
        "id": pk,
        "report": report.pk,
        "round": report.round.year,
        "county": report.county.code,
        "theme": themes.get(values["theme_id"], ""),
        "assessment": values["assessment"],
        "not_assessed_reason": values["not_assessed_reason"],
        "kind": values["kind"],
        "text": values["text"],
        "evidence": evidence,
    }


def observation_rows(observations: list[Observation]) -> list[dict]:
    """Rows of observations already scoped by ``access.visible`` (a page of the API's list,
    with their reports, rounds and counties selected): as they stand, each citing what its
    report cited at submission while the report is with the ministry, else the register's
    rows now (at most four queries)."""
    live = [o.pk for o in observations if not shows_frozen_evidence(o.report)]
    evidence = _live_evidence(live) if live else {}
    themes = _theme_codes()
    frozen: dict[int, dict[int, list[dict]]] = {}
    rows = []
    for observation in observations:
        report = observation.report
        if shows_frozen_evidence(report):
            if report.pk not in frozen:
                frozen[report.pk] = frozen_evidence(report)
            cited = frozen[report.pk].get(observation.pk, [])
        else:
            cited = evidence.get(observation.pk, [])
        values = {field: getattr(observation, field) for field in FIELDS}
        rows.append(_row(values, pk=observation.pk, report=report, themes=themes, evidence=cited))
    return rows


def report_content(*, report: CountyReport, user) -> dict[str, Any] | None:
    """The report's summary and observations for ``user``; None when its content is not
    shown to them (another county's draft). A returned report is given as last submitted to
    everyone but its county's coordinators and administrators."""
    if not access.may_show_report(user, report):
        return None
    as_submitted = access.reads_as_submitted(user, report)
    themes = _theme_codes()
    versions: QuerySet
    if as_submitted:
        versions = submitted_versions(report_ids=[report.pk]).order_by(*THEME_ORDER, "id")
        rows = [(values.pop("id"), values) for values in versions.values("id", *FIELDS)]
        cited = frozen_evidence(report)
        summary = submitted_summary(report)
    else:
        observations = Observation.objects.filter(report=report).order_by(*THEME_ORDER, "pk")
        rows = [(values.pop("pk"), values) for values in observations.values("pk", *FIELDS)]
        if shows_frozen_evidence(report):
            cited = frozen_evidence(report)
        else:
            cited = _live_evidence([pk for pk, _values in rows])
        summary = report.summary
    return {
        "as_submitted": as_submitted,
        "summary": summary,
        "observations": [
            _row(values, pk=pk, report=report, themes=themes, evidence=cited.get(pk, []))
            for pk, values in rows
        ],
    }
