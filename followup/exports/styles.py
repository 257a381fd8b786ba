"""Cell formats of the workbooks, and text written so that no spreadsheet program runs it.

The number formats are those of ``core.formats`` (one module for every number the system
shows): a Swedish spreadsheet program shows them with a space as thousands separator and a
decimal comma. Amounts are kept in kronor in the cells; summary sheets show them in millions
(mnkr, the value stays exact); years are never grouped.
"""

from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from core.formats import DATE, INTEGER, KRONOR, MNKR, PERCENT, YEAR

HEADER_FILL = "#DCE6F1"
TITLE_COLOUR = "#1F3864"


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
    year: Format
    kronor: Format
    mnkr: Format
    percent: Format
    date: Format
    total_label: Format
    total_integer: Format
    total_kronor: Format
    total_mnkr: Format
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
            year=add({"num_format": YEAR, **base}),
            kronor=add({"num_format": KRONOR, **base}),
            mnkr=add({"num_format": MNKR, **base}),
            percent=add({"num_format": PERCENT, **base}),
            date=add({"num_format": DATE, "align": "left", **base}),
            total_label=add(total),
            total_integer=add({"num_format": INTEGER, **total}),
            total_kronor=add({"num_format": KRONOR, **total}),
            total_mnkr=add({"num_format": MNKR, **total}),
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
