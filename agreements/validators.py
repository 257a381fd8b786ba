"""Validation of Swedish identifiers."""

import re
import unicodedata

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


# --- names and titles ------------------------------------------------------------------------
#
# What people type as a name or a title (an organisation, a project, a partnership, a cluster, a
# priority area, a measure …) is one line of visible text. Refused, because they are invisible
# or change how the text is shown, so that two names can look the same and be different (or a
# name can read backwards):
# - Cc, control characters: tab, line breaks and the rest (a name is one line);
# - Cf, format characters: the bidi embeddings, overrides and isolates (U+202A–U+202E,
#   U+2066–U+2069), the direction marks (U+200E, U+200F, U+061C), zero-width space, joiners and
#   word joiner (U+200B–U+200D, U+2060), the byte order mark (U+FEFF), the soft hyphen (U+00AD,
#   invisible except at a line break), tag characters …; the zero-width (non-)joiners some
#   scripts need go with them — the register's names are Swedish;
# - Zl, Zp: the line and paragraph separators;
# - Co, Cs, Cn: private use, surrogates and unassigned code points (shown as nothing or a box);
# - the other default-ignorable code points Unicode says to show as nothing, though they are
#   letters or marks: variation selectors, the combining grapheme joiner, the Hangul fillers,
#   the Khmer inherent vowels and the Mongolian free variation selectors.
# Every space (no-break, thin, ideographic …) becomes an ordinary one; see normalise_name.
# Emoji with a variation selector (U+FE0F) are refused with them. Letters of other scripts that
# look like Latin ones (Cyrillic "а") are neither refused nor folded by name_key: that needs
# Unicode's confusables table.
# The models' NameField (agreements/models/fields.py) and the Excel import
# (agreements/imports/validate.py) use these functions; nothing else decides what a name is.

_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})
# The default-ignorable letters and marks: combining grapheme joiner, Hangul fillers, Khmer
# inherent vowels, Mongolian free variation selectors, variation selectors (and supplement).
# And the visible-as-nothing symbols: the braille blank (U+2800), the object replacement
# character (U+FFFC) and the musical null notehead (U+1D159).
_INVISIBLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2800\u3164\ufe00-\ufe0f\uffa0\ufffc"
    "\U0001d159\U000e0100-\U000e01ef]"
)
_LINE_BREAKS = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029")
# Unicode's space separators (Zs): each run becomes one ordinary space.
_SPACES = re.compile("[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def _refused(char: str) -> bool:
    return bool(_INVISIBLE.match(char)) or unicodedata.category(char) in _REFUSED_CATEGORIES


def _refused_character(value: str) -> tuple[int, str] | None:
    """The first character a name may not hold, with its position (from 1), or None."""
    # str.isprintable() is False for exactly Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs other than the
    # ordinary space: the common case is answered without a look at each character.
    if value.isprintable() and not _INVISIBLE.search(value):
        return None
    for position, char in enumerate(value, start=1):
        if _refused(char):
            return position, char
    return None


def validate_name(value: str) -> None:
    """Refuse a name or title holding a control, bidi, zero-width or other invisible character
    (ValidationError, code ``name_characters``, in Swedish)."""
    found = _refused_character(value or "")
    if found is None:
        return
    position, char = found
    if char in _LINE_BREAKS:
        raise ValidationError(
            _("Texten ska stå på en rad: radbrytningar och tabbtecken är inte tillåtna."),
            code="name_characters",
        )
    raise ValidationError(
        _(
            "Texten innehåller ett osynligt tecken eller ett styrtecken (%(code)s, tecken "
            "%(position)s). Sådana tecken kan få två namn att se likadana ut eller vända "
            "textens riktning och är inte tillåtna. Skriv texten utan det; det följer ofta "
            "med när man kopierar text."
        ),
        code="name_characters",
        params={"code": f"U+{ord(char):04X}", "position": position},
    )


def normalise_name(value: str) -> str:
    """A name as it is stored: NFC (composed: "é" is one character however it was typed),
    every run of spaces one ordinary space, none at the ends. Refused characters are left in,
    for validate_name to name."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip(" ")


def name_key(value: str) -> str:
    """How names are compared to find the same name twice: without case, extra spaces or
    invisible characters, compatibility forms folded (NFKC: "ﬁ" is "fi", a full-width "Ａ" is
    "A"). "Eskilstuna kommun", " ESKILSTUNA  KOMMUN" and the same with a zero-width space at
    the end are one name."""
    text = " ".join(unicodedata.normalize("NFKC", value or "").split())
    if not text.isprintable() or _INVISIBLE.search(text):
        text = "".join(char for char in text if char == " " or not _refused(char))
    return " ".join(unicodedata.normalize("NFKC", text.casefold()).split())
