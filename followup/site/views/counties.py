"""A county's page in a round, its review steps and workbook; its assessments across rounds.

What is shown follows ``core.access`` and ``followup.exports.permissions``: the register of
a county to its coordinator and to ministry staff; a report's content (observations, summary,
review history) only where the report may be shown — never a draft to anyone but its county.
"""

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from agreements.models import FinancingLine
from core import access
from followup.exports import responses
from followup.forms import ReviewStepForm, typed_before
from followup.models import (
    Assessment,
    CommentRefused,
    CountyReport,
    ReportStatus,
    ReviewComment,
    ReviewEvent,
    RoundStatus,
)
from followup.models.reports import BACK_TO_COUNTY
from followup.selectors import changes, comparisons, exports, register, todo
from followup.selectors.comments import report_comments
from followup.selectors.figures import agreement_for_year, county_key_figures, figure_changes
from followup.selectors.submitted import submitted_summary
from followup.services import comments, notices
from followup.services.reports import WorkflowError, county_report_steps, default_completion_date
from followup.site import charts, networks
from followup.site.views.common import county_or_404, role_required, round_or_404


def area_series() -> list[charts.Series]:
    return [
        charts.Series(_("Ram"), charts.MONEY_COLOURS["frame"]),
        charts.Series(_("Beslutat"), charts.MONEY_COLOURS["decided"]),
        charts.Series(_("Utfall"), charts.MONEY_COLOURS["outcome"]),
    ]


LONG_LIST = 8  # longer member and actor lists are folded (<details>), so the page stays short


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
        links[cluster].append(
            networks.link_row(
                source=source,
                target=target,
                direction=direction,
                goods=goods,
                services=services,
                knowledge=knowledge,
                description=description,
            )
        )
    for i, cluster in enumerate(clusters):
        cluster["links"] = links[cluster["name"]]
        cluster["drawing"] = networks.drawing(
            label_id=f"kluster-{i}",
            name=cluster["name"],
            actors=cluster["actors"],
            links=cluster["links"],
        )
    return clusters


def _link_to_pages(user, observations, partnerships, clusters) -> None:
    """The evidence cited and the partnerships and clusters listed link to their own pages —
    those the user may open (``access``: a cluster led by another county may not be; a cited
    project may have been deleted since the report was submitted)."""
    items = [item for o in observations for item in o["cited"]] + [
        {"kind": kind, "id": row["pk"], "row": row}
        for kind, rows in (("partnership", partnerships), ("cluster", clusters))
        for row in rows
    ]
    ids: dict[str, set[int]] = defaultdict(set)
    for item in items:
        ids[item["kind"]].add(item["id"])
    found = register.linkable_ids(user=user, ids=ids)
    for item in items:
        if item["id"] in found[item["kind"]]:
            (item.get("row") or item)["url"] = reverse(f"site:{item['kind']}", args=[item["id"]])


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
        "outcome_total": sum((c["outcome"] for c in categories), Decimal(0)),
        "share_total": 100 if decided_total else None,  # the shares add up to the whole
        "areas": areas,
        "area_totals": {
            key: sum((area[key] for area in areas), Decimal(0))
            for key in ("frame", "decided", "outcome")
        },
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
        "may_export_presentation": access.may_export_county_presentation(user, county.pk),
        "may_import": access.may_import(user, county.pk),
        "scale": Assessment.scale(),
        "LONG_LIST": LONG_LIST,
        "reminders": notices.reminders_sent(round_obj=round_obj, county=county),
    }
    if show_report:
        as_submitted = access.reads_as_submitted(user, report)
        context["as_submitted"] = as_submitted
        context["summary"] = submitted_summary(report) if as_submitted else report.summary
        context["observations"] = exports.report_observations(
            report=report, as_submitted=as_submitted
        )
        context["comments"] = thread = report_comments(
            report=report, user=user, as_submitted=as_submitted
        )
        for observation in context["observations"]:
            observation["comments"] = thread.by_observation.get(observation["pk"], [])
        # A reviewer comments while the report is with the ministry; the county answers while
        # it is back with the county.
        open_round = round_obj.status == RoundStatus.OPEN
        context["may_comment"] = (
            access.is_reviewer(user) and report.status == ReportStatus.SUBMITTED and open_round
        )
        context["may_reply"] = (
            access.is_coordinator_of(user, county.pk)
            and report.status == ReportStatus.RETURNED
            and open_round
        )
        context["events"] = list(
            access.visible(ReviewEvent.objects.filter(report=report), user)
            .select_related("actor")
            .order_by("at", "pk")
        )
        # The last return stays on top until the report is approved.
        returns = [e for e in context["events"] if e.action in BACK_TO_COUNTY]
        with_return = report.status in (ReportStatus.RETURNED, ReportStatus.SUBMITTED)
        context["latest_return"] = returns[-1] if returns and with_return else None
        if report.status == ReportStatus.SUBMITTED:  # sent again: what changed is marked
            context["changes"] = since = changes.since_return(report)
            for observation in context["observations"] if since else ():
                observation["change"] = since.observations.get(observation["pk"])
        earlier = changes.previous_approved(report)
        if earlier is not None and not as_submitted:  # the county's work in progress is its own
            context["earlier"] = earlier
            context["since_last_year"] = changes.since_last_year(report, earlier)
    _link_to_pages(
        user, context.get("observations", []), context["partnerships"], context["clusters"]
    )
    if access.is_coordinator_of(user, county.pk) and round_obj.status == RoundStatus.OPEN:
        # What the report still needs, for those who write it (as on their start page).
        thread = context.get("comments")
        context["todo"] = todo.county_todo(
            round_obj=round_obj,
            county=county,
            today=timezone.localdate(),
            report=report,
            open_comments=thread.open if thread else None,
        )
    return render(request, "site/county.html", context)


def _visible_report(user, year: int, code: str) -> CountyReport:
    reports = CountyReport.objects.select_related("county", "round")
    return access.visible_or_404(reports, user, round__year=year, county__code=code)


@role_required
def county_report_document(request, year: int, code: str):
    """The county's presentation of the round's report as a Word document: for the ministry,
    and for the county's own coordinators (another county answers as one that does not exist)."""
    round_obj = round_or_404(year)
    county = county_or_404(request.user, code)
    if not access.may_export_county_presentation(request.user, county.pk):
        raise Http404
    return responses.report_response(round_obj=round_obj, county=county)


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
    if form.needs_confirmation():
        problem = form.problem_before_confirming()
        if problem:
            messages.error(request, problem)
            form.remember_typed(request.session, report)
            return redirect("site:county", year=year, code=code)
        # The decision is confirmed on a page of its own, naming the county and the round.
        complete_by = form.cleaned_data["complete_by"] or default_completion_date()
        return render(
            request,
            "site/confirm_step.html",
            {"report": report, "form": form, "complete_by": complete_by},
        )
    try:
        done = form.take(report=report, user=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
        form.remember_typed(request.session, report)  # the page shows it again
    else:
        messages.success(request, done)
    return redirect("site:county", year=year, code=code)


@require_POST
@role_required
def county_comment_add(request, year: int, code: str):
    """A reviewer's comment on an observation, or on the report as a whole."""
    report = _visible_report(request.user, year, code)
    raw = request.POST.get("observation", "")
    raw = raw if raw.isascii() and raw.isdigit() and len(raw) < 12 else ""
    try:
        comments.comment_add(
            report=report,
            user=request.user,
            text=request.POST.get("text", ""),
            observation_id=int(raw) if raw else None,
        )
    except CommentRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Kommentaren är sparad. Länet får den när du har beslutat."))
    anchor = f"iakttagelse-{raw}" if raw else "rapport"
    return redirect(f"{reverse('site:county', args=[year, code])}#{anchor}")


@require_POST
@role_required
def county_comment(request, year: int, code: str, pk: int):
    """A reviewer takes back a pending comment; the county replies or marks it handled."""
    report = _visible_report(request.user, year, code)
    comment = ReviewComment.objects.filter(pk=pk, report=report).first()
    if comment is None or (comment.pending and not access.is_reviewer(request.user)):
        raise Http404
    try:
        if request.POST.get("action") == "delete":
            comments.comment_delete(comment=comment, user=request.user)
            messages.success(request, _("Kommentaren är borttagen."))
        else:
            comments.comment_reply(
                comment=comment,
                user=request.user,
                reply=request.POST.get("reply", ""),
                handled=bool(request.POST.get("handled")),
            )
            messages.success(request, _("Ditt svar är sparat."))
    except CommentRefused as error:
        messages.error(request, error.message)
    anchor = f"kommentar-{pk}"
    return redirect(f"{reverse('site:county', args=[year, code])}#{anchor}")


@require_POST
@role_required
def county_remind(request, year: int, code: str):
    """A reviewer reminds a late county by e-mail ("Påminn länet" on the board)."""
    round_obj = round_or_404(year)
    county = county_or_404(request.user, code)
    if not access.is_reviewer(request.user):
        raise PermissionDenied
    try:
        sent = notices.remind_county(round_obj=round_obj, county=county, user=request.user)
    except notices.NoticeRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(county)s har påmints: %(count)s meddelande till länets samordnare.",
                "%(county)s har påmints: %(count)s meddelanden till länets samordnare.",
                len(sent),
            )
            % {"county": county.display_name, "count": len(sent)},
        )
    return redirect(f"{reverse('site:board', args=[year])}#lan-{county.code}")


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
