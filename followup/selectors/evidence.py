"""What a report's observations cite — projects, partnerships, clusters — and their names.

While the county writes the report the names come from the register. At submission they are
frozen with the key figures (``CountyReport.frozen_evidence``), so a report with the ministry
always shows what it cited, even after the register renamed a project or a cluster.
"""

from collections import defaultdict

from followup.models import CountyReport, Observation
from followup.models.statuses import WITH_THE_MINISTRY

# kind → (the observation's field, the cited model's fields that name it)
SOURCES = {
    "project": ("projects", ("reference_number", "title")),
    "partnership": ("partnerships", ("name",)),
    "cluster": ("clusters", ("name",)),
}


def _label(parts) -> str:
    return " ".join(str(part) for part in parts if part)


def evidence_labels(*, report_id: int) -> dict[str, list[list]]:
    """Observation id (a string, as JSON keys are) → ``[[kind, id, name], …]``, projects first,
    each kind by name (three queries)."""
    cited: dict[str, list[list]] = defaultdict(list)
    for kind, (field, names) in SOURCES.items():
        through = getattr(Observation, field).through
        rows = (
            through.objects.filter(observation__report_id=report_id)
            .order_by("observation_id", *(f"{kind}__{name}" for name in names), f"{kind}_id")
            .values_list("observation_id", f"{kind}_id", *(f"{kind}__{name}" for name in names))
        )
        for observation_id, object_id, *parts in rows:
            cited[str(observation_id)].append([kind, object_id, _label(parts)])
    return dict(cited)


def shows_frozen_evidence(report: CountyReport) -> bool:
    return report.status in WITH_THE_MINISTRY and report.frozen_evidence is not None


def report_evidence(*, report: CountyReport) -> dict[int, list[dict]]:
    """Observation id → what it cites, ``{"kind", "id", "name"}``: as frozen at submission
    while the report is with the ministry, else as the register names it now."""
    if shows_frozen_evidence(report):
        return frozen_evidence(report)
    return _as_dicts(evidence_labels(report_id=report.pk))


def frozen_evidence(report: CountyReport) -> dict[int, list[dict]]:
    """What the report cited when it was last submitted (nothing if it never was)."""
    return _as_dicts(report.frozen_evidence or {})


def _as_dicts(cited: dict) -> dict[int, list[dict]]:
    return {
        int(observation_id): [{"kind": k, "id": pk, "name": name} for k, pk, name in items]
        for observation_id, items in cited.items()
    }
