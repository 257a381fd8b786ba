"""The filtered lists as CSV and Excel files: the same selector as the page, so the same rows.

CSV is written for Swedish Excel: UTF-8 with a byte order mark, semicolons between fields and a
decimal comma. Text that a spreadsheet would take for a formula (= + - @, tab, carriage return)
gets an apostrophe in front in CSV and is written as a quoted string in Excel. Both are streamed
from ``.iterator()``: the whole country's projects never sit in memory at once.
"""

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from followup.exports.downloads import workbook_response
from followup.exports.styles import FORMULA_PREFIXES
from followup.exports.writer import Book, Column, Kind, write_data_sheet

CHUNK = 2000
BOM = "\ufeff"


@dataclass(frozen=True)
class Table:
    """What a list downloads: a file name stem, a sheet name, columns and a row per object."""

    stem: str
    sheet: str
    columns: list[Column]
    row: Callable[[object], tuple]


def _kronor(value) -> Decimal:
    return value if value is not None else Decimal(0)


def projects_table() -> Table:
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
        row=lambda p: (
            p.county.code,
            p.county.name,
            p.reference_number,
            p.title,
            p.owner.name,
            p.owner.kind.name,
            p.municipality.name if p.municipality else "",
            f"{p.measure.priority_area.number}.{p.measure.number} {p.measure.name}",
            p.get_status_display(),
            p.start_date,
            p.end_date,
            _kronor(p.decided_total),
        ),
    )


def observations_table() -> Table:
    return Table(
        stem="iakttagelser",
        sheet=_("Iakttagelser"),
        columns=[
            Column(_("Omgång"), 8, Kind.INTEGER),
            Column(_("Länskod"), 8),
            Column(_("Län"), 18),
            Column(_("Tema"), 30),
            Column(_("Bedömning"), 8, Kind.INTEGER),
            Column(_("Bedömning (text)"), 18),
            Column(_("Typ"), 14),
            Column(_("Rapportens status"), 12),
            Column(_("Text"), 80, Kind.WRAP),
        ],
        row=lambda o: (
            o.report.round.year,
            o.report.county.code,
            o.report.county.name,
            o.theme.name,
            o.assessment,
            o.get_assessment_display() if o.assessment else "",
            o.get_kind_display(),
            o.report.get_status_display(),
            o.text,
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
        row=lambda o: (
            o.name,
            o.kind.name,
            o.org_number,
            o.county.name if o.county else "",
            o.municipality.name if o.municipality else "",
        ),
    )


def _filename(table: Table, extension: str) -> str:
    return f"{table.stem}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _rows(table: Table, queryset) -> Iterator[tuple]:
    for obj in queryset.iterator(chunk_size=CHUNK):
        yield table.row(obj)


# --- CSV ---------------------------------------------------------------------------------------


def inert(text: str) -> str:
    """Text a spreadsheet will not run: a leading = + - @ tab or return gets an apostrophe."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def csv_value(value, kind: Kind) -> str:
    if value is None or value == "":
        return ""
    if kind is Kind.KRONOR:
        return f"{Decimal(value):.2f}".replace(".", ",")
    if kind is Kind.INTEGER:
        return str(int(value))
    if kind is Kind.DATE:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    return inert(str(value))


class _Line:
    """A file-like object that hands back what csv.writer writes, one line at a time."""

    def write(self, value):
        return value


def csv_lines(table: Table, rows: Iterable[tuple]) -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    kinds = [column.kind for column in table.columns]
    yield BOM + writer.writerow([inert(column.header) for column in table.columns])
    for row in rows:
        yield writer.writerow(
            [csv_value(value, kind) for value, kind in zip(row, kinds, strict=True)]
        )


def csv_response(table: Table, queryset) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(table, _rows(table, queryset)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "csv")}"'
    return response


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
