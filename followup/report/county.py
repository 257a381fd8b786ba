"""One county's chapter of the report: the report's two-page county presentation.

Lead body, agreement and period, review status; key figures; frame, decided and outcome per
priority area and financing by source category, as tables and charts; partnerships (level,
type, make-up by kind of actor); clusters with their assessment; the observations per theme with
their assessment; the county's summary.

What is shown follows the national workbook's rules (``followup.exports.national``): a report
with the ministry (submitted, approved) gives the key figures frozen when it was submitted; a
returned report is read as last submitted; a county whose report is a draft, or that has none,
gets one line saying so — a draft's content never appears.
"""

from decimal import Decimal

from agreements.models import FinancingSource
from core import formats
from followup.exports.national import CountyLine
from followup.models import Assessment, ReportStatus
from followup.report import charts
from followup.report.document import Report, number
from followup.selectors import exports as rows
from followup.selectors.submitted import submitted_summary

AS_REPORTED = (
    "Beloppen är angivna så som aktörerna har rapporterat dem; medfinansiering har räknats på "
    "olika sätt av olika aktörer."
)


def status_sentence(line: CountyLine, year: int) -> str:
    """Where the county's report stands, in one sentence."""
    report = line.report
    if report is None:
        return f"Länet har inte lämnat någon rapport för uppföljningen {year}."
    if report.status == ReportStatus.DRAFT:
        return f"Länet har inte skickat in sin rapport för uppföljningen {year}."
    sent = formats.long_date(report.submitted_at)
    if report.status == ReportStatus.APPROVED:
        return (
            f"Rapporten skickades in {sent} och godkändes {formats.long_date(report.reviewed_at)}."
        )
    if report.status == ReportStatus.RETURNED:
        return (
            f"Rapporten skickades in {sent} och returnerades "
            f"{formats.long_date(report.reviewed_at)} till länet för komplettering. "
            "Iakttagelserna och sammanfattningen återges som de skickades in; nyckeltalen är "
            "registrets aktuella uppgifter."
        )
    return f"Rapporten skickades in {sent} och granskas av departementet."


def area_table(figures: dict) -> tuple[list, list]:
    """Rows (label, frame, decided, outcome) per priority area, and their total."""
    areas = figures["by_priority_area"]
    table = [
        (
            f"{area['number']}. {area['name']}",
            Decimal(area["frame"]),
            Decimal(area[rows.DECIDED]),
            Decimal(area[rows.OUTCOME]),
        )
        for area in areas
    ]
    total = [sum((row[i] for row in table), Decimal(0)) for i in (1, 2, 3)]
    return table, total


def category_table(figures: dict) -> tuple[list, Decimal, Decimal]:
    """Rows (label, decided, share of decided, outcome) per source category, and the totals."""
    decided = rows.category_amounts(figures, rows.DECIDED)
    outcome = rows.category_amounts(figures, rows.OUTCOME)
    total_decided = sum(decided.values(), Decimal(0))
    total_outcome = sum(outcome.values(), Decimal(0))
    table = [
        (
            label,
            decided[c],
            (100 * decided[c] / total_decided) if total_decided else None,
            outcome[c],
        )
        for c, label in rows.labels(FinancingSource.Category).items()
    ]
    return table, total_decided, total_outcome


def write_county_chapter(
    report: Report, line: CountyLine, *, year: int, drawer: charts.Charts
) -> None:
    """The county's chapter (a heading 1 of its own)."""
    county = line.county
    report.heading(county.name, 1)
    if not line.shown:
        report.paragraph(status_sentence(line, year))
        return
    agreement = line.agreement
    if agreement is not None:
        report.paragraph(
            f"{agreement.lead_body.name} leder arbetet med länets "
            f"{agreement.get_kind_display().lower()} {agreement.start_year}–{agreement.end_year}."
        )
    else:
        report.paragraph(f"Länet har inget avtal som gäller {year}.")
    report.paragraph(status_sentence(line, year))

    figures = line.figures
    areas, area_total = area_table(figures)
    categories, total_decided, total_outcome = category_table(figures)
    report.heading("Nyckeltal", 2)
    if line.frozen:
        report.paragraph(
            f"Nyckeltalen är de som låstes när rapporten skickades in "
            f"{formats.long_date(line.report.frozen_at)}.",
            note=True,
        )
    partnerships = rows.partnership_summaries(county_id=county.pk)
    clusters = rows.cluster_summaries(county_id=county.pk)
    report.table(
        ["Nyckeltal", "Värde"],
        [
            ("Projekt", number(formats.number(figures["projects"]["total"]))),
            ("Beslutad finansiering", number(formats.kronor(total_decided))),
            ("Utfall", number(formats.kronor(total_outcome))),
            ("Partnerskap", number(formats.number(len(partnerships)))),
            ("Kluster", number(formats.number(len(clusters)))),
        ],
        widths=[5, 4],
    )

    report.heading("Ram, beslutat och utfall per insatsområde", 2)
    if areas:
        _area_table(report, areas, area_total, caption="Belopp i kronor per insatsområde")
    elif agreement is None:
        report.paragraph("Utan avtal har länet inga insatsområden.")
    else:
        report.paragraph("Avtalet har inga insatsområden registrerade.")

    report.heading("Finansiering per källa", 2)
    _category_table(
        report,
        categories,
        total_decided,
        total_outcome,
        caption="Beslutad finansiering och utfall per kategori av källa, kronor",
    )
    pictures = []
    if areas:
        chart = drawer.grouped_bars(
            title=f"Ram, beslutat och utfall per insatsområde, {county.short_name}",
            groups=[(label, values) for label, *values in areas],
            series=charts.money_series("Ram", "Beslutat", "Utfall"),
        )
        pictures.append((chart.png, chart.alt, "Ram, beslutat och utfall per insatsområde"))
    if total_decided or total_outcome:
        chart = drawer.grouped_bars(
            title=f"Finansiering per källa, {county.short_name}",
            groups=[(label, [d, o]) for label, d, _s, o in categories],
            series=charts.money_series("Beslutat", "Utfall"),
        )
        pictures.append((chart.png, chart.alt, "Finansiering per källa"))
    if pictures:
        report.pictures_side_by_side(pictures, width_cm=7.6)
    report.paragraph(AS_REPORTED, note=True)

    _partnerships(report, partnerships)
    _clusters(report, clusters)
    _observations(report, line)


def _partnerships(report: Report, partnerships: list[dict]) -> None:
    report.heading("Partnerskap", 2)
    if not partnerships:
        report.paragraph("Inga partnerskap är registrerade.")
        return
    report.table(
        ["Partnerskap", "Nivå och typ", "Medlemmar", "Sammansättning"],
        [
            (
                p["name"],
                f"{p['level']}, {p['kind'].split(' (')[0].lower()}"
                + (f" ({p['municipality']})" if p["municipality"] else ""),
                number(formats.number(p["members"])),
                ", ".join(f"{kind} {n}" for kind, n in p["make_up"]) or "–",
            )
            for p in partnerships
        ],
        widths=[4.6, 3.4, 2, 6.6],
        size=8,
    )


def _clusters(report: Report, clusters: list[dict]) -> None:
    report.heading("Kluster", 2)
    if not clusters:
        report.paragraph("Inga kluster är registrerade.")
        return
    for c in clusters:
        lead = f", leds av {c['lead_county']}" if c["lead_county"] else ""
        report.paragraph(
            f" ({c['delimitation'].lower()}{lead}): {len(c['actors'])} aktörer, varav "
            f"{c['in_working_group']} i arbetsgruppen; {c['vertical']} vertikala och "
            f"{c['horizontal']} horisontella länkar.",
            bold_lead=c["name"],
        )
        for heading, text in c["assessment"]:
            report.paragraph(text, bold_lead=f"{heading}: ")
        if not c["assessment"]:
            report.paragraph("Ingen bedömning av klustret är registrerad.", note=True)


def _observations(report: Report, line: CountyLine) -> None:
    returned = line.status == ReportStatus.RETURNED
    observations = rows.report_observations(report=line.report, as_submitted=returned)
    assessments = rows.labels(Assessment)
    report.heading("Iakttagelser per tema", 2)
    if not observations:
        report.paragraph("Rapporten har inga iakttagelser.")
    for o in observations:
        report.heading(o["theme"], 3)
        report.paragraph(
            o["text"] or "–",
            bold_lead=f"{assessments.get(o['assessment'], 'Ingen bedömning')} "
            f"({o['kind'].lower()}). ",
        )
        if o["not_assessed_reason"]:
            report.paragraph(
                o["not_assessed_reason"], bold_lead="Skäl till att temat inte bedöms: "
            )
        if o["evidence"]:
            report.paragraph(o["evidence"], bold_lead="Underlag: ", note=True)
    summary = submitted_summary(line.report) if returned else line.report.summary
    report.heading("Länets sammanfattning", 2)
    report.paragraph(summary or "–")


def appendix_table(report: Report, line: CountyLine) -> None:
    """The county's aggregates for the appendix: its financing by category and kind and per
    priority area (never project by project)."""
    county = line.county
    report.heading(county.name, 2)
    categories, total_decided, total_outcome = category_table(line.figures)
    areas, area_total = area_table(line.figures)
    note = "som inskickade" if line.frozen else "ur registret"
    _category_table(
        report,
        categories,
        total_decided,
        total_outcome,
        caption=f"{county.short_name}: finansiering per kategori av källa, kronor ({note})",
        size=8.5,
    )
    if areas:
        _area_table(
            report,
            areas,
            area_total,
            caption=f"{county.short_name}: ram, beslutat och utfall per insatsområde, kronor",
            size=8.5,
        )


def _area_table(report: Report, areas, total, *, caption: str, size: float = 9) -> None:
    """Frame, decided and outcome per priority area in kronor, with their total."""
    report.table(
        ["Insatsområde", "Ram", "Beslutat", "Utfall"],
        [(label, *(number(formats.kronor(v)) for v in values)) for label, *values in areas],
        total=["Totalt", *(number(formats.kronor(v)) for v in total)],
        widths=[7.6, 3, 3, 3],
        caption=caption,
        size=size,
    )


def _category_table(
    report: Report, categories, decided, outcome, *, caption: str, size: float = 9
) -> None:
    """Decided (with its share) and outcome per source category in kronor, with the total."""
    report.table(
        ["Källa", "Beslutat", "Andel", "Utfall"],
        [
            (
                label,
                number(formats.kronor(d)),
                number(formats.percent(s)),
                number(formats.kronor(o)),
            )
            for label, d, s, o in categories
        ],
        total=[
            "Totalt",
            number(formats.kronor(decided)),
            number(formats.percent(100) if decided else "–"),
            number(formats.kronor(outcome)),
        ],
        widths=[6.6, 3.4, 2, 3.4],
        caption=caption,
        size=size,
    )
