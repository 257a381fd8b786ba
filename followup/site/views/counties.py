"""A county's page in a round, its review steps and workbook; its assessments across rounds.

What is shown follows ``core.access`` and ``followup.exports.permissions``: the register of
a county to its coordinator and to ministry staff; a report's content (observations, summary,
review history) only where the report may be shown — never a draft to anyone but its county.
"""

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.models import ClusterLink, FinancingLine
from core import access
from followup.exports import responses
from followup.forms import ReviewStepForm, typed_before
from followup.models import Assessment, CountyReport, ReportStatus, ReviewEvent
from followup.selectors import comparisons, exports
from followup.selectors.figures import agreement_for_year, county_key_figures, figure_changes
from followup.selectors.submitted import submitted_summary
from followup.services.reports import WorkflowError, county_report_steps, default_completion_date
from followup.site import charts
from followup.site.views.common import county_or_404, role_required, round_or_404


def area_series() -> list[charts.Series]:
    return [
        charts.Series(_("Ram"), charts.MONEY_COLOURS["frame"]),
        charts.Series(_("Beslutat"), charts.MONEY_COLOURS["decided"]),
        charts.Series(_("Utfall"), charts.MONEY_COLOURS["outcome"]),
    ]


NETWORK_LIMIT = 24  # more actors than this are listed, not drawn


def _partnerships(county_id: int) -> list[dict]:
    partnerships = exports.partnership_summaries(county_id=county_id)
    members = defaultdict(list)
    for name, *_rest, organisation, org_kind, role, _start, end in exports.partnership_member_rows(
        county_id=county_id
    ):
        members[name].append(
            {"organisation": organisation, "kind": org_kind, "role": role, "end": end}
        )
    for partnership in partnerships:
        partnership["member_list"] = members[partnership["name"]]
    return partnerships


def _clusters(county_id: int) -> list[dict]:
    clusters = exports.cluster_summaries(county_id=county_id)
    links = defaultdict(list)
    for (
        cluster,
        source,
        target,
        direction,
        goods,
        services,
        knowledge,
        description,
    ) in exports.cluster_links(county_id=county_id):
        carries = [
            str(label)
            for flag, label in (
                (goods, _("varor")),
                (services, _("tjänster")),
                (knowledge, _("kunskap")),
            )
            if flag
        ]
        links[cluster].append(
            {
                "source": source,
                "target": target,
                "direction": ClusterLink.Direction(direction).label,
                "vertical": direction == ClusterLink.Direction.VERTICAL,
                "carries": ", ".join(carries),
                "description": description,
            }
        )
    for i, cluster in enumerate(clusters):
        cluster["links"] = links[cluster["name"]]
        if 1 < len(cluster["actors"]) <= NETWORK_LIMIT:
            cluster["drawing"] = charts.network(
                label_id=f"kluster-{i}",
                title=_("Nätverk i klustret %(name)s") % {"name": cluster["name"]},
                description=_(
                    "Aktörer på en cirkel; fyllda punkter är med i arbetsgruppen. Heldragna "
                    "linjer är vertikala länkar, streckade horisontella. Tabellen har alla länkar."
                ),
                nodes=cluster["actors"],
                edges=[
                    (link["source"], link["target"], link["vertical"]) for link in cluster["links"]
                ],
            )
    return clusters


def _figures(county, year: int, report):
    """The key figures shown: as submitted while the report is with the ministry, with what the
    register says differently now; else the register's now."""
    live = county_key_figures(county_id=county.pk, year=year)
    figures, frozen = exports.figures_of(report=report, live=live)
    changes = figure_changes(submitted=figures, now=live) if frozen else []
    categories = [
        {
            "label": str(label),
            "decided": Decimal(figures["by_category"][value][FinancingLine.Kind.DECIDED]),
            "outcome": Decimal(figures["by_category"][value][FinancingLine.Kind.OUTCOME]),
        }
        for value, label in comparisons.CATEGORIES.choices
    ]
    decided_total = sum(c["decided"] for c in categories)
    for category in categories:
        category["share"] = 100 * category["decided"] / decided_total if decided_total else None
    areas = [
        {
            "number": area["number"],
            "name": area["name"],
            "frame": Decimal(area["frame"]),
            "decided": Decimal(area[FinancingLine.Kind.DECIDED]),
            "outcome": Decimal(area[FinancingLine.Kind.OUTCOME]),
        }
        for area in figures["by_priority_area"]
    ]
    return {
        "frozen": frozen,
        "frozen_at": report.frozen_at if frozen else None,
        "changes": changes,
        "projects": figures["projects"]["total"],
        "categories": categories,
        "decided_total": decided_total,
        "areas": areas,
        "area_chart": charts.grouped_bars(
            label_id="omraden",
            title=_("Ram, beslutat och utfall per insatsområde"),
            description=_("Tre staplar per insatsområde. Tabellen intill har siffrorna."),
            series=area_series(),
            groups=[
                (f"{a['number']}. {a['name']}", [a["frame"], a["decided"], a["outcome"]])
                for a in areas
            ],
        )
        if areas
        else None,
        "category_chart": charts.grouped_bars(
            label_id="kallor",
            title=_("Beslutad finansiering per källa"),
            description=_(
                "En stapel per kategori av finansieringskälla. Tabellen intill har siffrorna."
            ),
            series=[charts.Series(str(_("Beslutat")), charts.MONEY_COLOURS["decided"])],
            groups=[(c["label"], [c["decided"]]) for c in categories],
        ),
    }


@role_required
def county_page(request, year: int, code: str):
    """The county in the round: register, key figures, report, review history, actions."""
    user = request.user
    round_obj = round_or_404(year)
    county = county_or_404(user, code)
    report = (
        CountyReport.objects.filter(round=round_obj, county=county)
        .select_related("submitted_by", "reviewed_by")
        .first()
    )
    show_report = access.may_show_report(user, report)
    context = {
        "round": round_obj,
        "county": county,
        "report": report,
        "show_report": show_report,
        "agreement": agreement_for_year(county_id=county.pk, year=year),
        "figures": _figures(county, year, report),
        "partnerships": _partnerships(county.pk),
        "clusters": _clusters(county.pk),
        "steps": county_report_steps(report=report, user=user) if show_report else [],
        "actions": ReviewEvent.Action,
        "default_complete_by": default_completion_date(),
        "today": timezone.localdate(),
        "typed": typed_before(request.session, report) if report else {},
        "may_download": show_report,
        "may_export_national": access.may_export_national(user),
        "may_import": access.may_import(user, county.pk),
        "scale": Assessment.scale(),
    }
    if show_report:
        as_submitted = access.reads_as_submitted(user, report)
        context["as_submitted"] = as_submitted
        context["summary"] = submitted_summary(report) if as_submitted else report.summary
        context["observations"] = exports.report_observations(
            report=report, as_submitted=as_submitted
        )
        context["events"] = list(
            access.visible(ReviewEvent.objects.filter(report=report), user)
            .select_related("actor")
            .order_by("at", "pk")
        )
        returned = report.status == ReportStatus.RETURNED and context["events"]
        context["latest_return"] = context["events"][-1] if returned else None
    return render(request, "site/county.html", context)


def _visible_report(user, year: int, code: str) -> CountyReport:
    reports = CountyReport.objects.select_related("county", "round")
    return access.visible_or_404(reports, user, round__year=year, county__code=code)


@require_POST
@role_required
def county_workflow(request, year: int, code: str):
    """Take one review step through the workflow services; the answer is a message."""
    report = _visible_report(request.user, year, code)
    form = ReviewStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.problem())
        form.remember_typed(request.session, report)
        return redirect("site:county", year=year, code=code)
    try:
        done = form.take(report=report, user=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
        form.remember_typed(request.session, report)  # the page shows it again
    else:
        messages.success(request, done)
    return redirect("site:county", year=year, code=code)


@role_required
def county_workbook(request, year: int, code: str):
    """The county's workbook, with the rules of the admin's download (a report the user may not
    see answers 404)."""
    report = _visible_report(request.user, year, code)
    return responses.county_workbook_response(report=report, user=request.user)


@role_required
def county_development(request, code: str):
    """The county's assessments per theme, round by round."""
    county = county_or_404(request.user, code)
    rounds, themes, cells, statuses = comparisons.county_development(
        county=county, user=request.user
    )
    rows = [
        {"theme": theme, "cells": [cells.get((theme.pk, r.year)) for r in rounds]}
        for theme in themes
    ]
    return render(
        request,
        "site/development.html",
        {
            "county": county,
            "rounds": [
                {
                    "round": r,
                    "status": statuses.get(r.year),
                    "label": _status_label(statuses.get(r.year)),
                }
                for r in rounds
            ],
            "rows": rows,
            "scale": Assessment.scale(),
        },
    )


def _status_label(status: str | None) -> str:
    return str(ReportStatus(status).label) if status else _("Ingen rapport")
