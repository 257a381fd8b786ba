"""What an uploaded workbook is made of, checked before any of it is parsed.

An .xlsx file is a zip of parts. The parts that count are those the package's relationships
name, starting at ``_rels/.rels``: the workbook, its sheets, styles, shared strings and theme,
their comments, drawings and tables, the document properties. Each must be of the content type
``[Content_Types].xml`` declares for it, and of the type its relationship expects (a worksheet
stored as ``xl/comments9.xml`` is still a worksheet, and is scanned as one; a part declared as
comments but named by the workbook as a sheet refuses the file). Any other part — macros,
embedded files, external links, or a part nothing names — refuses the file.

Then the sizes, from what a real template of ``IMPORT_MAX_ROWS`` rows needs (``Budget``): each
part and all of them together, uncompressed, as the zip declares them (a zip entry never
yields more than it declares), and, while the worksheets and the shared strings stream past
in chunks, the number of cells and of strings. A file past any limit is refused before
openpyxl reads a byte of it.
"""

import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree
from django.conf import settings
from django.utils.translation import gettext as _

from agreements.imports import columns as cols
from core import formats


class PackageRefused(Exception):
    """The package cannot be read safely; the message says why, in Swedish."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- what a template needs ---------------------------------------------------------------------

# Measured on templates written by this system and saved again by Excel and LibreOffice (see
# bench/import.py --hostile, which writes one of IMPORT_MAX_ROWS rows): a cell's XML is at most
# about 60 bytes plus its text; a data row of the widest sheet holds at most 13 cells.
CELL_XML_BYTES = 120  # twice the largest seen
# The text a row may carry on average, all columns together: a project row with a description
# of half a page, 2 000 characters (the import takes up to 10 000 in one cell, not in every row).
TEXT_BYTES_PER_ROW = 2 * 1024
STRING_XML_BYTES = 24  # <si><t xml:space="preserve">…</t></si>
SPARE_COLUMNS = 2  # a user's own column or two beside the template's (reported, not read)
# The hidden Listor sheet: short lists (statuses, sources, measures, municipalities …) and one
# that grows with the register, the organisations a project may name as owner.
LONG_LIST_COLUMNS = 1
SMALL_SHEET_CELLS = 5_000  # the instructions and the short lists
NUMBER_COLUMNS = {"id", "start_date", "end_date", "year", "amount"}  # held as numbers
SMALL_PART_BYTES = 2 * 1024 * 1024  # styles, theme, properties, relationships, drawings …
SCAN_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Budget:
    """What a file may hold, derived from ``IMPORT_MAX_ROWS``."""

    cells: int  # in all worksheets together
    strings: int  # entries in the shared-string table
    sheet_bytes: int  # one worksheet part, uncompressed
    strings_bytes: int  # the shared-string table, uncompressed
    total_bytes: int  # every part together, uncompressed

    @classmethod
    def for_rows(cls, max_rows: int) -> "Budget":
        # A sheet is read until max_rows rows, or a run of empty rows ends it: each data sheet
        # may hold that many rows (the empty ones count as cells when a program writes them).
        rows = max_rows + 101
        data_columns = sum(len(cols.COLUMNS[name]) + SPARE_COLUMNS for name in cols.DATA_SHEETS)
        widest = max(len(cols.COLUMNS[name]) for name in cols.DATA_SHEETS) + SPARE_COLUMNS
        cells = rows * (data_columns + LONG_LIST_COLUMNS) + SMALL_SHEET_CELLS
        text = rows * TEXT_BYTES_PER_ROW
        sheet_bytes = rows * widest * CELL_XML_BYTES + text  # text may be inline in the sheet
        # A string in the table is there for at least one text cell.
        text_columns = sum(
            len([c for c in cols.COLUMNS[name] if c.key not in NUMBER_COLUMNS]) + SPARE_COLUMNS
            for name in cols.DATA_SHEETS
        )
        strings = rows * (text_columns + LONG_LIST_COLUMNS) + SMALL_SHEET_CELLS
        strings_bytes = strings * STRING_XML_BYTES + text
        return cls(
            cells=cells,
            strings=strings,
            sheet_bytes=sheet_bytes,
            strings_bytes=strings_bytes,
            total_bytes=sheet_bytes + strings_bytes + 16 * SMALL_PART_BYTES,
        )


def budget() -> Budget:
    return Budget.for_rows(settings.IMPORT_MAX_ROWS)


# --- relationships and content types -----------------------------------------------------------

_OD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships/"
_MS = "http://schemas.microsoft.com/office/"
_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml."
IMAGE = "image/"

# Relationship type → the content types its target may have (a prefix when it ends in "/").
_TARGETS = {
    _OD + "officeDocument": (_SML + "sheet.main+xml", _SML + "template.main+xml"),
    _PKG + "metadata/core-properties": (
        "application/vnd.openxmlformats-package.core-properties+xml",
    ),
    _OD + "metadata/core-properties": (
        "application/vnd.openxmlformats-package.core-properties+xml",
    ),
    _OD + "extended-properties": (
        "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    ),
    _OD + "custom-properties": (
        "application/vnd.openxmlformats-officedocument.custom-properties+xml",
    ),
    _PKG + "metadata/thumbnail": (IMAGE,),
    _OD + "worksheet": (_SML + "worksheet+xml",),
    _OD + "styles": (_SML + "styles+xml",),
    _OD + "sharedStrings": (_SML + "sharedStrings+xml",),
    _OD + "theme": ("application/vnd.openxmlformats-officedocument.theme+xml",),
    _OD + "calcChain": (_SML + "calcChain+xml",),
    _OD + "sheetMetadata": (_SML + "sheetMetadata+xml",),
    _OD + "comments": (_SML + "comments+xml",),
    _OD + "vmlDrawing": ("application/vnd.openxmlformats-officedocument.vmlDrawing",),
    _OD + "drawing": ("application/vnd.openxmlformats-officedocument.drawing+xml",),
    _OD + "table": (_SML + "table+xml",),
    _OD + "printerSettings": (_SML + "printerSettings",),
    _OD + "image": (IMAGE,),
    _OD + "customXml": ("application/xml", "text/xml"),
    _OD + "customXmlProps": (
        "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
    ),
    _MS + "2017/10/relationships/threadedComment": (
        "application/vnd.ms-excel.threadedcomments+xml",
    ),
    _MS + "2017/10/relationships/person": ("application/vnd.ms-excel.person+xml",),
}
# Relationships that name no part: a hyperlink in a cell points outside the file.
_EXTERNAL_ALLOWED = {_OD + "hyperlink"}
WORKSHEET = _SML + "worksheet+xml"
SHARED_STRINGS = _SML + "sharedStrings+xml"

CONTENT_TYPES = "[Content_Types].xml"
ROOT_RELS = "_rels/.rels"

_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class Package:
    """The parts that will be read: the workbook, its worksheets and the shared strings."""

    worksheets: list[str] = field(default_factory=list)
    shared_strings: str | None = None
    workbook: str | None = None


def inspect(archive: zipfile.ZipFile) -> Package:
    """Check the package's parts and their sizes; raises PackageRefused."""
    limits = budget()
    entries = {entry.filename: entry for entry in archive.infolist() if not entry.is_dir()}
    if sum(entry.file_size for entry in entries.values()) > limits.total_bytes:
        raise PackageRefused(too_much())
    if CONTENT_TYPES not in entries or ROOT_RELS not in entries:
        # Not an Office package at all: name what is there instead, if anything.
        others = sorted(set(entries) - {CONTENT_TYPES, ROOT_RELS})
        raise PackageRefused(_foreign_part(others[0]) if others else _not_a_workbook())
    types = _content_types(archive, entries)
    _check_sizes(entries, types, limits)
    package = Package()
    workbook_rels: dict[str, tuple[str, str | None]] = {}
    named = {CONTENT_TYPES, ROOT_RELS}
    queue = [("", ROOT_RELS)]  # (the part the relationships belong to, their part)
    while queue:
        source, rels_name = queue.pop()
        if rels_name not in entries:
            if source:  # a part without relationships of its own
                continue
            raise PackageRefused(_not_a_workbook())
        for rel_id, rel_type, target in _relationships(archive, entries[rels_name], source):
            if source == package.workbook:
                workbook_rels[rel_id] = (rel_type, target)
            if target is None:
                continue  # an external hyperlink
            if rel_type not in _TARGETS:
                raise PackageRefused(_foreign_part(target))
            if target in named:
                continue
            if target not in entries:
                raise PackageRefused(_not_a_workbook())
            content_type = types.get(target, "")
            if not any(
                content_type.startswith(expected)
                if expected.endswith("/")
                else content_type == expected
                for expected in _TARGETS[rel_type]
            ):
                raise PackageRefused(_foreign_part(target))
            named.add(target)
            if rel_type == _OD + "officeDocument":
                package.workbook = target
            if content_type == WORKSHEET:
                package.worksheets.append(target)
            elif content_type == SHARED_STRINGS:
                package.shared_strings = target
            own_rels = posixpath.join(
                posixpath.dirname(target), "_rels", posixpath.basename(target) + ".rels"
            )
            if own_rels in entries:
                named.add(own_rels)
                queue.append((target, own_rels))
    unnamed = sorted(set(entries) - named)
    if unnamed:
        raise PackageRefused(_foreign_part(unnamed[0]))
    if not package.worksheets or package.workbook is None:
        raise PackageRefused(_not_a_workbook())
    _check_sheets_are_worksheets(archive, entries[package.workbook], workbook_rels)
    _count_strings(archive, package, limits)
    return package


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _check_sheets_are_worksheets(archive, workbook: zipfile.ZipInfo, rels: dict) -> None:
    """Every sheet the workbook lists is a worksheet by its relationship too: a reader opens
    what ``<sheet r:id>`` names whatever the relationship calls it, so a sheet named under
    another relationship (customXml, say) would escape the worksheet checks."""
    root = _parse(_small(archive, workbook), workbook.filename)
    for sheet in root.iter(_MAIN_NS + "sheet"):
        rel_type, target = rels.get(sheet.get(_R_ID, ""), ("", None))
        if rel_type != _OD + "worksheet":
            raise PackageRefused(_foreign_part(target or sheet.get("name", "")))


def _check_sizes(entries: dict[str, zipfile.ZipInfo], types: dict[str, str], limits: Budget):
    """Each part within what a template of the largest size needs (by its content type)."""
    for name, entry in entries.items():
        content_type = types.get(name, "")
        if content_type == WORKSHEET:
            limit = limits.sheet_bytes
        elif content_type == SHARED_STRINGS:
            limit = limits.strings_bytes
        else:
            limit = SMALL_PART_BYTES
        if entry.file_size > limit:
            raise PackageRefused(too_much())


def _small(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    if entry.file_size > SMALL_PART_BYTES:
        raise PackageRefused(too_much())
    return archive.read(entry)


def _parse(data: bytes, name: str):
    try:
        return ElementTree.fromstring(data)
    except Exception:  # noqa: BLE001 - defusedxml refusals and broken XML alike
        raise PackageRefused(_not_a_workbook()) from None


def _content_types(archive, entries) -> dict[str, str]:
    """Part name → its declared content type (an Override, else the Default by extension)."""
    if CONTENT_TYPES not in entries:
        raise PackageRefused(_not_a_workbook())
    root = _parse(_small(archive, entries[CONTENT_TYPES]), CONTENT_TYPES)
    defaults, overrides = {}, {}
    for element in root:
        if element.tag == _CT_NS + "Default":
            defaults[(element.get("Extension") or "").lower()] = element.get("ContentType", "")
        elif element.tag == _CT_NS + "Override":
            overrides[(element.get("PartName") or "").lstrip("/")] = element.get("ContentType", "")
    types = {}
    for name in entries:
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        types[name] = overrides.get(name, defaults.get(extension, ""))
    return types


def _relationships(archive, entry: zipfile.ZipInfo, source: str):
    """(id, type, target part name) of each relationship; the target is None when external."""
    root = _parse(_small(archive, entry), entry.filename)
    base = posixpath.dirname(source)
    for element in root:
        if element.tag != _REL_NS + "Relationship":
            continue
        rel_type = element.get("Type", "")
        target = element.get("Target", "")
        if element.get("TargetMode") == "External":
            if rel_type not in _EXTERNAL_ALLOWED:
                raise PackageRefused(_foreign_part(target))
            yield element.get("Id", ""), rel_type, None
            continue
        if target.startswith("/"):
            path = posixpath.normpath(target.lstrip("/"))
        else:
            path = posixpath.normpath(posixpath.join(base, target))
        if path.startswith("../") or path == "..":
            raise PackageRefused(_not_a_workbook())
        yield element.get("Id", ""), rel_type, path


# <si>, with any namespace prefix an XML name may have.
_STRING_ITEM = re.compile(rb"<(?:[^\s<>/:=\"']+:)?si[\s>/]")


def _count_strings(archive, package: Package, limits: Budget) -> None:
    """Count the shared-string table's entries as it streams past; stop at the limit."""
    if package.shared_strings is None:
        return
    count, tail = 0, b""
    with archive.open(package.shared_strings) as part:
        while chunk := part.read(SCAN_CHUNK):
            text = tail + chunk
            # A tag cut in two at the chunk's end is counted in the next round, not twice.
            cut = max(0, len(text) - 16)
            count += len(_STRING_ITEM.findall(text, 0, cut))
            tail = text[cut:]
            if count > limits.strings:
                raise PackageRefused(too_many_strings(limits.strings))
    count += len(_STRING_ITEM.findall(tail))
    if count > limits.strings:
        raise PackageRefused(too_many_strings(limits.strings))


def _not_a_workbook() -> str:
    return _("Filen är inte en Excel-arbetsbok (.xlsx).")


def _foreign_part(name: str) -> str:
    return _(
        "Filen innehåller ”%(part)s”, som inte hör till en importmall (till exempel makron, "
        "inbäddade filer eller externa länkar). Kopiera in raderna i en ny mall och försök igen."
    ) % {"part": name[:80]}


def too_much() -> str:
    return _(
        "Filen packas upp till mer data än en importmall med %(rows)s rader behöver och läses "
        "inte. Dela upp filen, eller kopiera in raderna i en ny mall och försök igen."
    ) % {"rows": formats.number(settings.IMPORT_MAX_ROWS)}


def too_many_strings(limit: int) -> str:
    return _(
        "Filen innehåller fler texter än en importmall med %(rows)s rader kan ha (högst "
        "%(limit)s) och läses inte. Dela upp filen och försök igen."
    ) % {"rows": formats.number(settings.IMPORT_MAX_ROWS), "limit": formats.number(limit)}


def too_many_cells(limit: int) -> str:
    return _(
        "Filen innehåller fler celler än en importmall med %(rows)s rader kan ha (högst "
        "%(limit)s) och läses inte. Dela upp filen och försök igen."
    ) % {"rows": formats.number(settings.IMPORT_MAX_ROWS), "limit": formats.number(limit)}
