"""Cell formats of the workbooks, and text written so that no spreadsheet program runs it.

Number formats use Excel's built-in codes; a Swedish spreadsheet program shows ``#,##0`` with a
space as thousands separator and a decimal comma. Amounts are kept in kronor in the cells, and
summary sheets show them in millions with the ``#,##0.0,,`` format (the value stays exact).
"""

from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

# A text cell beginning with one of these could be taken for a formula (or, pasted into a CSV,
# run as one). Such text is written as a string with a quote prefix: shown and kept as text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

KRONOR = "#,##0"
MSEK = "#,##0.0,,"
INTEGER = "#,##0"
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"

HEADER_FILL = "#DCE6F1"
TITLE_COLOUR = "#1F3864"


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


@dataclass
class CellFormats:
    """The formats a sheet writes with; each text format has a quote-prefixed twin."""

    title: Format
    subtitle: Format
    section: Format
    label: Format
    note: Format
    header: Format
    header_rotated: Format
    text: Format
    text_quoted: Format
    wrap: Format
    wrap_quoted: Format
    integer: Format
    kronor: Format
    msek: Format
    percent: Format
    date: Format
    total_label: Format
    total_integer: Format
    total_kronor: Format
    total_msek: Format
    total_percent: Format
    assessment: Format
    not_assessed: Format

    @classmethod
    def for_workbook(cls, book: Workbook) -> "CellFormats":
        add = book.add_format
        base = {"valign": "top"}
        total = {"bold": True, "top": 1, "valign": "top"}
        return cls(
            title=add({"bold": True, "font_size": 16, "font_color": TITLE_COLOUR}),
            subtitle=add({"font_size": 12, "font_color": TITLE_COLOUR}),
            section=add({"bold": True, "font_size": 12, "font_color": TITLE_COLOUR, "bottom": 1}),
            label=add({"bold": True, "valign": "top"}),
            note=add({"italic": True, "font_color": "#595959", "text_wrap": True, **base}),
            header=add(
                {"bold": True, "bg_color": HEADER_FILL, "bottom": 1, "text_wrap": True, **base}
            ),
            header_rotated=add(
                {
                    "bold": True,
                    "bg_color": HEADER_FILL,
                    "bottom": 1,
                    "rotation": 90,
                    "align": "center",
                }
            ),
            text=add(base),
            text_quoted=add({"quote_prefix": True, **base}),
            wrap=add({"text_wrap": True, **base}),
            wrap_quoted=add({"text_wrap": True, "quote_prefix": True, **base}),
            integer=add({"num_format": INTEGER, **base}),
            kronor=add({"num_format": KRONOR, **base}),
            msek=add({"num_format": MSEK, **base}),
            percent=add({"num_format": PERCENT, **base}),
            date=add({"num_format": DATE, "align": "left", **base}),
            total_label=add(total),
            total_integer=add({"num_format": INTEGER, **total}),
            total_kronor=add({"num_format": KRONOR, **total}),
            total_msek=add({"num_format": MSEK, **total}),
            total_percent=add({"num_format": PERCENT, **total}),
            assessment=add(
                {"align": "center", "valign": "vcenter", "border": 1, "border_color": "#BFBFBF"}
            ),
            # "Ej bedömt": grey text on a light hatch, readable in print and without colour.
            not_assessed=add(
                {
                    "align": "center",
                    "valign": "vcenter",
                    "border": 1,
                    "border_color": "#BFBFBF",
                    "font_size": 7,
                    "font_color": "#595959",
                    "text_wrap": True,
                    "pattern": 8,
                    "fg_color": "#F2F2F2",
                }
            ),
        )
