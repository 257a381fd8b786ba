"""The yearly follow-up report as a Word document: the first draft of what the ministry
publishes, written from the data (``python manage.py export_report``, and from the round's page).

Title page (round, date, "Utkast – genererat ur uppföljningssystemet" until the round is closed)
and a table of contents; one chapter per county in SCB order (``followup.report.county``); a
national chapter (the counties' reporting, financing by county and source, themes × counties);
the chapter of conclusions (the ministry's, for the round and per theme, with the same generated
sentences as the national workbook); an appendix of tables per county (aggregates only).

Written in Swedish whatever language the request is in, as the workbooks are.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from agreements.models import County, FinancingSource
from core import formats
from followup.exports import statements
from followup.exports.national import NationalExport, national_picture
from followup.exports.writer import AUTHOR, in_swedish
from followup.models import FollowUpRound, NationalConclusion, ReportStatus, RoundStatus
from followup.report import charts
from followup.report.county import appendix_table, write_county_chapter
from followup.report.document import Report, number
from followup.selectors import exports as rows

DRAFT_NOTE = "Utkast – genererat ur uppföljningssystemet"
Progress = Callable[[str], None]


@dataclass
class ReportResult:
    """What was written, for the command's summary and the tests."""

    round: FollowUpRound
    counties: list[str] = field(default_factory=list)  # county chapters, in order
    charts: int = 0


def _quiet(_message: str) -> None:
    pass


@in_swedish
def write_report(
    output,
    *,
    round_obj: FollowUpRound,
    county: County | None = None,
    progress: Progress = _quiet,
) -> ReportResult:
    """Write the round's report to ``output`` (a path or a binary file); with ``county``, that
    county's presentation alone."""
    picture = national_picture(round_obj=round_obj)
    year = round_obj.year
    lines = [line for line in picture.counties if county is None or line.county.pk == county.pk]
    title = (
        f"Uppföljning av de regionala tillväxtavtalen {year}"
        if county is None
        else f"{county.name} – uppföljning {year}"
    )
    report = Report(title=title, subject=str(round_obj), author=AUTHOR)
    closed = round_obj.status == RoundStatus.CLOSED
    report.title_page(
        title=title,
        subtitle=str(round_obj),
        lines=[
            f"Näringsdepartementet, {formats.long_date(timezone.now())}",
            *(() if closed else (DRAFT_NOTE,)),
        ],
    )
    report.contents("Innehåll")
    result = ReportResult(round=round_obj)
    drawer = charts.Charts()
    try:
        for index, line in enumerate(lines, 1):
            progress(f"{line.county.name} ({index}/{len(lines)})")
            write_county_chapter(report, line, year=year, drawer=drawer)
            result.counties.append(line.county.name)
        if county is None:
            progress("Hela landet")
            _national_chapter(report, picture, drawer)
            progress("Slutsatser")
            _conclusions_chapter(report, picture)
            progress("Bilaga")
            report.heading("Bilaga: tabeller per län", 1)
            report.paragraph(
                "Länens finansiering per kategori av källa och per insatsområde. Län med en "
                "inskickad eller godkänd rapport: nyckeltalen som låstes vid inskickandet; "
                "övriga län: registrets uppgifter.",
                note=True,
            )
            for line in lines:
                appendix_table(report, line)
    finally:
        result.charts = drawer.drawn
        drawer.close()
    progress("Sparar dokumentet")
    report.save(output)
    return result


def _national_chapter(report: Report, picture: NationalExport, drawer: charts.Charts) -> None:
    year = picture.round.year
    report.heading("Hela landet", 1)
    report.heading("Länens rapportering", 2)
    report.paragraph(picture.submission)
    groups = [(str(status.label), status) for status in ReportStatus] + [("Ingen rapport", None)]
    by_status = [
        (label, [line.county.short_name for line in picture.counties if line.status == status])
        for label, status in groups
    ]
    report.table(
        ["Rapportens status", "Antal län", "Län"],
        [
            (label, number(str(len(names))), statements.join_names(names) or "–")
            for label, names in by_status
        ],
        widths=[3.6, 2, 11],
    )

    report.heading("Finansiering per län och källa", 2)
    report.paragraph(picture.financing)
    categories = rows.labels(FinancingSource.Category)
    table, totals = [], {c: Decimal(0) for c in categories}
    for line in picture.counties:
        decided = rows.category_amounts(line.figures, rows.DECIDED)
        for c in categories:
            totals[c] += decided[c]
        table.append((line.county.short_name, [decided[c] for c in categories]))
    grand = sum(totals.values(), Decimal(0))
    report.table(
        ["Län", *categories.values(), "Totalt"],
        [
            (
                name,
                *(number(formats.millions(v)) for v in values),
                number(formats.millions(sum(values))),
            )
            for name, values in table
        ],
        total=[
            "Hela landet",
            *(number(formats.millions(totals[c])) for c in categories),
            number(formats.millions(grand)),
        ],
        caption=f"Beslutad finansiering per län och kategori av källa {year}, miljoner kronor",
        widths=[2.6, 1.9, 1.9, 1.9, 1.9, 1.9, 1.9, 2.4],
        size=8,
    )
    report.table(
        ["Källa", "Beslutat", "Andel"],
        [
            (
                label,
                number(formats.mnkr(totals[c])),
                number(formats.percent(100 * totals[c] / grand) if grand else "–"),
            )
            for c, label in categories.items()
        ],
        total=[
            "Hela landet",
            number(formats.mnkr(grand)),
            number(formats.percent(100) if grand else "–"),
        ],
        caption="Nationella andelar per kategori av källa",
        widths=[6.6, 3.4, 2],
    )
    chart = drawer.stacked_bars(
        title=f"Beslutad finansiering per län och källa {year}",
        groups=table,
        series=list(categories.values()),
    )
    report.picture(chart.png, alt=chart.alt, title="Finansiering per län och källa")
    report.paragraph(
        "Inskickade och godkända rapporter bidrar med de nyckeltal som låstes när de skickades "
        "in, övriga län med registrets aktuella uppgifter. Beloppen är angivna så som aktörerna "
        "rapporterat dem; medfinansiering har räknats på olika sätt av olika aktörer.",
        note=True,
    )

    report.heading("Registret", 2)
    report.paragraph(" ".join(picture.register))

    report.landscape(True)
    report.heading("Teman och län", 2)
    report.paragraph(
        "Länens starkaste bedömning av varje tema (1 inget arbete – 4 framträdande); "
        "”Ej” där länet inte bedömer temat, – där det saknas en bedömning. Utkast räknas inte.",
        note=True,
    )
    assessments = rows.theme_assessments(round_id=picture.round.pk)
    not_assessed = rows.themes_not_assessed(round_id=picture.round.pk)
    themes = picture.themes
    report.table(
        ["Län", *(theme.name for theme in themes)],
        [
            (
                line.county.short_name,
                *(
                    number(
                        str(assessments[(theme.pk, line.county.pk)])
                        if (theme.pk, line.county.pk) in assessments
                        else "Ej"
                        if (theme.pk, line.county.pk) in not_assessed
                        else "–"
                    )
                    for theme in themes
                ),
            )
            for line in picture.counties
            if line.shown
        ]
        or [("Inget län har skickat in sin rapport än.", *([""] * len(themes)))],
        size=8,
    )
    report.landscape(False)


def _conclusions_chapter(report: Report, picture: NationalExport) -> None:
    conclusions = dict(
        NationalConclusion.objects.filter(round=picture.round).values_list("theme_id", "text")
    )
    report.heading("Sammanfattning och slutsatser", 1)
    report.heading("Departementets samlade slutsatser", 2)
    report.paragraph(conclusions.get(None) or "Ingen samlad slutsats är skriven ännu.")
    report.paragraph(picture.submission)
    report.paragraph(picture.financing)
    report.paragraph(" ".join(picture.register))
    if picture.not_yet_assessed:
        report.paragraph(picture.not_yet_assessed, note=True)
    for theme in picture.themes:
        report.heading(theme.name, 2)
        report.paragraph(
            conclusions.get(theme.pk)
            or "Departementet har inte skrivit någon slutsats om temat än."
        )
        sentences = picture.theme_statements.get(theme.name) or []
        if sentences:
            report.paragraph("Länens bedömningar:", note=True)
            report.bullets(sentences)
