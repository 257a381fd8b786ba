"""The name of a reference row in the active language: the one place that answers it.

Reference rows — themes, organisation kinds, financing sources, counties — carry their Swedish
``name`` and their English ``name_en`` (edited in the admin beside it). With English chosen the
site, its lists and their downloads read ``name_en``; otherwise ``name``. A row without an English
name (one made in code, before an administrator has given it one) reads its Swedish name, as
gettext shows the Swedish source of a string that has no translation.

Two doors, one rule:

- an object: ``theme.display_name`` (also its ``str()``, so forms, filters and the admin's
  choices name it so too: each model's ``__str__`` returns it);
- plain values: ``display_name_of("theme")``, an expression for ``values()`` and
  ``values_list()`` — the same queries as reading ``"theme__name"``.

Files that are Swedish whatever the page's language: the county and national workbooks are
written with Swedish active (``followup.exports.writer.in_swedish``); the import template reads
``name`` itself, as the import reads its lists back.
"""

from django.conf import settings
from django.db.models import F, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

ENGLISH = "en"


def english_active() -> bool:
    """Is English the active language (chosen with the language menu)?"""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language.split("-")[0] == ENGLISH


def localized(swedish: str, english: str) -> str:
    """``english`` when English is active and there is one, else ``swedish``."""
    return english if english and english_active() else swedish


def display_name_of(relation: str = "") -> Combinable:
    """The name of the reference row at ``relation`` (``"owner__kind"``; empty: the row itself)
    in the active language, as an expression for ``values()``/``values_list()``."""
    prefix = f"{relation}__" if relation else ""
    swedish = F(f"{prefix}name")
    if not english_active():
        return swedish
    return Coalesce(NullIf(F(f"{prefix}name_en"), Value("")), swedish)


class NamedInTwoLanguages:
    """A reference model with a Swedish ``name`` and an English ``name_en``: named in the
    active language wherever it is shown (the model's ``__str__`` returns ``display_name``)."""

    name: str
    name_en: str

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


def every_spelling(label) -> set[str]:
    """A translatable label as each language the site speaks writes it (a file made in one
    language — the import template — is read in the other too)."""
    spellings = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            spellings.add(str(label))
    return spellings
