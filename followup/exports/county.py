"""The county summary workbook: the county's "two pages" of the report, then its data sheets.

First sheet (Sammanställning): lead body, agreement and period; review status; key figures —
projects, financing by source category with shares, frame vs decided vs outcome per priority
area; partnerships and their make-up; clusters with actors, links and the county's assessment
(description, strengths, weaknesses, planned measures, risk of geographic lock-in); observations
per theme; the county's summary. Data sheets: projects, financing lines, partnership members,
clusters with their assessment, cluster actors, cluster links, observations.

Key figures of a submitted or approved report are the ones frozen when it was submitted, with
the figures the register gives differently now listed below them; the data sheets always show
the register as it is now (and say so). The caller decides whether the report's content
(observations, summary) may be shown: never a draft to anyone but its own county.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from agreements.models import County, FinancingSource
from core import formats
from followup.exports.tables import amounts_with_shares, cell, share, sum_formula
from followup.exports.writer import (
    Book,
    Column,
    Kind,
    Progress,
    Sheet,
    in_swedish,
    write_data_sheet,
)
from followup.models import Assessment, CountyReport, FollowUpRound, ReportStatus
from followup.selectors import exports as rows
from followup.selectors.figures import (
    FigureChange,
    agreement_for_year,
    county_key_figures,
    figure_changes,
)
from followup.selectors.submitted import submitted_summary
from followup.site.charts import MONEY_COLOURS

SUMMARY_WIDTHS = [38, 18, 12, 18, 12, 18]
# A chart of the Diagram sheet: at most this tall (pixels), so that it fits a printed A4
# landscape page with the sheet's title; the sheet's rows are 20 pixels high.
CHART_MAX_HEIGHT = 600
CHART_ROW_PIXELS = 20
AS_REPORTED = (
    "Beloppen är i kronor och visas här i miljoner kronor (mnkr). Finansieringen är angiven så "
    "som aktörerna rapporterat den; medfinansiering har räknats på olika sätt av olika aktörer."
)


def project_columns(*, with_county: bool) -> list[Column]:
    categories = rows.labels(FinancingSource.Category)
    columns = [
        Column("Län", 16),
        Column("Diarienummer", 15),
        Column("Projektnamn", 44, Kind.WRAP),
        Column("Insatsområde", 8, Kind.INTEGER),
        Column("Åtgärd", 34, Kind.WRAP),
        Column("Projektägare", 32, Kind.WRAP),
        Column("Typ av projektägare", 22),
        Column("Kommun", 15),
        Column("Partnerskap", 26, Kind.WRAP),
        Column("Kluster", 22),
        Column("Startdatum", 11, Kind.DATE),
        Column("Slutdatum", 11, Kind.DATE),
        Column("Status", 11),
        *(Column(f"Beslutat: {label} (kr)", 15, Kind.KRONOR) for label in categories.values()),
        Column("Beslutat totalt (kr)", 15, Kind.KRONOR),
        Column("Utfall totalt (kr)", 15, Kind.KRONOR),
    ]
    return columns if with_county else columns[1:]


FINANCING_COLUMNS = [
    Column("Diarienummer", 15),
    Column("Projektnamn", 34, Kind.WRAP),
    Column("År", 7, Kind.YEAR),
    Column("Finansieringskälla", 30, Kind.WRAP),
    Column("Källkategori", 16),
    Column("Finansiär", 28, Kind.WRAP),
    Column("Beslutat/utfall", 10),
    Column("Belopp (kr)", 15, Kind.KRONOR),
    Column("Anmärkning", 30, Kind.WRAP),
]
MEMBER_COLUMNS = [
    Column("Partnerskap", 32),
    Column("Nivå", 12),
    Column("Typ", 28),
    Column("Kommun", 15),
    Column("Organisation", 34, Kind.WRAP),
    Column("Typ av aktör", 26),
    Column("Roll", 16),
    Column("Från", 11, Kind.DATE),
    Column("Till", 11, Kind.DATE),
]
CLUSTER_COLUMNS = [
    Column("Kluster", 30),
    Column("Avgränsning", 16),
    Column("Ansvarigt län", 16),
    *(Column(str(label), 50, Kind.WRAP) for _field, label in rows.CLUSTER_ASSESSMENT),
]
ACTOR_COLUMNS = [
    Column("Kluster", 30),
    Column("Organisation", 36),
    Column("Typ av aktör", 26),
    Column("I arbetsgruppen", 10),
    Column("Roll i arbetet", 50, Kind.WRAP),
]
LINK_COLUMNS = [
    Column("Kluster", 30),
    Column("Från aktör", 32),
    Column("Till aktör", 32),
    Column("Riktning", 30),
    Column("Varor", 8),
    Column("Tjänster", 8),
    Column("Kunskap", 8),
    Column("Beskrivning", 38, Kind.WRAP),
]
OBSERVATION_COLUMNS = [
    Column("Tema", 32, Kind.WRAP),
    Column("Bedömning (1–4)", 11, Kind.INTEGER),
    Column("Bedömning", 16),
    Column("Typ", 14),
    Column("Text", 74, Kind.WRAP),
    Column("Underlag", 38, Kind.WRAP),
]


@dataclass
class CountyExport:
    """What was written, for the command's summary and the tests."""

    county: County
    round: FollowUpRound
    report: CountyReport | None
    report_shown: bool
    frozen: bool
    figures: dict
    changes: list[FigureChange] = field(default_factory=list)  # register now vs submitted
    # A returned report, for someone who does not read the county's work: as last submitted.
    as_submitted: bool = False
    summary: str = ""
    rows: dict[str, int] = field(default_factory=dict)
    # Where the summary's two tables stand, for the charts: (first row, labels, {column: values})
    chart_sources: dict[str, tuple] = field(default_factory=dict)


def report_for(*, county: County, round_obj: FollowUpRound) -> CountyReport | None:
    return (
        CountyReport.objects.filter(county=county, round=round_obj)
        .select_related("submitted_by", "reviewed_by")
        .first()
    )


@in_swedish
def write_county_workbook(
    output,
    *,
    county: County,
    round_obj: FollowUpRound,
    show_report: bool,
    as_submitted: bool = False,
    progress: Progress | None = None,
) -> CountyExport:
    """Write the county's workbook for the round to ``output`` (a path or a binary file).

    ``show_report``: whether the report's observations and summary may be included. The caller
    answers it from ``followup.exports.permissions``; a draft is shown only to its own county.
    ``as_submitted``: a returned report is written as it was last submitted (for whoever does
    not read the county's work in progress, ``followup.selectors.submitted``).
    """
    year = round_obj.year
    agreement = agreement_for_year(county_id=county.pk, year=year)
    report = report_for(county=county, round_obj=round_obj)
    live = county_key_figures(county_id=county.pk, year=year)
    figures, frozen = rows.figures_of(report=report, live=live)
    result = CountyExport(
        county=county,
        round=round_obj,
        report=report,
        report_shown=bool(show_report and report is not None),
        frozen=frozen,
        figures=figures,
        changes=figure_changes(submitted=figures, now=live) if frozen else [],
        as_submitted=bool(as_submitted and report is not None),
    )
    if result.report_shown:
        result.summary = submitted_summary(report) if result.as_submitted else report.summary
    book = Book(
        output,
        title=f"{county.name} – uppföljning {year}",
        subject=f"{round_obj} · {county.name}",
        comments="Länets sammanställning: avtal, nyckeltal, partnerskap, kluster, iakttagelser.",
        year=year,
    )
    observations = (
        rows.report_observations(report=report, as_submitted=result.as_submitted)
        if result.report_shown
        else []
    )
    assessments = rows.labels(Assessment)
    summary = Sheet(book, "Sammanställning", widths=SUMMARY_WIDTHS, title_rows=0)
    _write_summary(summary, result, agreement, observations, assessments)
    _write_charts(book, result)

    agreement_ids = [agreement.pk] if agreement else []
    result.rows["Projekt"] = write_data_sheet(
        book,
        "Projekt",
        project_columns(with_county=False),
        (row[1:] for row in rows.project_rows(agreement_ids=agreement_ids, year=year)),
        progress=progress,
    )
    result.rows["Finansiering"] = write_data_sheet(
        book,
        "Finansiering",
        FINANCING_COLUMNS,
        rows.financing_line_rows(agreement_ids=agreement_ids, year=year),
        progress=progress,
    )
    result.rows["Partnerskap"] = write_data_sheet(
        book, "Partnerskap", MEMBER_COLUMNS, rows.partnership_member_rows(county_id=county.pk)
    )
    result.rows["Kluster"] = write_data_sheet(
        book, "Kluster", CLUSTER_COLUMNS, rows.cluster_rows(county_id=county.pk)
    )
    result.rows["Klusteraktörer"] = write_data_sheet(
        book, "Klusteraktörer", ACTOR_COLUMNS, rows.cluster_actor_rows(county_id=county.pk)
    )
    result.rows["Klusterlänkar"] = write_data_sheet(
        book, "Klusterlänkar", LINK_COLUMNS, rows.cluster_link_rows(county_id=county.pk)
    )
    result.rows["Iakttagelser"] = write_data_sheet(
        book,
        "Iakttagelser",
        OBSERVATION_COLUMNS,
        (
            (
                o["theme"],
                rows.level(o["assessment"]),
                assessments.get(o["assessment"], ""),
                o["kind"],
                rows.with_reason(o["text"], o["not_assessed_reason"]),
                o["evidence"],
            )
            for o in observations
        ),
    )
    book.close()
    return result


def _write_changes(sheet: Sheet, changes: list[FigureChange]) -> None:
    """The key figures the register gives differently now than when the report was sent."""
    f = sheet.f
    if not changes:
        sheet.paragraph("Registret har inte ändrats i något av nyckeltalen sedan dess.", fmt=f.note)
        return
    sheet.paragraph("Registret har ändrats sedan rapporten skickades in:", fmt=f.label)
    sheet.header(["Nyckeltal", "Inskickat", "I registret nu"])
    for change in changes:
        row = sheet.row
        sheet.ws.set_row(row, sheet.height_for(change.label, 0, 0))
        sheet.text(row, 0, change.label, wrap=True)
        fmt = f.kronor if change.money else f.integer
        for col, value in ((1, change.submitted), (2, change.now)):
            if value is None:
                sheet.text(row, col, "–")
            else:
                sheet.number(row, col, value, fmt)
        sheet.row += 1
    sheet.row += 1


def _status_text(result: CountyExport) -> str:
    if result.report is None:
        return "Ingen rapport i omgången"
    return str(ReportStatus(result.report.status).label)


def _write_summary(sheet: Sheet, result: CountyExport, agreement, observations, assessments):
    """The first sheet, in the order of the report's county pages."""
    county = result.county
    sheet.title(
        f"{county.name} – uppföljning {result.round.year}",
        f"{agreement.get_kind_display()} {agreement.period}" if agreement else "Inget avtal",
    )
    _write_agreement(sheet, agreement)
    _write_review(sheet, result)
    _write_key_figures(sheet, result)
    _write_partnerships(sheet, county)
    _write_clusters(sheet, county)
    _write_observations(sheet, result, observations, assessments)
    _write_county_summary(sheet, result)


CHART_SERIES = {  # the summary's column → the series' name and colour
    "areas": [
        (1, "Ram", MONEY_COLOURS["frame"]),
        (3, "Beslutat", MONEY_COLOURS["decided"]),
        (5, "Utfall", MONEY_COLOURS["outcome"]),
    ],
    "categories": [
        (1, "Beslutat", MONEY_COLOURS["decided"]),
        (3, "Utfall", MONEY_COLOURS["outcome"]),
    ],
}


def _write_charts(book: Book, result: CountyExport) -> None:
    """A *Diagram* sheet: frame, decided and outcome per priority area, and financing by source
    category — native charts reading the summary's cells (their values cached, so they show in
    any program), each printed on a page of its own."""
    sheet = Sheet(book, "Diagram", widths=[12] * 12, title_rows=0)
    sheet.title(
        f"{result.county.name} – uppföljning {result.round.year}: diagram",
        "Diagrammen läser tabellerna på fliken Sammanställning.",
    )
    titles = {
        "areas": "Ram, beslutat och utfall per insatsområde",
        "categories": "Finansiering per källkategori",
    }
    row = sheet.row + 1
    for index, (key, title) in enumerate(titles.items()):
        first, labels, values = result.chart_sources[key]
        if index:  # each chart starts a page
            sheet.ws.set_h_pagebreaks([row])
        if not labels:
            sheet.text(row, 0, f"{title}: avtalet har inga insatsområden att visa.", sheet.f.note)
            row += 2
            continue
        chart = book.xlsx.add_chart({"type": "bar"})
        last = first + len(labels) - 1
        for col, name, colour in CHART_SERIES[key]:
            chart.add_series(
                {
                    "name": name,
                    "categories": ["Sammanställning", first, 0, last, 0],
                    "values": ["Sammanställning", first, col, last, col],
                    "categories_data": labels,
                    "values_data": [float(v) for v in values[col]],
                    "fill": {"color": colour},
                    "border": {"none": True},
                    "gap": 60,
                }
            )
        chart.set_title({"name": title, "name_font": {"size": 12}})
        chart.set_x_axis({"name": "Miljoner kronor", "num_format": formats.MNKR_AXIS})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"position": "bottom"})
        height = min(CHART_MAX_HEIGHT, 300 + 28 * len(labels) * len(values))
        chart.set_size({"width": 900, "height": height})
        sheet.ws.insert_chart(row, 0, chart, {"object_position": 3})
        row += math.ceil(height / CHART_ROW_PIXELS) + 1


def _write_agreement(sheet: Sheet, agreement) -> None:
    """The agreement: lead body, kind, period, signature, status."""
    sheet.section("Avtal")
    sheet.pair("Ansvarig organisation", agreement.lead_body.name if agreement else None)
    sheet.pair("Avtal", agreement.get_kind_display() if agreement else None)
    sheet.pair("Period", agreement.period if agreement else None)
    sheet.pair("Undertecknat", agreement.signed_on if agreement else None, Kind.DATE)
    sheet.pair("Avtalets status", agreement.get_status_display() if agreement else None)


def _write_review(sheet: Sheet, result: CountyExport) -> None:
    """The report's status and dates, and whether the key figures are the submitted ones."""
    report = result.report
    sheet.section("Rapport och granskning")
    sheet.pair("Rapportens status", _status_text(result))
    sheet.pair("Inskickad", report.submitted_at if report else None, Kind.DATE)
    sheet.pair("Granskad", report.reviewed_at if report else None, Kind.DATE)
    if result.frozen:
        sheet.pair("Nyckeltalen", "Som inskickade (låsta när rapporten skickades in)")
        sheet.pair("Nyckeltal låsta", report.frozen_at, Kind.DATE)
    else:
        sheet.pair("Nyckeltalen", "Aktuella uppgifter ur registret")


def _write_key_figures(sheet: Sheet, result: CountyExport) -> None:
    """Projects; decided and outcome per category and per priority area; what changed since
    the report was submitted."""
    f = sheet.f
    figures = result.figures
    sheet.section("Nyckeltal")
    sheet.pair("Antal projekt", figures["projects"]["total"], Kind.INTEGER)
    sheet.row += 1
    decided = rows.category_amounts(figures, rows.DECIDED)
    outcome = rows.category_amounts(figures, rows.OUTCOME)
    categories = rows.labels(FinancingSource.Category)
    total_row = amounts_with_shares(
        sheet,
        headers=["Källkategori", "Beslutat (mnkr)", "Utfall (mnkr)"],
        rows=[(label, [decided[c], outcome[c]]) for c, label in categories.items()],
    )
    result.chart_sources["categories"] = (
        total_row - len(categories),
        list(categories.values()),
        {1: [decided[c] for c in categories], 3: [outcome[c] for c in categories]},
    )
    sheet.row += 1
    areas = figures["by_priority_area"]
    result.chart_sources["areas"] = (
        sheet.row + 1,  # under the table's header row
        [f"{area['number']}. {area['name']}" for area in areas],
        {
            col: [Decimal(area[key]) for area in areas]
            for col, key in ((1, "frame"), (3, rows.DECIDED), (5, rows.OUTCOME))
        },
    )
    _write_priority_areas(sheet, areas)
    sheet.paragraph(AS_REPORTED, fmt=f.note)
    if result.frozen:
        sheet.paragraph(
            "Nyckeltalen ovan är de som låstes när rapporten skickades in. Dataflikarna visar "
            "registret som det ser ut i dag och kan därför skilja sig från dem.",
            fmt=f.note,
        )
        _write_changes(sheet, result.changes)


def _write_partnerships(sheet: Sheet, county) -> None:
    """Each partnership with its make-up, then memberships by kind of actor."""
    f = sheet.f
    sheet.section("Partnerskap")
    partnerships = rows.partnership_summaries(county_id=county.pk)
    if partnerships:
        sheet.header(["Partnerskap", "Nivå och typ", "Medlemmar"])
        sheet.ws.merge_range(sheet.row - 1, 3, sheet.row - 1, 5, "Sammansättning", f.header)
        kinds: dict[str, int] = {}
        for p in partnerships:
            row = sheet.row
            make_up = ", ".join(f"{kind} {n}" for kind, n in p["make_up"])
            level = f"{p['level']}, {p['kind'].split(' (')[0].lower()}"
            if p["municipality"]:
                level += f" ({p['municipality']})"
            sheet.ws.set_row(
                row,
                max(
                    sheet.height_for(make_up, 3, 5),
                    sheet.height_for(level, 1, 1),
                    sheet.height_for(p["name"], 0, 0),
                ),
            )
            sheet.text(row, 0, p["name"], wrap=True)
            sheet.text(row, 1, level, wrap=True)
            sheet.number(row, 2, p["members"], f.integer)
            sheet.ws.merge_range(row, 3, row, 5, "", f.wrap)
            sheet.text(row, 3, make_up, wrap=True)
            sheet.row += 1
            for kind, n in p["make_up"]:
                kinds[kind] = kinds.get(kind, 0) + n
        sheet.row += 1
        amounts_with_shares(
            sheet,
            headers=["Medlemskap efter typ av aktör", "Antal"],
            rows=[(kind, [Decimal(n)]) for kind, n in sorted(kinds.items(), key=lambda i: -i[1])],
            counts=True,
        )
    else:
        sheet.paragraph("Inga partnerskap är registrerade.")


def _write_clusters(sheet: Sheet, county) -> None:
    """Each cluster with its actors and links."""
    f = sheet.f
    sheet.section("Kluster")
    clusters = rows.cluster_summaries(county_id=county.pk)
    if clusters:
        sheet.header(
            [
                "Kluster",
                "Avgränsning",
                "Aktörer",
                "Varav i arbetsgruppen",
                "Vertikala länkar",
                "Horisontella länkar",
            ],
            height=30,
        )
        for c in clusters:
            row = sheet.row
            name = c["name"] + (f" (leds av {c['lead_county']})" if c["lead_county"] else "")
            sheet.text(row, 0, name, wrap=True)
            sheet.text(row, 1, c["delimitation"])
            sheet.number(row, 2, len(c["actors"]), f.integer)
            sheet.number(row, 3, c["in_working_group"], f.integer)
            sheet.number(row, 4, c["vertical"], f.integer)
            sheet.number(row, 5, c["horizontal"], f.integer)
            sheet.row += 1
            actors = ", ".join(
                name + (" (arbetsgruppen)" if in_group else "") for name, in_group in c["actors"]
            )
            sheet.paragraph(f"Aktörer: {actors or '–'}", fmt=f.note)
            for heading, text in c["assessment"]:
                sheet.text(sheet.row, 0, heading, f.note)
                sheet.paragraph(text, first_col=1)
            if not c["assessment"]:
                sheet.paragraph("Ingen bedömning av klustret är registrerad.", fmt=f.note)
    else:
        sheet.paragraph("Inga kluster är registrerade.")


def _write_observations(sheet: Sheet, result: CountyExport, observations, assessments) -> None:
    """Per theme: the assessment and the observation with its evidence, when the report is shown."""
    f = sheet.f
    report = result.report
    sheet.section("Iakttagelser per tema")
    if not result.report_shown:
        sheet.paragraph(
            "Rapporten är ett utkast eller saknas; dess iakttagelser visas inte."
            if report is None or report.status == ReportStatus.DRAFT
            else "Rapportens iakttagelser visas inte."
        )
    elif observations:
        sheet.header(["Tema", "Bedömning"])
        sheet.ws.merge_range(sheet.row - 1, 2, sheet.row - 1, 5, "Iakttagelse", f.header)
        for o in observations:
            row = sheet.row
            text = rows.with_reason(o["text"], o["not_assessed_reason"])
            text += f"\nUnderlag: {o['evidence']}" if o["evidence"] else ""
            sheet.ws.set_row(
                row, max(sheet.height_for(text, 2, 5), sheet.height_for(o["theme"], 0, 0))
            )
            sheet.text(row, 0, o["theme"], wrap=True)
            sheet.text(row, 1, assessments.get(o["assessment"], "–"), wrap=True)
            sheet.ws.merge_range(row, 2, row, 5, "", f.wrap)
            sheet.text(row, 2, text, wrap=True)
            sheet.row += 1
    else:
        sheet.paragraph("Rapporten har inga iakttagelser än.")


def _write_county_summary(sheet: Sheet, result: CountyExport) -> None:
    """The county's own summary, as submitted while the report is returned."""
    report = result.report
    sheet.section("Länets sammanfattning")
    if result.as_submitted:
        sheet.paragraph(
            f"Som rapporten skickades in {formats.day(report.submitted_at)}; den är returnerad "
            "till länet för komplettering.",
            fmt=sheet.f.note,
        )
    if result.summary:
        sheet.paragraph(result.summary)
    else:
        sheet.paragraph("–")


def _write_priority_areas(sheet: Sheet, areas: list[dict]) -> None:
    f = sheet.f
    sheet.header(
        [
            "Insatsområde",
            "Ram (mnkr)",
            "Beslutat av ram",
            "Beslutat (mnkr)",
            "Utfall av beslutat",
            "Utfall (mnkr)",
        ],
        height=30,
    )
    first = sheet.row
    totals = {"frame": Decimal(0), "beslutat": Decimal(0), "utfall": Decimal(0)}
    for area in areas:
        row = sheet.row
        frame, decided, outcome = (Decimal(area[k]) for k in ("frame", "beslutat", "utfall"))
        for key, value in (("frame", frame), ("beslutat", decided), ("utfall", outcome)):
            totals[key] += value
        sheet.text(row, 0, f"{area['number']}. {area['name']}", wrap=True)
        _area_cells(sheet, row, frame, decided, outcome, total=False)
        sheet.row += 1
    row = sheet.row
    sheet.text(row, 0, "Totalt", f.total_label)
    if areas:
        for col, key in ((1, "frame"), (3, "beslutat"), (5, "utfall")):
            sheet.formula(
                row,
                col,
                sum_formula((first, col), (row - 1, col), cells=len(areas)),
                totals[key],
                f.total_mnkr,
            )
    _area_cells(sheet, row, totals["frame"], totals["beslutat"], totals["utfall"], total=True)
    sheet.row += 1


def _area_cells(sheet, row, frame, decided, outcome, *, total: bool) -> None:
    f = sheet.f
    if not total:
        sheet.number(row, 1, frame, f.mnkr)
        sheet.number(row, 3, decided, f.mnkr)
        sheet.number(row, 5, outcome, f.mnkr)
    elif not frame and not decided and not outcome:
        for col in (1, 3, 5):
            sheet.number(row, col, 0, f.total_mnkr)
    pct = f.total_percent if total else f.percent
    sheet.formula(
        row, 2, f"=IF({cell(row, 1)}=0,0,{cell(row, 3)}/{cell(row, 1)})", share(decided, frame), pct
    )
    sheet.formula(
        row,
        4,
        f"=IF({cell(row, 3)}=0,0,{cell(row, 5)}/{cell(row, 3)})",
        share(outcome, decided),
        pct,
    )
