"""The English translation: complete, compiled from the committed catalogue, and shown.

The .mo is committed so that a fresh clone shows English without GNU gettext; these tests make
sure it is the compiled form of the .po (every entry of the .po, nothing else) and that the .po
has no untranslated or fuzzy entry. Whether the .po lacks a msgid of the code is checked by
``.ci/run`` (it needs gettext's xgettext, through ``makemessages``).
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

from tests import builders

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    obsolete: bool = False

    @property
    def name(self) -> str:
        return f"{self.msgctxt}|{self.msgid}" if self.msgctxt else self.msgid


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file: the subset of the format that makemessages writes."""
    entries, entry, key = [], Entry(), None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if key is not None or entry.obsolete:
                entries.append(entry)
            entry, key = Entry(), None
        elif line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#,"):
            entry.fuzzy = "fuzzy" in line
        elif line.startswith("#"):
            continue
        else:
            keyword, _space, text = (
                line.partition(" ") if not line.startswith('"') else ("", "", line)
            )
            key = keyword or key
            value = ast.literal_eval(text)
            if key == "msgid":
                entry.msgid += value
            elif key == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + value
            elif key == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + value
            elif key == "msgstr":
                entry.msgstr[0] = entry.msgstr.get(0, "") + value
            else:
                index = int(re.fullmatch(r"msgstr\[(\d+)\]", key).group(1))
                entry.msgstr[index] = entry.msgstr.get(index, "") + value
    return [e for e in entries if e.msgid and not e.obsolete]


@pytest.fixture(scope="module")
def po_entries():
    return read_po(CATALOGUE / "django.po")


@pytest.fixture(scope="module")
def mo():
    with open(CATALOGUE / "django.mo", "rb") as file:
        return gettext.GNUTranslations(file)


def test_catalogue_has_no_untranslated_or_fuzzy_entry(po_entries):
    assert len(po_entries) > 400
    fuzzy = [e.name for e in po_entries if e.fuzzy]
    untranslated = [e.name for e in po_entries if not all(e.msgstr.values()) or not e.msgstr]
    assert fuzzy == [], "fuzzy entries: translate them and remove the fuzzy flag"
    assert untranslated == [], "untranslated entries"


def test_placeholders_are_kept(po_entries):
    wrong = [
        e.name
        for e in po_entries
        for text in e.msgstr.values()
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(e.msgid))
    ]
    assert wrong == []


def test_compiled_catalogue_is_the_committed_po(po_entries, mo):
    """Recompile with `manage.py compilemessages` after editing the .po."""
    stale = []
    for e in po_entries:
        if e.msgid_plural is not None:
            got = [mo.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
            want = [e.msgstr[0], e.msgstr[1]]
        elif e.msgctxt is not None:
            got, want = mo.pgettext(e.msgctxt, e.msgid), e.msgstr[0]
        else:
            got, want = mo.gettext(e.msgid), e.msgstr[0]
        if got != want:
            stale.append(e.name)
    assert stale == [], "django.mo is older than django.po: run manage.py compilemessages"
    # Nothing in the .mo that the .po no longer has (the header is the empty msgid).
    compiled = {key if isinstance(key, str) else key[0] for key in mo._catalog} - {""}
    in_po = {f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid for e in po_entries}
    assert compiled - in_po == set()


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_site_login_page_in_english(client):
    page = english(client).get("/konto/logga-in/").content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page
    assert '<label for="id_username">Username</label>' in page
    assert "Logga in" not in page


def test_admin_project_list_in_english(superuser_client):
    page = english(superuser_client).get("/admin/agreements/project/").content.decode()
    assert "Select project to change" in page
    assert "Import from Excel" in page
    form = superuser_client.get("/admin/agreements/project/add/").content.decode()
    assert "Reference number:</label>" in form
    assert "Diarienummer" not in form


def test_admin_index_names_models_in_the_plural(superuser_client):
    page = english(superuser_client).get("/admin/").content.decode()
    for plural in ("Projects", "Clusters", "Partnerships", "Agreements", "Counties", "Users"):
        assert f">{plural}</a>" in page, plural


def test_swedish_stays_the_default(superuser_client):
    page = superuser_client.get("/admin/agreements/project/").content.decode()
    assert "Välj projekt att ändra" in page
    assert (
        "Diarienummer:</label>"
        in superuser_client.get("/admin/agreements/project/add/").content.decode()
    )


def test_county_page_in_english(client, coordinator_04):
    builders.county_report(round_obj=builders.follow_up_round(), county_code="04")
    client.force_login(coordinator_04)
    page = english(client).get("/omgang/2001/lan/04/").content.decode()
    assert "What you can do" in page
    assert "Submit the report" in page
    assert "Skicka in rapporten" not in page
