"""Key figures of a county in a follow-up round, aggregated in SQL.

The same figures are frozen into a report when it is submitted, shown on the review pages and
written to the workbooks, so they are computed in one place.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from agreements.models import (
    Agreement,
    FinancialFrame,
    FinancingLine,
    FinancingSource,
    FinancingTotal,
    PriorityArea,
    Project,
)

ZERO = Decimal("0")
CATEGORIES = FinancingSource.Category.values
KINDS = FinancingLine.Kind.values


def agreement_for_year(*, county_id: int, year: int) -> Agreement | None:
    """The county's agreement in force in the year (the growth agreement before a programme)."""
    return (
        Agreement.objects.filter(county_id=county_id, start_year__lte=year, end_year__gte=year)
        .order_by("kind", "start_year")
        .select_related("lead_body")
        .first()
    )


def county_key_figures(*, county_id: int, year: int) -> dict:
    """Projects and financing of the county's agreement, up to and including ``year``.

    Returns plain JSON-ready data: amounts are strings of Decimal kronor.
    """
    agreement = agreement_for_year(county_id=county_id, year=year)
    if agreement is None:
        return empty_key_figures(year=year)
    return key_figures_by_county(year=year, agreements={county_id: agreement})[county_id]


def empty_key_figures(*, year: int) -> dict:
    zero = {c: dict.fromkeys(KINDS, str(ZERO)) for c in CATEGORIES}
    return {
        "agreement_id": None,
        "year": year,
        "projects": {"total": 0, "by_status": {}},
        "by_category": zero,
        "by_priority_area": [],
    }


def key_figures_by_county(*, year: int, agreements: dict[int, Agreement]) -> dict[int, dict]:
    """County id → the figures ``county_key_figures`` returns, in five queries for all.

    Financing comes from the totals the database keeps (``FinancingTotal``), so the time does
    not grow with the number of financing lines.
    """
    by_agreement = {agreement.pk: county_id for county_id, agreement in agreements.items()}
    ids = list(by_agreement)

    status_counts: dict[int, dict] = defaultdict(dict)
    for agreement_id, status, n in (
        Project.objects.filter(agreement_id__in=ids)
        .order_by()
        .values_list("agreement_id", "status")
        .annotate(n=Count("pk"))
    ):
        status_counts[agreement_id][status] = n

    by_category = category_sums(agreement_ids=ids, year=year)

    totals = FinancingTotal.objects.filter(agreement_id__in=ids, year__lte=year).order_by()
    area_amounts: dict[int, dict] = defaultdict(dict)
    for area_id, kind, amount in totals.values_list("measure__priority_area", "kind").annotate(
        total=Sum("amount")
    ):
        area_amounts[area_id][kind] = amount or ZERO
    frames = dict(
        FinancialFrame.objects.filter(agreement_id__in=ids, year__lte=year)
        .order_by()
        .values_list("priority_area")
        .annotate(total=Sum("amount"))
    )
    areas: dict[int, list] = defaultdict(list)
    for area in PriorityArea.objects.filter(agreement_id__in=ids).order_by("agreement", "number"):
        areas[area.agreement_id].append(
            {
                "id": area.pk,
                "number": area.number,
                "name": area.name,
                "frame": frames.get(area.pk, ZERO),
                **{k: area_amounts[area.pk].get(k, ZERO) for k in KINDS},
            }
        )

    figures = {}
    for agreement_id, county_id in by_agreement.items():
        by_status = status_counts.get(agreement_id, {})
        figures[county_id] = {
            "agreement_id": agreement_id,
            "year": year,
            "projects": {"total": sum(by_status.values()), "by_status": by_status},
            "by_category": _stringify(by_category[agreement_id]),
            "by_priority_area": _stringify(areas[agreement_id]),
        }
    return figures


def category_sums(*, agreement_ids: list[int], year: int) -> dict[int, dict]:
    """Agreement id → source category → kind → Decimal kronor up to ``year`` (one query)."""
    sums = {
        agreement_id: {c: dict.fromkeys(KINDS, ZERO) for c in CATEGORIES}
        for agreement_id in agreement_ids
    }
    for agreement_id, category, kind, amount in (
        FinancingTotal.objects.filter(agreement_id__in=agreement_ids, year__lte=year)
        .order_by()
        .values_list("agreement_id", "source__category", "kind")
        .annotate(total=Sum("amount"))
    ):
        sums[agreement_id][category][kind] = amount or ZERO
    return sums


def _stringify(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _stringify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify(v) for v in value]
    return value


@dataclass(frozen=True)
class FigureChange:
    """One key figure whose submitted value differs from the register's now."""

    label: str
    submitted: Decimal | int | None  # None: not in the submitted figures (added since)
    now: Decimal | int | None  # None: no longer in the register
    money: bool = True


def figure_changes(*, submitted: dict, now: dict) -> list[FigureChange]:
    """What a reviewer should know before approving: each key figure that the register gives
    differently now than when the report was submitted (projects, financing by source category
    decided and outcome, frame/decided/outcome per priority area). Empty when nothing moved.

    Priority areas are matched by id (their number and name may have changed; the submitted
    name labels the row); figures missing on one side (a category added since, an area removed)
    count as zero or absent."""
    changes = []
    before, after = submitted["projects"]["total"], now["projects"]["total"]
    if before != after:
        changes.append(FigureChange(_("Antal projekt"), before, after, money=False))
    kind_words: dict[str, str] = {
        FinancingLine.Kind.DECIDED: _("beslutat"),
        FinancingLine.Kind.OUTCOME: _("utfall"),
    }
    for category, category_label in FinancingSource.Category.choices:
        for kind in KINDS:
            old = _amount(submitted["by_category"].get(category, {}).get(kind))
            new = _amount(now["by_category"].get(category, {}).get(kind))
            if old != new:
                label = f"{category_label}, {kind_words[kind]}"
                changes.append(FigureChange(label, old, new))
    areas_before = {_area_key(a): a for a in submitted["by_priority_area"]}
    areas_after = {_area_key(a): a for a in now["by_priority_area"]}
    keys = sorted(
        areas_before.keys() | areas_after.keys(),
        key=lambda k: _area_order(k, areas_before, areas_after),
    )
    for key in keys:
        old_area, new_area = areas_before.get(key), areas_after.get(key)
        shown = old_area if old_area is not None else areas_after[key]  # named as submitted
        for field, word in (
            ("frame", _("ram")),
            (FinancingLine.Kind.DECIDED, _("beslutat")),
            (FinancingLine.Kind.OUTCOME, _("utfall")),
        ):
            was = _amount(old_area.get(field)) if old_area else None
            is_now = _amount(new_area.get(field)) if new_area else None
            if was != is_now:
                label = _("Insatsområde %(number)s. %(name)s, %(what)s") % {
                    "number": shown["number"],
                    "name": shown["name"],
                    "what": word,
                }
                changes.append(FigureChange(label, was, is_now))
    return changes


def _amount(value) -> Decimal:
    return Decimal(value) if value is not None else ZERO


def _area_key(area: dict):
    return area.get("id") or ("number", area["number"])


def _area_order(key, before: dict, after: dict):
    area = before.get(key) or after[key]
    return (area["number"], str(key))
