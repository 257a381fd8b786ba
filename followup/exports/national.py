"""The national summary workbook of a round.

Sheets: Slutsatser (the ministry's conclusions on the round as a whole, then how many counties
have submitted and been approved, national financing and its shares, the register's facts
counted as the report counts them, and per theme the ministry's conclusion with statements
generated from the counties' assessments), Nyckeltal per län, Teman och län (assessments with a
colour scale), Finansiering per län (with a native bar chart), Register (lead body, agreement,
partnerships and clusters per county), Projekt and Iakttagelser.

Rules: a county whose report is a draft (or that has no report) shows only that status — its
observations and summary never appear; submitted, returned and approved reports are used.
Submitted and approved reports contribute the key figures frozen when they were submitted;
every other county the live figures of the register. The data sheets show the register as it is now.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from agreements.models import Agreement, County, FinancingSource, Partnership
from core import formats
from followup.exports import statements
from followup.exports.county import project_columns
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
from followup.models import (
    Assessment,
    CountyReport,
    FollowUpRound,
    NationalConclusion,
    ReportStatus,
    Theme,
)
from followup.selectors import exports as rows
from followup.selectors.figures import empty_key_figures, key_figures_by_county

# How the categories read inside a sentence ("… varav staten 50 %, kommunerna 8 % …").
CATEGORY_IN_SENTENCE = {
    FinancingSource.Category.STATE: "staten",
    FinancingSource.Category.COUNTY_COUNCIL: "landsting och regioner",
    FinancingSource.Category.MUNICIPAL: "kommunerna",
    FinancingSource.Category.EU: "EU:s strukturfonder",
    FinancingSource.Category.PRIVATE: "privata medel",
    FinancingSource.Category.OTHER: "övrig finansiering",
}
CONCLUSION_WIDTHS = [34, 16, 10, 16, 10, 44]
OBSERVATION_COLUMNS = [
    Column("Län", 16),
    Column("Tema", 32, Kind.WRAP),
    Column("Bedömning (1–4)", 11, Kind.INTEGER),
    Column("Bedömning", 16),
    Column("Typ", 14),
    Column("Rapportens status", 13),
    Column("Text", 84, Kind.WRAP),
]


@dataclass
class CountyLine:
    county: County
    report: CountyReport | None
    figures: dict
    frozen: bool
    agreement: Agreement | None = None  # in force in the round's year

    @property
    def status(self) -> str | None:
        return self.report.status if self.report else None

    @property
    def shown(self) -> bool:
        return self.status in rows.SHOWN_STATUSES


@dataclass
class NationalExport:
    """What was written, for the command's summary and the tests."""

    round: FollowUpRound
    counties: list[CountyLine]
    themes: list[Theme] = field(default_factory=list)
    submission: str = ""
    financing: str = ""
    theme_statements: dict[str, list[str]] = field(default_factory=dict)
    not_yet_assessed: str = ""  # which counties' assessments the theme sentences lack, once
    register: list[str] = field(default_factory=list)  # sentences counted from the register
    registers: dict[int, dict] = field(default_factory=dict)  # county id → its register
    decided: dict[str, Decimal] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def county_lines(*, round_obj: FollowUpRound) -> list[CountyLine]:
    """Every county with its report (if any) and the key figures the workbook shows for it."""
    year = round_obj.year
    reports = {
        report.county_id: report
        for report in CountyReport.objects.filter(round=round_obj).only(
            "pk", "county_id", "round_id", "status", "frozen_figures", "frozen_at"
        )
    }
    agreements = rows.agreements_in_force(year=year)
    live = key_figures_by_county(year=year, agreements=agreements)
    lines = []
    for county in County.objects.order_by("code"):
        report = reports.get(county.pk)
        figures, frozen = rows.figures_of(
            report=report, live=live.get(county.pk) or empty_key_figures(year=year)
        )
        lines.append(
            CountyLine(
                county=county,
                report=report,
                figures=figures,
                frozen=frozen,
                agreement=agreements.get(county.pk),
            )
        )
    return lines


def round_themes(round_obj: FollowUpRound) -> list[Theme]:
    themes = list(round_obj.themes.order_by("sort_order", "name"))
    return themes or list(Theme.objects.filter(is_active=True).order_by("sort_order", "name"))


def national_picture(*, round_obj: FollowUpRound) -> NationalExport:
    """The round as the national summary reads it: every county with its report and key
    figures, the round's themes, decided financing by category, each county's register, and the
    sentences made of them. The national workbook and the yearly report (``followup.report``)
    both write it, so they say the same (call it with Swedish active)."""
    lines = county_lines(round_obj=round_obj)
    result = NationalExport(round=round_obj, counties=lines, themes=round_themes(round_obj))
    result.decided = {c: Decimal(0) for c in rows.labels(FinancingSource.Category)}
    for line in lines:
        for c, amount in rows.category_amounts(line.figures, rows.DECIDED).items():
            result.decided[c] += amount
    result.registers = rows.county_registers(county_ids=[line.county.pk for line in lines])
    _make_statements(result, result.themes)
    return result


@in_swedish
def write_national_workbook(
    output, *, round_obj: FollowUpRound, progress: Progress | None = None
) -> NationalExport:
    """Write the national workbook of the round to ``output`` (a path or a binary file).

    Ministry staff only (see ``followup.exports.permissions``); the management command runs it
    as the system, with the same rules about drafts.
    """
    year = round_obj.year
    result = national_picture(round_obj=round_obj)
    lines, themes = result.counties, result.themes
    categories = rows.labels(FinancingSource.Category)

    book = Book(
        output,
        title=f"Uppföljning {year} – nationell sammanställning",
        subject=str(round_obj),
        comments="Slutsatser, nyckeltal per län, teman och län, finansiering, registret per län, "
        "projekt och iakttagelser.",
        year=year,
    )
    _write_conclusions(book, result, themes, categories)
    _write_key_figures(book, result)
    _write_theme_matrix(book, result, themes)
    _write_financing(book, result, categories)
    _write_register(book, result)
    agreement_ids = [line.figures["agreement_id"] for line in lines if line.figures["agreement_id"]]
    result.rows["Projekt"] = write_data_sheet(
        book,
        "Projekt",
        project_columns(with_county=True),
        rows.project_rows(agreement_ids=agreement_ids, year=year),
        progress=progress,
    )
    result.rows["Iakttagelser"] = write_data_sheet(
        book,
        "Iakttagelser",
        OBSERVATION_COLUMNS,
        rows.shown_observation_rows(round_id=round_obj.pk),
        progress=progress,
    )
    book.close()
    return result


def _make_statements(result: NationalExport, themes: list[Theme]) -> None:
    lines = result.counties
    count = {status: sum(1 for line in lines if line.status == status) for status in ReportStatus}
    result.submission = statements.submission_statement(
        counties=len(lines),
        submitted=count[ReportStatus.SUBMITTED] + count[ReportStatus.APPROVED],
        approved=count[ReportStatus.APPROVED],
        returned=count[ReportStatus.RETURNED],
        drafts=count[ReportStatus.DRAFT],
        missing=sum(1 for line in lines if line.report is None),
    )
    total = sum(result.decided.values(), Decimal(0))
    result.financing = statements.financing_statement(
        total=total,
        parts=[(CATEGORY_IN_SENTENCE[c], amount) for c, amount in result.decided.items()],
    )
    assessments = rows.theme_assessments(round_id=result.round.pk)
    result.not_yet_assessed = statements.not_yet_assessed_statement(
        [line.county.short_name for line in lines if not line.shown], counties=len(lines)
    )
    for theme in themes:
        given = [
            statements.CountyAssessment(
                code=line.county.code,
                name=line.county.short_name,
                assessment=assessments[(theme.pk, line.county.pk)],
            )
            for line in lines
            if line.shown and (theme.pk, line.county.pk) in assessments
        ]
        result.theme_statements[theme.name] = statements.theme_statements(
            theme_name=theme.name, assessments=given, phrase=theme.phrase
        )
    _make_register_statements(result)


def _make_register_statements(result: NationalExport) -> None:
    """The register's facts as the report counts them: agreements in force, decided financing
    reported, local partnerships and clusters — the counties named in county-code order."""
    lines, registers = result.counties, result.registers
    counties = len(lines)
    with_agreement = [line.county.short_name for line in lines if line.figures["agreement_id"]]
    reported = sum(
        1 for line in lines if sum(rows.category_amounts(line.figures, rows.DECIDED).values())
    )
    local = [
        line.county.short_name
        for line in lines
        if registers[line.county.pk]["by_level"][Partnership.Level.LOCAL]
    ]
    clustered = [line.county.short_name for line in lines if registers[line.county.pk]["clusters"]]
    result.register = [
        statements.counted_statement(
            f"Ett avtal i kraft {result.round.year}", with_agreement, counties=counties
        ),
        statements.reported_financing_statement(reported, counties=counties),
        statements.counted_statement("Lokala partnerskap", local, counties=counties),
        statements.counted_statement("Registrerade kluster", clustered, counties=counties),
    ]


def _write_conclusions(book: Book, result: NationalExport, themes, categories) -> None:
    sheet = Sheet(book, "Slutsatser", widths=CONCLUSION_WIDTHS, title_rows=0)
    f = sheet.f
    sheet.title(
        f"Uppföljning {result.round.year} – sammanfattning och slutsatser",
        f"{result.round} · sammanställd {timezone.localdate():%Y-%m-%d}",
    )
    conclusions = dict(
        NationalConclusion.objects.filter(round=result.round).values_list("theme_id", "text")
    )
    sheet.section("Departementets samlade slutsatser")
    sheet.paragraph(conclusions.get(None) or "Ingen samlad slutsats är skriven ännu.", row_gap=True)

    sheet.section("Länens rapportering")
    sheet.paragraph(result.submission)
    sheet.header(["Rapportens status", "Antal län"])
    sheet.ws.merge_range(sheet.row - 1, 2, sheet.row - 1, 5, "Län", f.header)
    groups = [(str(status.label), status) for status in ReportStatus] + [("Ingen rapport", None)]
    for label, status in groups:
        names = [line.county.short_name for line in result.counties if line.status == status]
        row = sheet.row
        sheet.text(row, 0, label)
        sheet.number(row, 1, len(names), f.integer)
        sheet.paragraph(statements.join_names(names) or "–", first_col=2)

    sheet.section("Finansiering")
    sheet.paragraph(result.financing)
    outcome = {c: Decimal(0) for c in categories}
    for line in result.counties:
        for c, amount in rows.category_amounts(line.figures, rows.OUTCOME).items():
            outcome[c] += amount
    amounts_with_shares(
        sheet,
        headers=["Källkategori", "Beslutat (mnkr)", "Utfall (mnkr)"],
        rows=[(label, [result.decided[c], outcome[c]]) for c, label in categories.items()],
    )
    sheet.paragraph(
        "Inskickade och godkända rapporter bidrar med de nyckeltal som låstes när de skickades "
        "in, övriga län med registrets aktuella uppgifter. Beloppen är angivna så som "
        "aktörerna rapporterat dem; medfinansiering har räknats på olika sätt av olika aktörer.",
        fmt=f.note,
    )

    sheet.section("Registret")
    sheet.paragraph(" ".join(result.register))
    sheet.paragraph("Fler uppgifter per län finns på fliken Register.", fmt=f.note)

    sheet.section("Slutsatser per tema")
    sheet.paragraph(result.not_yet_assessed, row_gap=True)
    for theme in themes:
        row = sheet.row
        sheet.ws.merge_range(row, 0, row, len(CONCLUSION_WIDTHS) - 1, theme.name, f.label)
        sheet.row += 1
        sheet.text(sheet.row, 0, "Departementets slutsats", f.note)
        sheet.paragraph(conclusions.get(theme.pk) or "Ingen slutsats är skriven ännu.", first_col=1)
        sheet.text(sheet.row, 0, "Länens rapporter", f.note)
        sheet.paragraph(" ".join(result.theme_statements[theme.name]), first_col=1, row_gap=True)
    sheet.paragraph(
        "Ett län räknas som att det arbetar med ett tema när dess rapport bedömer temat som "
        f"minst etablerat ({statements.WORKS_WITH.value} på skalan 1–4). Länen nämns med den "
        "starkaste bedömningen först och därefter i länskodsordning. Utkast räknas inte.",
        fmt=f.note,
    )


REGISTER_COLUMNS = [  # wider than a page: printed at 75 % over two pages across
    ("Län", 16),
    ("Ansvarig organisation", 30),
    ("Typ av organisation", 20),
    ("Avtal", 24),
    ("Period", 10),
    ("Regionala partnerskap", 13),
    ("Lokala partnerskap", 13),
    ("Representerande partnerskap", 17),
    ("Agerande partnerskap", 13),
    ("Medlemmar i partnerskapen", 13),
    ("Kluster", 10),
    ("Klusteraktörer", 15),
    ("Klusterlänkar", 15),
    ("Klustrens namn", 40),
]


def _write_register(book: Book, result: NationalExport) -> None:
    """Per county: the lead body and its kind, the agreement and its period, partnerships by
    level and kind with their members, clusters with actors and links; the whole country's
    counts as formulas on the last row."""
    sheet = book.sheet("Register", widths=[w for _h, w in REGISTER_COLUMNS])
    f = sheet.f
    sheet.header([h for h, _w in REGISTER_COLUMNS], height=45)
    sheet.ws.freeze_panes(1, 1)
    first = sheet.row
    count_columns = range(5, 13)
    totals = dict.fromkeys(count_columns, 0)
    for line in result.counties:
        row, agreement = sheet.row, line.agreement
        register = result.registers[line.county.pk]
        clusters = statements.join_names(register["clusters"]) or "–"
        texts = {13: clusters}
        if agreement is not None:
            texts |= {1: agreement.lead_body.name, 2: agreement.lead_body.kind.name}
        sheet.fit_row(row, texts)
        sheet.text(row, 0, line.county.short_name)
        if agreement is not None:
            sheet.text(row, 1, agreement.lead_body.name, wrap=True)
            sheet.text(row, 2, agreement.lead_body.kind.name, wrap=True)
            sheet.text(row, 3, agreement.get_kind_display(), wrap=True)
            sheet.text(row, 4, f"{agreement.start_year}–{agreement.end_year}")
        else:
            sheet.text(row, 1, "Inget avtal i kraft")
        counts = [
            register["by_level"][Partnership.Level.REGIONAL],
            register["by_level"][Partnership.Level.LOCAL],
            register["by_kind"][Partnership.Kind.REPRESENTING],
            register["by_kind"][Partnership.Kind.ACTING],
            register["members"],
            len(register["clusters"]),
            register["cluster_actors"],
            register["cluster_links"],
        ]
        for col, value in zip(count_columns, counts, strict=True):
            sheet.number(row, col, value, f.integer)
            totals[col] += value
        sheet.text(row, 13, clusters, wrap=True)
        sheet.row += 1
    last = sheet.row - 1
    row = sheet.row
    sheet.text(row, 0, "Hela landet", f.total_label)
    for col in count_columns:
        formula = sum_formula((first, col), (last, col), cells=len(result.counties))
        sheet.formula(row, col, formula, totals[col], f.total_integer)
    sheet.row += 2
    sheet.paragraph(
        "Registrets uppgifter i dag. Ett kluster som flera län delar räknas i vart och ett av dem "
        "(och därför flera gånger på raden Hela landet).",
        fmt=f.note,
    )
    sheet.ws.autofilter(0, 0, last, len(REGISTER_COLUMNS) - 1)


def _write_key_figures(book: Book, result: NationalExport) -> None:
    headers = [
        ("Län", 18),
        ("Länskod", 8),
        ("Rapportens status", 13),
        ("Nyckeltal", 12),
        ("Projekt", 10),
        ("Ram (mnkr)", 13),
        ("Beslutat (mnkr)", 13),
        ("Utfall (mnkr)", 13),
        ("Beslutat av ram", 11),
        ("Utfall av beslutat", 11),
        ("Statens andel av beslutat", 12),
        ("Privat andel av beslutat", 12),
    ]
    sheet = book.sheet("Nyckeltal per län", widths=[w for _h, w in headers])
    f = sheet.f
    sheet.header([h for h, _w in headers], height=45)
    sheet.ws.freeze_panes(1, 1)
    # Two hidden helper columns hold the state and private amounts the shares are read from.
    sheet.ws.set_column(12, 13, 12, None, {"hidden": True})
    first = sheet.row
    statuses = rows.labels(ReportStatus)
    totals = {"projects": 0, "frame": Decimal(0), "decided": Decimal(0), "outcome": Decimal(0)}
    totals.update(state=Decimal(0), private=Decimal(0))
    for line in result.counties:
        row = sheet.row
        figures = line.figures
        decided = rows.category_amounts(figures, rows.DECIDED)
        values = {
            "projects": figures["projects"]["total"],
            "frame": sum((Decimal(a["frame"]) for a in figures["by_priority_area"]), Decimal(0)),
            "decided": sum(decided.values(), Decimal(0)),
            "outcome": sum(rows.category_amounts(figures, rows.OUTCOME).values(), Decimal(0)),
            "state": decided[FinancingSource.Category.STATE],
            "private": decided[FinancingSource.Category.PRIVATE],
        }
        for key, value in values.items():
            totals[key] += value
        sheet.text(row, 0, line.county.short_name)
        sheet.text(row, 1, line.county.code)
        sheet.text(row, 2, statuses.get(line.status, "Ingen rapport"))
        sheet.text(row, 3, "Låsta" if line.frozen else "Aktuella")
        _key_figure_cells(sheet, row, values, total=False)
        sheet.row += 1
    last = sheet.row - 1
    row = sheet.row
    sheet.text(row, 0, "Hela landet", f.total_label)
    for col, key, fmt in (
        (4, "projects", f.total_integer),
        (5, "frame", f.total_mnkr),
        (6, "decided", f.total_mnkr),
        (7, "outcome", f.total_mnkr),
    ):
        formula = sum_formula((first, col), (last, col), cells=len(result.counties))
        sheet.formula(row, col, formula, totals[key], fmt)
    _key_figure_cells(sheet, row, {**totals, "counties": len(result.counties)}, total=True)
    sheet.row += 2
    sheet.paragraph(
        "Låsta: nyckeltalen från en inskickad eller godkänd rapport, som de var när den skickades "
        "in. Aktuella: registrets uppgifter i dag. Statens och den privata andelen räknas på "
        "beslutad finansiering.",
        fmt=f.note,
    )
    sheet.ws.autofilter(0, 0, last, len(headers) - 1)


def _key_figure_cells(sheet: Sheet, row: int, values: dict, *, total: bool) -> None:
    f = sheet.f
    pct = f.total_percent if total else f.percent
    if not total:
        sheet.number(row, 4, values["projects"], f.integer)
        sheet.number(row, 5, values["frame"], f.mnkr)
        sheet.number(row, 6, values["decided"], f.mnkr)
        sheet.number(row, 7, values["outcome"], f.mnkr)
        sheet.number(row, 12, values["state"], f.mnkr)
        sheet.number(row, 13, values["private"], f.mnkr)
    else:
        for col, key in ((12, "state"), (13, "private")):
            formula = sum_formula((1, col), (row - 1, col), cells=values["counties"])
            sheet.formula(row, col, formula, values[key], f.total_mnkr)
    decided = values["decided"]
    ratios = (
        (8, 6, 5, share(decided, values["frame"])),
        (9, 7, 6, share(values["outcome"], decided)),
        (10, 12, 6, share(values["state"], decided)),
        (11, 13, 6, share(values["private"], decided)),
    )
    for col, numerator, denominator, value in ratios:
        sheet.formula(
            row,
            col,
            f"=IF({cell(row, denominator)}=0,0,{cell(row, numerator)}/{cell(row, denominator)})",
            value,
            pct,
        )


def _write_theme_matrix(book: Book, result: NationalExport, themes: list[Theme]) -> None:
    lines = result.counties
    widths = [40] + [4.5] * len(lines) + [12]
    sheet = book.sheet("Teman och län", widths=widths)
    f = sheet.f
    statuses = rows.labels(ReportStatus)
    sheet.ws.set_row(0, 180)  # room for "Södermanland (returnerad)" turned on its side
    sheet.text(0, 0, "Tema (länets rapportstatus inom parentes)", f.header)
    for col, line in enumerate(lines, start=1):
        status = statuses.get(line.status, "ingen rapport").lower()
        sheet.text(0, col, f"{line.county.short_name} ({status})", f.header_rotated)
    last_col = len(lines) + 1
    sheet.text(0, last_col, "Län med minst etablerat arbete (3–4)", f.header)
    sheet.ws.freeze_panes(1, 1)
    assessments = rows.theme_assessments(round_id=result.round.pk)
    not_assessed = rows.themes_not_assessed(round_id=result.round.pk)
    row = 1
    for theme in themes:
        height = sheet.height_for(theme.name, 0, 0)
        if any((theme.pk, line.county.pk) in not_assessed for line in lines if line.shown):
            height = max(height, 24)  # room for "Ej bedömt" on two lines
        sheet.ws.set_row(row, height)
        sheet.text(row, 0, theme.name, wrap=True)
        strong = 0
        for col, line in enumerate(lines, start=1):
            value = assessments.get((theme.pk, line.county.pk)) if line.shown else None
            if value is None and line.shown and (theme.pk, line.county.pk) in not_assessed:
                # Text, not a level: outside the colour scale and the count beside it.
                sheet.ws.write_string(row, col, "Ej bedömt", f.not_assessed)
            elif value is None:
                sheet.ws.write_blank(row, col, None, f.assessment)
            else:
                sheet.ws.write_number(row, col, value, f.assessment)
                strong += value >= statements.WORKS_WITH
        sheet.formula(
            row,
            last_col,
            f'=COUNTIF({cell(row, 1)}:{cell(row, len(lines))},">={statements.WORKS_WITH}")',
            strong,
            f.integer,
        )
        row += 1
    if themes:
        sheet.ws.conditional_format(
            1,
            1,
            row - 1,
            len(lines),
            {
                "type": "3_color_scale",
                "min_type": "num",
                "min_value": Assessment.NONE,
                "min_color": "#F8696B",
                "mid_type": "num",
                "mid_value": 2.5,
                "mid_color": "#FFEB84",
                "max_type": "num",
                "max_value": Assessment.STRONG,
                "max_color": "#63BE7B",
            },
        )
    sheet.row = row + 1
    legend = "; ".join(str(label) for _value, label in Assessment.scale())
    sheet.paragraph(
        f"Skala: {legend}. ”Ej bedömt”: länet har valt att inte bedöma temat (med ett skäl); "
        "det räknas inte i färgskalan, i antalet eller i meningarna. Tomt: utkast, ingen rapport "
        "eller ingen bedömning. Flera iakttagelser om samma tema räknas med den högsta "
        "bedömningen.",
        fmt=f.note,
    )


def _write_financing(book: Book, result: NationalExport, categories: dict[str, str]) -> None:
    name = "Finansiering per län"
    lines = result.counties
    widths = [18] + [14] * len(categories) + [14]
    # No repeated header: the table fits its page, and the chart has a page of its own.
    sheet = book.sheet(name, widths=widths, title_rows=0)
    f = sheet.f
    sheet.header(
        ["Län", *(f"{label} (mnkr)" for label in categories.values()), "Totalt (mnkr)"], height=45
    )
    sheet.ws.freeze_panes(1, 1)
    first = sheet.row
    columns = list(categories)
    total_col = len(columns) + 1
    data: dict[str, list[float]] = {c: [] for c in columns}
    for line in lines:
        row = sheet.row
        decided = rows.category_amounts(line.figures, rows.DECIDED)
        sheet.text(row, 0, line.county.short_name)
        for col, c in enumerate(columns, start=1):
            sheet.number(row, col, decided[c], f.mnkr)
            data[c].append(float(decided[c]))
        sheet.formula(
            row,
            total_col,
            sum_formula((row, 1), (row, len(columns)), cells=len(decided)),
            sum(decided.values(), Decimal(0)),
            f.mnkr,
        )
        sheet.row += 1
    last = sheet.row - 1
    total_row = sheet.row
    sheet.text(total_row, 0, "Hela landet", f.total_label)
    grand = sum(result.decided.values(), Decimal(0))
    for col in range(1, total_col + 1):
        value = grand if col == total_col else result.decided[columns[col - 1]]
        sheet.formula(
            total_row,
            col,
            sum_formula((first, col), (last, col), cells=len(lines)),
            value,
            f.total_mnkr,
        )
    share_row = total_row + 1
    sheet.text(share_row, 0, "Andel", f.total_label)
    for col in range(1, total_col + 1):
        value = grand if col == total_col else result.decided[columns[col - 1]]
        sheet.formula(
            share_row,
            col,
            f"=IF({cell(total_row, total_col)}=0,0,{cell(total_row, col)}/"
            f"{cell(total_row, total_col)})",
            share(value, grand),
            f.total_percent,
        )
    sheet.row = share_row + 2
    sheet.paragraph(
        "Beslutad finansiering i miljoner kronor. Inskickade och godkända rapporter bidrar med "
        "sina låsta nyckeltal, övriga län med registrets aktuella uppgifter.",
        fmt=f.note,
    )

    # The chart reads plain values (not formulas) and carries them cached, so it shows in a
    # program that does not recompute; constant_memory mode cannot cache them by itself.
    chart = book.xlsx.add_chart({"type": "bar", "subtype": "stacked"})
    county_names = [line.county.short_name for line in lines]
    for col, c in enumerate(columns, start=1):
        chart.add_series(
            {
                "name": categories[c],
                "categories": [name, first, 0, last, 0],
                "values": [name, first, col, last, col],
                "categories_data": county_names,
                "values_data": data[c],
                "gap": 40,
            }
        )
    chart.set_title({"name": "Beslutad finansiering per län och källkategori"})
    chart.set_x_axis({"name": "Miljoner kronor", "num_format": formats.MNKR_AXIS})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 820, "height": 560})
    sheet.ws.set_h_pagebreaks([sheet.row + 1])  # the chart on a page of its own
    sheet.ws.insert_chart(sheet.row + 1, 0, chart)
