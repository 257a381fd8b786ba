"""Reading one cell's value the way a Swedish spreadsheet user writes it.

Each parser returns a Python value or raises CellError with a Swedish message.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from agreements.models.fields import FIRST_YEAR, LAST_YEAR

# Spaces people (and Excel) put between thousands: ordinary, no-break, thin, narrow no-break.
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
_MINUS = "\u2212"
MONEY_MAX = Decimal("9999999999999.99")  # money_field: 15 digits, two decimals


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def text(value, *, max_length: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        value = value.isoformat()[:10]
    result = " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()
    if len(result) > max_length:
        raise CellError(
            _("Texten är för lång (%(length)s tecken); högst %(limit)s tecken.")
            % {"length": len(result), "limit": max_length}
        )
    return result


def identifier(value) -> int:
    """A row's ID: a positive whole number."""
    if isinstance(value, bool):
        raise CellError(_("ID ska vara ett heltal."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value <= 0:
        raise CellError(
            _("”%(value)s” är inte ett ID. Lämna ID tomt på nya rader.") % {"value": value}
        )
    return value


def amount(value) -> Decimal:
    """Kronor: ``1 250 000,50``, ``1250000.50`` or a number cell; never negative."""
    if isinstance(value, bool):
        raise _not_an_amount(value)
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
        rounded = number.quantize(Decimal("0.01"))
        if abs(number - rounded) < Decimal("0.000001"):
            number = rounded  # binary noise of a number cell, e.g. 0.07000000000000001
    elif isinstance(value, str):
        number = _swedish_number(value)
    else:
        raise _not_an_amount(value)
    if not number.is_finite():
        raise _not_an_amount(value)
    if number < 0:
        raise CellError(_("Beloppet får inte vara negativt."))
    if number != number.quantize(Decimal("0.01")):
        raise CellError(_("Beloppet får ha högst två decimaler (ören)."))
    if number > MONEY_MAX:
        raise CellError(_("Beloppet är för stort."))
    return number.quantize(Decimal("0.01"))


def _swedish_number(raw: str) -> Decimal:
    cleaned = _SPACES.sub("", raw).replace(_MINUS, "-")
    if cleaned.lower().endswith("kr"):
        cleaned = cleaned[:-2]
    if "," in cleaned:
        if "." in cleaned:
            if cleaned.rfind(",") < cleaned.rfind("."):
                raise _not_an_amount(raw)
            cleaned = cleaned.replace(".", "")  # 1.250.000,50
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise _not_an_amount(raw)
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
        raise _not_an_amount(raw) from None


def _not_an_amount(value) -> CellError:
    return CellError(
        _("”%(value)s” är inte ett belopp. Skriv till exempel 1 250 000,50.")
        % {"value": str(value)[:40]}
    )


def year(value) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise CellError(
            _("”%(value)s” är inte ett år. Skriv året med fyra siffror, t.ex. 2001.")
            % {"value": str(value)[:40]}
        )
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise CellError(
            _("Året måste ligga mellan %(first)s och %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return value


def date(value) -> datetime.date:
    """An Excel date cell, or text written as 2001-03-15."""
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0):
            raise _not_a_date(value)
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        raw = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            try:
                return datetime.date.fromisoformat(raw)
            except ValueError:
                pass
    raise _not_a_date(value)


def _not_a_date(value) -> CellError:
    return CellError(
        _("”%(value)s” är inte ett datum. Skriv datumet som 2001-03-15.")
        % {"value": str(value)[:40]}
    )


def choice_key(value) -> str:
    """How a value from a list is compared: without case or extra spaces."""
    return " ".join(str(value).split()).casefold()


def code_prefix(value, *, pattern: str) -> str | None:
    """The code a list value starts with: ``"0484 Eskilstuna"`` → ``"0484"``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    match = re.match(pattern, str(value).strip())
    return match.group(0) if match else None
