"""Numbers, money, shares and years as people read them — one module for the site, the admin,
the workbooks and the downloads.

Swedish by default ("1 250 000 kr", "1 234,5 mnkr", "25 %", "2001"), English when chosen
("1,250,000 SEK"): the numbers follow the active language's formats (Django's ``number_format``
with grouping), the units are translated. One spelling of each unit: kronor as *kr*, millions
of kronor as *mnkr*. A year is never grouped ("2001", not "2 001").

The workbooks get the same rules as spreadsheet number formats (``KRONOR``, ``MNKR``, …):
the cells hold exact kronor and a Swedish spreadsheet program shows the grouping and comma.
"""

import datetime
from decimal import Decimal

from django.utils import dateformat, timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Spreadsheet number formats (Excel's codes; shown with the reader's own separators).
KRONOR = "#,##0"
KRONOR_AND_ORE = "#,##0.00"
MNKR = "#,##0.0,,"  # kronor shown in millions, the value stays exact
INTEGER = "#,##0"
YEAR = "0"  # never grouped
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"
MNKR_AXIS = "#,##0,,"  # a chart's axis in whole millions

# A text cell beginning with one of these could be taken for a formula (or, pasted into a CSV,
# run as one). Every workbook and download writes such text as a string with a quote prefix
# (CSV: an apostrophe in front): shown and kept as text, read back unchanged.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def number(value, decimals: int = 0) -> str:
    """A number grouped in thousands the way the active language writes it."""
    return number_format(Decimal(value or 0), decimals, force_grouping=True)


def amount(value) -> str:
    """An amount of kronor without its unit: "1 250 000", with öre only when there are any
    ("1 250 000,50"); "–" for none."""
    if value is None:
        return "–"
    value = Decimal(value)
    return number(value, 0 if value == value.to_integral_value() else 2)


def kronor(value) -> str:
    """ "1 250 000 kr"."""
    return _("%(amount)s kr") % {"amount": number(value)}


def mnkr(value) -> str:
    """Kronor in millions with one decimal: "1 234,5 mnkr"."""
    return _("%(amount)s mnkr") % {"amount": millions(value)}


def millions(value) -> str:
    """Kronor in millions with one decimal, without the unit (a table that names it once):
    "1 234,5"."""
    return number(Decimal(value or 0) / 1_000_000, 1)


def percent(share) -> str:
    """A share given in per cent (0–100), whole: "25 %"; "–" for none."""
    if share is None:
        return "–"
    return f"{number(share)} %"


def year(value) -> str:
    """A year, never grouped: "2001"."""
    return "" if value is None else str(int(value))


def iso_date(value) -> str:
    """A calendar date (not a moment) as the lists write it: "2001-03-15"; "–" for none."""
    return "–" if value is None else f"{value:%Y-%m-%d}"


def moment(value) -> str:
    """A moment in the time people here live by (``TIME_ZONE``, Europe/Stockholm), as files
    and titles write it: "2001-10-08 16:40". Stored moments are UTC; shown, never."""
    return "" if value is None else f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def day(value) -> str:
    """The date of a moment in local time ("2001-10-08"): a step at 00:30 Swedish time is
    that day's, not the evening before's."""
    return "" if value is None else f"{timezone.localtime(value):%Y-%m-%d}"


def long_date(value) -> str:
    """A date (or a moment, in local time) written out: "8 oktober 2001"; "–" for none."""
    if value is None:
        return "–"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return dateformat.format(value, "j F Y")
