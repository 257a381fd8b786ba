"""Pages of a round: the board, the assessment matrix, financing by county; the national
workbook for ministry staff."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access
from followup.exports import responses
from followup.models import Assessment, ReportStatus
from followup.selectors import board, comparisons
from followup.site import charts
from followup.site.views.common import role_required, round_or_404


def category_series() -> list[charts.Series]:
    """One colour per category of financing source, labelled in the active language."""
    return [
        charts.Series(str(label), colour)
        for (_value, label), colour in zip(
            comparisons.CATEGORIES.choices,
            charts.PALETTE[: len(comparisons.CATEGORIES)],
            strict=True,
        )
    ]


@role_required
def round_board(request, year: int):
    """Every county's report in the round: status, days to the deadline, the last step."""
    round_obj = round_or_404(year)
    today = timezone.localdate()
    rows = board.round_board(round_obj=round_obj, user=request.user, today=today)
    counts = board.status_counts(rows)
    summary = [(str(label), counts[value], value) for value, label in ReportStatus.choices] + [
        (_("Ingen rapport"), counts[board.MISSING], board.MISSING),
        (_("Försenade"), counts[board.OVERDUE], board.OVERDUE),
    ]
    return render(
        request,
        "site/board.html",
        {
            "round": round_obj,
            "rows": rows,
            "summary": summary,
            "days_left": (round_obj.deadline - today).days,
            "days_late": (today - round_obj.deadline).days,
            "may_export_national": access.may_export_national(request.user),
        },
    )


@role_required
def national_workbook(request, year: int):
    """The national workbook of the round, for ministry staff (as on the round's admin page)."""
    round_obj = round_or_404(year)
    if not access.may_export_national(request.user):
        raise PermissionDenied
    return responses.national_workbook_response(round_obj=round_obj)


def observations_url(*, year: int, county_code: str, theme_id: int) -> str:
    """The filtered observation list behind one cell of the matrix."""
    query = urlencode({"round": year, "county": county_code, "theme": theme_id})
    return f"{reverse('site:observations')}?{query}"


@role_required
def assessment_matrix(request, year: int):
    """Themes × counties: the strongest assessment of each county on each theme."""
    round_obj = round_or_404(year)
    themes, counties, cells = comparisons.assessment_matrix(round_obj=round_obj, user=request.user)
    rows = [
        {
            "county": county,
            "cells": [
                {
                    "theme": theme,
                    "cell": cells.get((county.pk, theme.pk)),
                    "url": observations_url(year=year, county_code=county.code, theme_id=theme.pk),
                }
                for theme in themes
            ],
        }
        for county in counties
    ]
    return render(
        request,
        "site/matrix.html",
        {
            "round": round_obj,
            "themes": themes,
            "rows": rows,
            "scale": Assessment.scale(),
            "all_counties": len(counties) > 1,
        },
    )


@role_required
def financing(request, year: int):
    """Decided financing per county and source category, with national shares."""
    round_obj = round_or_404(year)
    rows, totals = comparisons.financing_by_county(round_obj=round_obj, user=request.user)
    grand_total = sum(totals.values())
    categories = [
        {
            "label": str(label),
            "total": totals[value],
            "share": (100 * totals[value] / grand_total) if grand_total else None,
        }
        for value, label in comparisons.CATEGORIES.choices
    ]
    table = [
        {
            "county": row.county,
            "frozen": row.frozen,
            "amounts": [row.amounts[value] for value in comparisons.CATEGORIES.values],
            "total": row.total,
        }
        for row in rows
    ]
    chart = charts.stacked_bars(
        label_id="finansiering",
        title=_("Beslutad finansiering per län och källa, %(year)s") % {"year": year},
        description=_(
            "Staplar per län uppdelade på finansieringskälla. Tabellen nedan har siffrorna."
        ),
        series=category_series(),
        groups=[(row["county"].short_name, row["amounts"]) for row in table],
    )
    return render(
        request,
        "site/financing.html",
        {
            "round": round_obj,
            "categories": categories,
            "table": table,
            "grand_total": grand_total,
            "chart": chart,
        },
    )
