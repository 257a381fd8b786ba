"""Text set for narrow places: soft hyphens in long words, a break after the @ of an address.

Long Swedish compounds ("Tvärsektoriella", "utvärderingssystem") in narrow table headers either
stick out of their cell or break anywhere ("Klusterarbet|e"). A soft hyphen (U+00AD) marks where
a word may break; the browser shows a hyphen only where it does break. Where comes from
Hunspell's hyphenation dictionaries (pyphen), so words break as Swedish (or English) breaks
them, in every browser — CSS ``hyphens: auto`` depends on dictionaries the browser may lack.
"""

import functools
import re

import pyphen
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

SOFT_HYPHEN = "\u00ad"
# Shorter words stay whole: they fit any column we draw.
LONGEST_WHOLE = 9
_WORD = re.compile(r"\w+", re.UNICODE)


@functools.cache
def _dictionary(language: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=pyphen.language_fallback(language) or "sv", left=3, right=3)


def hyphenate(text: str, language: str | None = None) -> str:
    """``text`` with soft hyphens where its long words may break (in the active language)."""
    dictionary = _dictionary((language or get_language() or "sv").replace("-", "_"))

    def soft(match: re.Match) -> str:
        word = match.group(0)
        if len(word) <= LONGEST_WHOLE:
            return word
        return dictionary.inserted(word, hyphen=SOFT_HYPHEN)

    return _WORD.sub(soft, str(text))


def breakable_address(address: str) -> SafeString:
    """An e-mail address that may break after its @ (and nowhere else) in a narrow column."""
    local, at, domain = str(address).partition("@")
    if not at:
        return conditional_escape(address)
    return format_html("{}@{}{}", local, mark_safe("<wbr>"), domain)
