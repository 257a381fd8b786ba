"""Key figures of a county in a follow-up round, aggregated in SQL.

The same figures are frozen into a report when it is submitted, shown on the review pages and
written to the workbooks, so they are computed in one place.
"""

from decimal import Decimal

from django.db.models import Count, Sum

from agreements.models import Agreement, FinancialFrame, FinancingLine, FinancingSource, Project

ZERO = Decimal("0")


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
    categories = FinancingSource.Category.values
    kinds = FinancingLine.Kind.values
    empty_by_category = {c: dict.fromkeys(kinds, ZERO) for c in categories}
    if agreement is None:
        return {
            "agreement_id": None,
            "year": year,
            "projects": {"total": 0, "by_status": {}},
            "by_category": _stringify(empty_by_category),
            "by_priority_area": [],
        }

    projects = Project.objects.filter(agreement=agreement)
    by_status = dict(
        projects.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )

    lines = FinancingLine.objects.filter(project__agreement=agreement, year__lte=year).order_by()
    by_category = {c: dict.fromkeys(kinds, ZERO) for c in categories}
    for category, kind, amount in lines.values_list("source__category", "kind").annotate(
        total=Sum("amount")
    ):
        by_category[category][kind] = amount or ZERO

    area_amounts: dict[int, dict[str, Decimal]] = {}
    for area_id, kind, amount in lines.values_list(
        "project__measure__priority_area", "kind"
    ).annotate(total=Sum("amount")):
        area_amounts.setdefault(area_id, {})[kind] = amount or ZERO
    frames = dict(
        FinancialFrame.objects.filter(agreement=agreement, year__lte=year)
        .order_by()
        .values_list("priority_area")
        .annotate(total=Sum("amount"))
    )
    areas = [
        {
            "id": area.pk,
            "number": area.number,
            "name": area.name,
            "frame": frames.get(area.pk, ZERO),
            **{k: area_amounts.get(area.pk, {}).get(k, ZERO) for k in kinds},
        }
        for area in agreement.priority_areas.order_by("number")
    ]
    return {
        "agreement_id": agreement.pk,
        "year": year,
        "projects": {"total": sum(by_status.values()), "by_status": by_status},
        "by_category": _stringify(by_category),
        "by_priority_area": _stringify(areas),
    }


def _stringify(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _stringify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify(v) for v in value]
    return value
