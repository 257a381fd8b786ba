"""The filtered lists as CSV and Excel files: the same selector as the page, so the same rows.

CSV is written for Swedish Excel: UTF-8 with a byte order mark, semicolons between fields and a
decimal comma. Text that a spreadsheet would take for a formula (= + - @, tab, carriage return)
gets an apostrophe in front in CSV and is written as a quoted string in Excel. Both are streamed
from ``.iterator()``: the whole country's projects never sit in memory at once.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Project
from core import languages
from core.downloads import CSV, file_response, workbook_response
from core.formats import FORMULA_PREFIXES
from followup.exports.writer import Book, Column, Kind, write_data_sheet
from followup.models import Assessment, Observation, ReportStatus
from followup.models.reports import SCALE

CHUNK = 2000
BOM = "\ufeff"


@dataclass(frozen=True)
class Table:
    """What a list downloads: a file name stem, a sheet name, columns, the fields read for them
    (plain values, not model instances: ten times faster for the whole country; a reference
    row's name in the active language, ``languages.display_name_of``) and a function from those
    values to a row."""

    stem: str
    sheet: str
    columns: list[Column]
    fields: tuple
    row: Callable[[tuple], tuple]


def _labels(choices) -> Callable[[object], str]:
    labels = {value: str(label) for value, label in choices}
    return lambda value: labels.get(value, "") if value is not None else ""


def projects_table() -> Table:
    status = _labels(Project.Status.choices)
    return Table(
        stem="projekt",
        sheet=_("Projekt"),
        columns=[
            Column(_("Länskod"), 8),
            Column(_("Län"), 18),
            Column(_("Diarienummer"), 16),
            Column(_("Projektnamn"), 40),
            Column(_("Projektägare"), 30),
            Column(_("Typ av projektägare"), 20),
            Column(_("Kommun"), 16),
            Column(_("Åtgärd"), 30),
            Column(_("Status"), 12),
            Column(_("Startdatum"), 12, Kind.DATE),
            Column(_("Slutdatum"), 12, Kind.DATE),
            Column(_("Beslutat (kr)"), 16, Kind.KRONOR),
        ],
        fields=(
            "county__code",
            languages.display_name_of("county"),
            "reference_number",
            "title",
            "owner__name",
            languages.display_name_of("owner__kind"),
            "municipality__name",
            "measure__priority_area__number",
            "measure__number",
            "measure__name",
            "status",
            "start_date",
            "end_date",
            "decided_total",
        ),
        row=lambda v: (
            *v[:6],
            v[6] or "",
            f"{v[7]}.{v[8]} {v[9]}",
            status(v[10]),
            v[11],
            v[12],
            v[13] if v[13] is not None else Decimal(0),
        ),
    )


def observations_table() -> Table:
    assessment, kind, status = (
        _labels(Assessment.choices),
        _labels(Observation.Kind.choices),
        _labels(ReportStatus.choices),
    )
    return Table(
        stem="iakttagelser",
        sheet=_("Iakttagelser"),
        columns=[
            Column(_("Omgång"), 8, Kind.YEAR),
            Column(_("Länskod"), 8),
            Column(_("Län"), 18),
            Column(_("Tema"), 30),
            Column(_("Bedömning (1–4)"), 8, Kind.INTEGER),
            Column(_("Bedömning (text)"), 18),
            Column(_("Skäl till att temat inte bedöms"), 30, Kind.WRAP),
            Column(_("Typ"), 14),
            Column(_("Rapportens status"), 12),
            Column(_("Text"), 80, Kind.WRAP),
        ],
        fields=(
            "report__round__year",
            "report__county__code",
            languages.display_name_of("report__county"),
            languages.display_name_of("theme"),
            "assessment",
            "not_assessed_reason",
            "kind",
            "report__status",
            "text",
        ),
        # "Ej bedömt" is a text, never a number a sum or an average could count.
        row=lambda v: (
            *v[:4],
            v[4] if v[4] in SCALE else None,
            assessment(v[4]),
            v[5],
            kind(v[6]),
            status(v[7]),
            v[8],
        ),
    )


def organisations_table() -> Table:
    return Table(
        stem="organisationer",
        sheet=_("Organisationer"),
        columns=[
            Column(_("Namn"), 40),
            Column(_("Typ av aktör"), 24),
            Column(_("Organisationsnummer"), 16),
            Column(_("Hemlän"), 18),
            Column(_("Hemkommun"), 16),
        ],
        fields=(
            "name",
            languages.display_name_of("kind"),
            "org_number",
            languages.display_name_of("county"),
            "municipality__name",
        ),
        row=lambda v: (v[0], v[1], v[2], v[3] or "", v[4] or ""),
    )


def _filename(table: Table, extension: str) -> str:
    return f"{table.stem}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _rows(table: Table, queryset) -> Iterator[tuple]:
    for values in queryset.values_list(*table.fields).iterator(chunk_size=CHUNK):
        yield table.row(values)


# --- CSV ---------------------------------------------------------------------------------------


def inert(text: str) -> str:
    """Text a spreadsheet will not run: a leading = + - @ tab or return gets an apostrophe."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def csv_value(value, kind: Kind) -> str:
    if value is None or value == "":
        return ""
    if kind is Kind.KRONOR:
        return f"{Decimal(value):.2f}".replace(".", ",")
    if kind in (Kind.INTEGER, Kind.YEAR):
        return str(int(value))
    if kind is Kind.DATE:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    return inert(str(value))


def write_csv(file, table: Table, rows: Iterable[tuple]) -> None:
    """The header and ``rows`` as CSV into the binary ``file`` (UTF-8 with a byte order mark)."""
    text = io.TextIOWrapper(file, encoding="utf-8", newline="")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    kinds = [column.kind for column in table.columns]
    text.write(BOM)
    writer.writerow([inert(column.header) for column in table.columns])
    writer.writerows(
        [csv_value(value, kind) for value, kind in zip(row, kinds, strict=True)] for row in rows
    )
    text.flush()
    text.detach()  # the file stays open for the response


def csv_response(table: Table, queryset) -> FileResponse:
    return file_response(
        lambda file: write_csv(file, table, _rows(table, queryset)),
        filename=_filename(table, "csv"),
        content_type=CSV,
    )


# --- Excel -------------------------------------------------------------------------------------


def _xlsx_values(table: Table, rows: Iterable[tuple]) -> Iterator[tuple]:
    kinds = [column.kind for column in table.columns]
    for row in rows:
        yield tuple(
            float(value) if kind is Kind.KRONOR and value is not None else value
            for value, kind in zip(row, kinds, strict=True)
        )


def xlsx_response(table: Table, queryset, *, title: str):
    def write(file):
        book = Book(file, title=title, subject=title)
        write_data_sheet(
            book, table.sheet, table.columns, _xlsx_values(table, _rows(table, queryset))
        )
        book.close()

    return workbook_response(write, filename=_filename(table, "xlsx"))
