"""Pages of a round: the board, the assessment matrix, financing by county; the national
workbook for ministry staff."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import access
from followup.exports import responses
from followup.models import Assessment, ReportStatus, RoundStatus
from followup.selectors import board, comparisons
from followup.site import charts, maps
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


STATUS_FILLS = [
    maps.Fill(ReportStatus.DRAFT, ReportStatus.DRAFT.label, "hatch"),
    maps.Fill(ReportStatus.SUBMITTED, ReportStatus.SUBMITTED.label, "dots"),
    maps.Fill(ReportStatus.RETURNED, ReportStatus.RETURNED.label, "stripes"),
    maps.Fill(ReportStatus.APPROVED, ReportStatus.APPROVED.label, "solid"),
    maps.Fill(board.MISSING, gettext_lazy("Ingen rapport"), "empty"),
]


def _status_map(*, round_obj, rows: list[board.BoardRow]):
    """The counties coloured (and patterned) by their report's status; each a link to the
    county's page where the user reads it; late counties outlined."""
    regions = []
    for row in rows:
        says = row.status_label or str(_("Ingen rapport"))
        if row.overdue:
            says = f"{says}, {_('försenad')}"
        url = reverse("site:county", args=[round_obj.year, row.county.code]) if row.readable else ""
        regions.append(
            maps.Region(
                row.county.code, row.county.display_name, row.status, says, url, row.overdue
            )
        )
    return {
        "svg": maps.county_map(
            label_id="statuskarta",
            title=_("Karta: rapporternas status per län %(year)s") % {"year": round_obj.year},
            description=_(
                "Varje län är färgat och mönstrat efter rapportens status; försenade län har "
                "tjock röd kant. Tabellen har samma uppgifter."
            ),
            regions=regions,
            fills=STATUS_FILLS,
        ),
        "legend": maps.legend(fills=STATUS_FILLS, label_id="statusforklaring"),
        "credit": maps.CREDIT,
    }


def _board_query(request, **changes) -> str:
    """The board's address with one parameter changed (None removes it)."""
    params = {key: request.GET[key] for key in ("status", "ordering") if request.GET.get(key)}
    params.update(changes)
    query = urlencode({key: value for key, value in params.items() if value})
    return f"?{query}" if query else request.path


@role_required
def round_board(request, year: int):
    """Every county's report in the round: status, days to the deadline, the last step; a map
    of the same; the status tiles filter the table, its headers sort it."""
    round_obj = round_or_404(year)
    today = timezone.localdate()
    rows = board.round_board(round_obj=round_obj, user=request.user, today=today)
    counts = board.status_counts(rows)
    status = request.GET.get("status", "")
    if status not in (*board.STATUS_ORDER, board.OVERDUE):
        status = ""  # an unknown filter filters nothing
    ordering = request.GET.get("ordering", "")
    if ordering not in board.ORDERINGS:
        ordering = "lan"
    labels = [(value, str(label)) for value, label in ReportStatus.choices] + [
        (board.MISSING, _("Ingen rapport")),
        (board.OVERDUE, _("Försenade")),
    ]
    summary = [
        {
            "label": label,
            "count": counts[value],
            "key": value,
            "url": _board_query(request, status=None if value == status else value),
            "current": value == status,
        }
        for value, label in labels
    ]
    sorting = {
        key: {
            "url": _board_query(request, ordering=key if ordering != key else f"-{key}"),
            "sort": "ascending"
            if ordering == key
            else ("descending" if ordering == f"-{key}" else ""),
        }
        for key in ("lan", "status", "tid")
    }
    shown = board.ordered_rows(board.rows_with_status(rows, status) if status else rows, ordering)
    contacts = board.coordinators_by_county() if access.may_read_contacts(request.user) else None
    for row in shown:
        row.contacts = contacts.get(row.county.pk, []) if contacts is not None else None
    return render(
        request,
        "site/board.html",
        {
            "round": round_obj,
            "rows": shown,
            "all_rows": len(rows),
            "summary": summary,
            "status": status,
            "status_label": dict(labels).get(status, ""),
            "show_all_url": _board_query(request, status=None),
            "sorting": sorting,
            "map": _status_map(round_obj=round_obj, rows=rows),
            "show_contacts": contacts is not None,
            "days_left": (round_obj.deadline - today).days,
            "days_late": (today - round_obj.deadline).days,
            "may_export_national": access.may_export_national(request.user),
            "may_remind": access.is_reviewer(request.user) and round_obj.status == RoundStatus.OPEN,
        },
    )


@role_required
def national_workbook(request, year: int):
    """The national workbook of the round, for ministry staff (as on the round's admin page)."""
    round_obj = round_or_404(year)
    if not access.may_export_national(request.user):
        raise PermissionDenied
    return responses.national_workbook_response(round_obj=round_obj)


@role_required
def report_document(request, year: int):
    """The round's report as a Word document (the first draft of what the ministry publishes),
    for ministry staff."""
    round_obj = round_or_404(year)
    if not access.may_export_national(request.user):
        raise PermissionDenied
    return responses.report_response(round_obj=round_obj)


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
            "theme_maps": _theme_maps(themes=themes, rows=rows),
            "map_legend": maps.legend(fills=assessment_fills(), label_id="nivaforklaring"),
            "map_credit": maps.CREDIT,
        },
    )


def assessment_fills() -> list[maps.Fill]:
    """The scale's levels, *Ej bedömt* and no assessment: light to dark, each with a pattern
    of its own so that the maps read in black and white too."""
    patterns = {1: "solid", 2: "dots", 3: "stripes", 4: "cross"}
    return [
        *(maps.Fill(f"a{value}", label, patterns[value]) for value, label in Assessment.scale()),
        maps.Fill("ej", _("Ej bedömt"), "hatch"),
        maps.Fill("a0", _("Ingen bedömning"), "empty"),
    ]


def _theme_maps(*, themes, rows) -> list:
    """One small map per theme: each county the user reads coloured by its strongest
    assessment of the theme (the table's cells); the others drawn without."""
    fills = assessment_fills()
    words = {fill.key: str(fill.label) for fill in fills}
    readable = {row["county"].code: row for row in rows}
    theme_maps = []
    for index, theme in enumerate(themes):
        regions = []
        for code in maps.outlines():
            row = readable.get(code)
            cell = row["cells"][index]["cell"] if row else None
            if cell is None:
                key = "a0"
            elif cell.only_not_assessed:
                key = "ej"
            else:
                key = f"a{cell.best or 0}"
            name = row["county"].short_name if row else ""
            regions.append(maps.Region(code, name, key, words[key] if row else ""))
        theme_maps.append(
            maps.county_map(
                label_id=f"tema-{theme.pk}",
                title=str(theme),
                regions=regions,
                fills=fills,
                css_class="small",
            )
        )
    return list(zip(themes, theme_maps, strict=True))


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
            # The sum of the rows is the whole country's only for those who read every county.
            "whole_country": access.reads_every_county(request.user),
            "chart": chart,
        },
    )
