"""Validation of Swedish identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ORG_NUMBER_SEPARATORS = re.compile(r"[\s\-–+]")


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check used for Swedish organisation and personal numbers."""
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def normalise_org_number(value: str) -> str:
    """Return an organisationsnummer as NNNNNN-NNNN, or raise ValidationError.

    Accepts the ten digits with or without a hyphen or spaces, and the twelve-digit form with
    the century prefix 16 that some registers use.
    """
    raw = (value or "").strip()
    if not raw:
        return ""
    digits = _ORG_NUMBER_SEPARATORS.sub("", raw)
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    if not digits.isdigit() or len(digits) != 10:
        raise ValidationError(
            _("Organisationsnumret ”%(value)s” ska ha tio siffror, till exempel 556012-5790."),
            code="org_number_format",
            params={"value": raw},
        )
    if not luhn_ok(digits):
        raise ValidationError(
            _(
                "Organisationsnumret ”%(value)s” är inte giltigt: kontrollsiffran stämmer inte. "
                "Kontrollera att siffrorna är rätt inskrivna."
            ),
            code="org_number_checksum",
            params={"value": raw},
        )
    return f"{digits[:6]}-{digits[6:]}"
