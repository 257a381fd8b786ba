"""A thin layer over XlsxWriter: a workbook with Swedish formats and print setup, sheets written
top to bottom (``constant_memory`` mode keeps only the current row), and data sheets streamed
from an iterator of tuples.

Every cell goes through a writer chosen by its column's kind, so text is always written as a
string (quote-prefixed when it looks like a formula), numbers as numbers and dates as dates.
"""

import datetime
import functools
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

import xlsxwriter
from django.conf import settings
from django.utils import timezone, translation

from core.formats import FORMULA_PREFIXES
from followup.exports.styles import CellFormats

PROGRESS_EVERY = 10_000
# Printing on A4 landscape with half-inch margins: about this many column-width units fit a page
# at 100 %. A sheet is fitted to the page's width only while its type stays readable (11-point
# text scaled to 75 % prints at 8 points); a wider sheet prints at 75 % over several pages
# across, its first column repeated on each.
PAGE_WIDTH_UNITS = 140
MIN_PRINT_SCALE = 75
ROW_HEIGHT = 15  # points per line of 11-point text
MAX_ROW_HEIGHT = 409  # Excel's limit
# Characters of running text per column-width unit, on the safe side: Calibri fits more, the
# wider fonts that stand in for it where it is missing (DejaVu Sans in LibreOffice) about one.
CHARS_PER_UNIT = 1.0
AUTHOR = "Näringsdepartementet – uppföljning av regionala tillväxtavtal"

Progress = Callable[[str, int], None]


def in_swedish(write: Callable) -> Callable:
    """The county and national workbooks are Swedish whatever language the page that asks for
    them is read in: their headings and sentences are written in Swedish, and so, with this,
    are the labels and the reference rows' names they read (``core.languages``)."""

    @functools.wraps(write)
    def in_the_source_language(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return write(*args, **kwargs)

    return in_the_source_language


class Kind(Enum):
    TEXT = "text"
    WRAP = "wrap"  # long text, wrapped in a wide column
    INTEGER = "integer"
    YEAR = "year"  # a number never grouped: 2001, not 2 001
    KRONOR = "kronor"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: Kind = Kind.TEXT


@functools.lru_cache(maxsize=8192)  # names recur: a project's title on each of its lines
def lines_needed(text: str, width: float) -> int:
    """How many lines ``text`` takes when wrapped at word boundaries in a column ``width`` units
    wide (each paragraph at least one line)."""
    per_line = max(1, int(width * CHARS_PER_UNIT))
    lines = 0
    for part in str(text).split("\n"):
        if len(part) <= per_line:
            lines += 1
        else:
            lines += len(textwrap.wrap(part, per_line, break_on_hyphens=False)) or 1
    return lines


def row_height(lines: int) -> float:
    return min(MAX_ROW_HEIGHT, max(ROW_HEIGHT, ROW_HEIGHT * lines))


def as_number(value) -> float | int:
    return float(value) if isinstance(value, Decimal | str) else value


class Book:
    """An .xlsx file being written: formats, document properties, sheets in order."""

    def __init__(self, output, *, title: str, subject: str, comments: str = "", year=None):
        self.xlsx = xlsxwriter.Workbook(
            output,
            {
                "constant_memory": True,
                # Never guess: a string is a string, whatever it looks like.
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "default_date_format": "yyyy-mm-dd",
                "remove_timezone": True,
                # Every cell reads from the top of its row, so a row made tall for a wrapped
                # text keeps the rest of its cells beside the text's first line.
                "default_format_properties": {
                    "font_name": "Calibri",
                    "font_size": 11,
                    "valign": "top",
                },
            },
        )
        self.formats = CellFormats.for_workbook(self.xlsx)
        self.xlsx.set_properties(
            {
                "title": title,
                "subject": subject,
                "author": AUTHOR,
                "company": "Näringsdepartementet",
                "comments": comments,
                "keywords": "tillväxtavtal, uppföljning",
                "created": timezone.now().replace(tzinfo=None),
            }
        )
        if year is not None:
            self.xlsx.set_custom_property("Uppföljningsomgång", int(year))

    def sheet(self, name: str, *, widths: Sequence[float], title_rows: int = 1) -> "Sheet":
        return Sheet(self, name, widths=widths, title_rows=title_rows)

    def close(self) -> None:
        self.xlsx.close()


class Sheet:
    """One worksheet, written row by row from the top (``self.row`` is the next free row)."""

    def __init__(self, book: Book, name: str, *, widths: Sequence[float], title_rows: int):
        self.book = book
        self.name = name
        self.f = book.formats
        self.ws = book.xlsx.add_worksheet(name)
        self.row = 0
        self.widths = list(widths)
        for col, width in enumerate(widths):
            self.ws.set_column(col, col, width)
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(9)  # A4
        if sum(widths) * MIN_PRINT_SCALE / 100 <= PAGE_WIDTH_UNITS:
            ws.fit_to_pages(1, 0)  # fit to the page's width, as many pages down as needed
        else:  # too wide to fit and stay readable: 75 %, pages across, the first column on each
            ws.set_print_scale(MIN_PRINT_SCALE)
            ws.repeat_columns(0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_footer("&C&A · sida &P av &N")
        if title_rows:
            ws.repeat_rows(0, title_rows - 1)

    # --- single cells ---------------------------------------------------------------------

    def text(self, row: int, col: int, value, fmt=None, *, wrap: bool = False) -> None:
        if value is None or value == "":
            return
        value = str(value)
        if value.startswith(FORMULA_PREFIXES):
            fmt = self.f.wrap_quoted if wrap else self.f.text_quoted
        elif fmt is None:
            fmt = self.f.wrap if wrap else self.f.text
        self.ws.write_string(row, col, value, fmt)

    def number(self, row: int, col: int, value, fmt=None) -> None:
        if value is None:
            return
        self.ws.write_number(row, col, as_number(value), fmt or self.f.kronor)

    def date(self, row: int, col: int, value, fmt=None) -> None:
        if value is None:
            return
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value
        self.ws.write_datetime(row, col, value, fmt or self.f.date)

    def formula(self, row: int, col: int, formula: str, value, fmt) -> None:
        """A formula with its computed value cached, for programs that do not recompute."""
        self.ws.write_formula(row, col, formula, fmt, as_number(value))

    # --- layout of a summary sheet ----------------------------------------------------------

    def title(self, text: str, subtitle: str = "") -> None:
        self.ws.set_row(self.row, 24)
        self.text(self.row, 0, text, self.f.title)
        self.row += 1
        if subtitle:
            self.text(self.row, 0, subtitle, self.f.subtitle)
            self.row += 1
        self.row += 1

    def section(self, text: str) -> None:
        if self.row > 3:
            self.row += 1
        last = len(self.widths) - 1
        self.ws.merge_range(self.row, 0, self.row, last, text, self.f.section)
        self.row += 1

    def pair(self, label: str, value, kind: Kind = Kind.TEXT) -> None:
        self.text(self.row, 0, label, self.f.label)
        if kind is Kind.DATE:
            self.date(self.row, 1, value)
        elif kind is Kind.INTEGER:
            self.number(self.row, 1, value, self.f.integer)
        else:
            self.text(self.row, 1, value if value not in (None, "") else "–")
        self.row += 1

    def paragraph(self, text: str, *, first_col: int = 0, fmt=None, row_gap: bool = False):
        """Text wrapped over the columns from ``first_col`` to the last, tall enough to read."""
        last = len(self.widths) - 1
        value = str(text or "")
        self.ws.set_row(self.row, self.height_for(value, first_col, last))
        if value.startswith(FORMULA_PREFIXES):
            fmt = self.f.wrap_quoted
        if first_col == last:
            self.text(self.row, first_col, value, fmt or self.f.wrap, wrap=True)
        else:
            self.ws.merge_range(self.row, first_col, self.row, last, "", fmt or self.f.wrap)
            if value:
                self.ws.write_string(self.row, first_col, value, fmt or self.f.wrap)
        self.row += 2 if row_gap else 1

    def height_for(self, text: str, first_col: int, last_col: int) -> float:
        return row_height(lines_needed(text, sum(self.widths[first_col : last_col + 1])))

    def fit_row(self, row: int, texts: dict[int, str]) -> None:
        """Make ``row`` as tall as the longest of ``texts`` (column → text) needs, wrapped."""
        lines = max(
            (lines_needed(text, self.widths[col]) for col, text in texts.items()), default=1
        )
        if lines > 1:
            self.ws.set_row(row, row_height(lines))

    def header(self, labels: Sequence[str], *, fmt=None, height: float | None = None) -> int:
        row = self.row
        if height:
            self.ws.set_row(row, height)
        for col, label in enumerate(labels):
            self.text(row, col, label, fmt or self.f.header)
        self.row += 1
        return row

    # --- data sheets ------------------------------------------------------------------------

    def stream(self, columns: Sequence[Column], rows: Iterable[Sequence], progress=None) -> int:
        """Write ``rows`` under the current row, one writer per column; returns the count."""
        writers = [self._writer(column.kind) for column in columns]
        # Wrapped columns: each row made as tall as its longest text needs, so nothing is cut
        # off in print or overlaps the row below.
        # (A text that fits one line, the usual case, costs a length comparison.)
        wrapped = [
            (col, c.width, int(c.width * CHARS_PER_UNIT))
            for col, c in enumerate(columns)
            if c.kind is Kind.WRAP
        ]
        set_row = self.ws.set_row
        start = row = self.row
        for values in rows:
            tallest = 1
            for col, width, per_line in wrapped:
                value = values[col]
                if value and (len(value) > per_line or "\n" in value):
                    tallest = max(tallest, lines_needed(value, width))
            if tallest > 1:
                set_row(row, row_height(tallest))
            for col, value in enumerate(values):
                if value is not None:
                    writers[col](row, col, value)
            row += 1
            if progress is not None and (row - start) % PROGRESS_EVERY == 0:
                progress(self.name, row - start)
        self.row = row
        return row - start

    def _writer(self, kind: Kind):
        ws, f = self.ws, self.f
        write_string, write_number = ws.write_string, ws.write_number
        if kind in (Kind.TEXT, Kind.WRAP):
            # Short text needs no format of its own (the default style): less work per cell on
            # the big sheets. Formula-like text always gets the quote prefix.
            plain, quoted = (f.wrap, f.wrap_quoted) if kind is Kind.WRAP else (None, f.text_quoted)

            def text(row, col, value):
                if value:
                    write_string(row, col, value, quoted if value[0] in _PREFIX_CHARS else plain)

            return text
        if kind is Kind.DATE:
            write_datetime, date_format = ws.write_datetime, f.date

            def date(row, col, value):
                write_datetime(row, col, value, date_format)

            return date
        number_format = {Kind.INTEGER: f.integer, Kind.YEAR: f.year}.get(kind, f.kronor)

        def number(row, col, value):
            write_number(row, col, value, number_format)

        return number


_PREFIX_CHARS = "".join(FORMULA_PREFIXES)


def write_data_sheet(
    book: Book,
    name: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    *,
    progress: Progress | None = None,
) -> int:
    """A data sheet: a frozen, filtered, repeated header row and the rows under it."""
    sheet = book.sheet(name, widths=[column.width for column in columns])
    sheet.header([column.header for column in columns], height=32)
    sheet.ws.freeze_panes(1, 0)
    count = sheet.stream(columns, rows, progress)
    sheet.ws.autofilter(0, 0, max(count, 1), len(columns) - 1)
    if progress is not None:
        progress(name, count)
    return count
