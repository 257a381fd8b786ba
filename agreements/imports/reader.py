"""Opening an uploaded workbook without trusting it.

Before openpyxl sees a byte, the file's size, its zip directory (entry count, compression
ratio), its parts (only those the package's relationships name, each of its declared content
type, within the sizes a template of ``IMPORT_MAX_ROWS`` rows needs: ``package``), the number
of cells and texts, and any merged cells are checked. openpyxl then parses it in read_only
mode with defusedxml (entity expansion and external entities are refused). Rows are read as
they stream past, so a sheet whose declared dimension lies costs nothing: reading stops at the
row limit or after a run of empty rows.

All of it runs in a child process (``core.sandbox``) with CPU, memory and time limits of its
own (``IMPORT_PARSE_CPU_SECONDS``, ``IMPORT_PARSE_MEMORY_MB``, ``IMPORT_PARSE_SECONDS``): a
file that slips past every check still costs bounded resources, and the server's own process
never parses untrusted XML.
"""

import logging
import re
import zipfile
import zlib
from dataclasses import dataclass, field

import openpyxl
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from agreements.imports import columns as cols
from agreements.imports import package
from agreements.imports.problems import Problem
from core import sandbox

logger = logging.getLogger(__name__)

# Zip checks. A real template's XML compresses about ten times; a zip bomb a thousand times.
# The sizes each part may unpack to are the package module's (from IMPORT_MAX_ROWS).
MAX_ZIP_ENTRIES = 100
MAX_COMPRESSION_RATIO = 150
RATIO_CHECKED_ABOVE_BYTES = 1024 * 1024
# A run of this many empty rows ends a sheet (a sheet formatted down to row 1 048 576).
MAX_CONSECUTIVE_EMPTY_ROWS = 100
MAX_COLUMNS = 40
INSTRUCTIONS_ROWS_SEARCHED = 20

# What reading a damaged zip raises: a bad checksum or header, broken compressed data, a part
# shorter than declared, a compression method or encryption zipfile does not support.
CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError)

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted .xlsx
ENCRYPTED_MARKER = "EncryptionInfo".encode("utf-16-le")

FORMULA_ELEMENT = re.compile(
    rb"<(?:[^\s<>/:=\"']+:)?f[\s>/]"
)  # <f>, not <formula1> of a validation
CELL_ELEMENT = re.compile(rb"<(?:[^\s<>/:=\"']+:)?c[\s>/]")  # <c …>, not <col> or <cfRule>
MERGE_CELL = re.compile(
    rb"<(?:[^\s<>/:=\"']+:)?mergeCell\s[^>]*?ref=\"([A-Z]+\d+(?::[A-Z]+\d+)?)\""
)

if not openpyxl.DEFUSEDXML:  # pragma: no cover - a broken installation
    raise ImproperlyConfigured(
        "defusedxml is not installed: openpyxl would parse uploaded XML without protection."
    )
if openpyxl.LXML:  # pragma: no cover - OPENPYXL_LXML set to True (config/settings.py sets False)
    raise ImproperlyConfigured(
        "openpyxl would parse uploads with lxml instead of defusedxml: set OPENPYXL_LXML=False."
    )


class _Formula:
    """Stands in a row for a cell that held a formula (already reported)."""

    def __repr__(self):
        return "FORMULA"

    def __reduce__(self):  # back from the sandbox as the one FORMULA, so ``is`` still holds
        return "FORMULA"


FORMULA = _Formula()


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why, in Swedish."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """The rows of one data sheet: values by column key, with the Excel row number."""

    name: str
    positions: dict[str, int]  # column key → index in a row's values
    letters: dict[str, str]  # column key → column letter
    rows: list[tuple[int, tuple]] = field(default_factory=list)

    def problem(self, row: int, key: str, message: str) -> Problem:
        column = next(c for c in cols.COLUMNS[self.name] if c.key == key)
        return Problem(
            message=message,
            sheet=self.name,
            row=row,
            column=column.header,
            letter=self.letters.get(key, ""),
        )


@dataclass
class Workbook:
    county_code: str
    sheets: dict[str, Sheet]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def read_workbook(file) -> Workbook:
    """Check and read an uploaded workbook; raises FileRefused for a file that cannot be used.

    Cell-level problems (formulas, unknown columns …) are collected in ``problems``. The work
    is done in a sandboxed child process; a file that reaches one of its limits is refused.
    """
    try:
        return sandbox.run(
            _read_unsandboxed,
            file,
            cpu_seconds=settings.IMPORT_PARSE_CPU_SECONDS,
            memory_bytes=settings.IMPORT_PARSE_MEMORY_MB * 1024 * 1024,
            wall_seconds=settings.IMPORT_PARSE_SECONDS,
        )
    except sandbox.LimitReached as reached:
        logger.warning("Import refused: the parse reached its %s limit", reached.limit)
        raise FileRefused(_limit_message(reached.limit)) from None
    except sandbox.ChildFailed:
        raise FileRefused(_unreadable_message()) from None


def _limit_message(limit: str) -> str:
    if limit == "memory":
        return _(
            "Filen kräver mer minne att läsa än en importmall får göra och läses inte. Dela "
            "upp filen, eller kopiera in raderna i en ny mall och försök igen."
        )
    return _(
        "Filen tar längre tid att läsa än en importmall får göra och läses inte. Dela upp "
        "filen, eller kopiera in raderna i en ny mall och försök igen."
    )


def _read_unsandboxed(file) -> Workbook:
    _check_size(file)
    _check_signature(file)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(_("Filen är inte en Excel-arbetsbok (.xlsx).")) from None
    with archive:
        _check_zip(archive)
        try:
            parts = package.inspect(archive)
            merged, with_formulas = _scan_sheets(archive, parts.worksheets)
        except package.PackageRefused as refused:
            raise FileRefused(refused.message) from None
        except CORRUPT as error:  # a part that does not unpack as its directory says
            raise _unreadable(error) from None
    file.seek(0)
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # noqa: BLE001 - any parser failure means an unreadable file
        raise _unreadable(error) from None
    try:
        return _read(book, merged, with_formulas)
    except FileRefused:
        raise
    except Exception as error:  # noqa: BLE001 - a sheet that breaks the parser half-way
        raise _unreadable(error) from None
    finally:
        book.close()


def _unreadable(error: Exception) -> FileRefused:
    if _caused_by(error, MemoryError):
        raise MemoryError  # the sandbox's limit, whatever the parser wrapped it in
    if _caused_by(error, DefusedXmlException):
        return FileRefused(
            _(
                "Filen innehåller otillåten XML (entiteter eller externa referenser) och "
                "läses inte. Spara om den från Excel och försök igen."
            )
        )
    logger.info("Unreadable workbook: %r", error)
    return FileRefused(_unreadable_message())


def _unreadable_message() -> str:
    return _("Filen kunde inte läsas som en Excel-arbetsbok (.xlsx). Spara om den och försök igen.")


def _caused_by(error: BaseException | None, kind: type[BaseException]) -> bool:
    """Is ``kind`` in the error's chain? openpyxl wraps what it meets in its own errors."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, kind):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def size_mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _check_size(file) -> None:
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise FileRefused(
            _("Filen är för stor (%(size)s MB). Största tillåtna storlek är %(limit)s MB.")
            % {"size": size_mb(size), "limit": size_mb(limit)}
        )
    if size == 0:
        raise FileRefused(_("Filen är tom."))


def _check_signature(file) -> None:
    head = file.read(8)
    file.seek(0)
    if head.startswith(ZIP_MAGIC):
        return
    if head == OLE_MAGIC:
        if ENCRYPTED_MARKER in file.read():
            file.seek(0)
            raise FileRefused(
                _(
                    "Filen är lösenordsskyddad. Spara den utan lösenord (Arkiv → Info → "
                    "Skydda arbetsbok) och försök igen."
                )
            )
        file.seek(0)
        raise FileRefused(
            _(
                "Filen är i det gamla Excel-formatet (.xls). Spara den som Excel-arbetsbok "
                "(.xlsx) och försök igen."
            )
        )
    raise FileRefused(_("Filen är inte en Excel-arbetsbok (.xlsx)."))


def _check_zip(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise FileRefused(
            _("Filen innehåller %(count)s delar; en importmall har högst %(limit)s.")
            % {"count": len(entries), "limit": MAX_ZIP_ENTRIES}
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > RATIO_CHECKED_ABOVE_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise FileRefused(_zip_bomb())


def _zip_bomb() -> str:
    return _(
        "Filen packas upp till orimligt mycket data och läses inte (den kan vara en "
        "så kallad zip-bomb)."
    )


def _scan_sheets(
    archive: zipfile.ZipFile, worksheets: list[str]
) -> tuple[dict[str, str], set[str]]:
    """Worksheet parts with merged cells (part → first range) and those with any formula;
    the cells of all worksheets counted as they stream past, refused past the limit.

    read_only mode does not show merged cells, so the XML is searched for them. Sheets
    without formulas (nearly all) are then read as plain values, which is faster. The
    worksheets are those the package names as such, whatever their part names.
    """
    limit = package.budget().cells
    cells = 0
    merged, with_formulas = {}, set()
    for name in worksheets:
        tail = b""
        with archive.open(name) as part:
            while chunk := part.read(package.SCAN_CHUNK):
                text = tail + chunk
                if FORMULA_ELEMENT.search(text):
                    with_formulas.add(name)
                match = MERGE_CELL.search(text)
                if match:
                    merged[name] = match.group(1).decode()
                    break
                # Counted up to a little before the end: a tag cut in two counts next round.
                cut = max(0, len(text) - 200)
                cells += len(CELL_ELEMENT.findall(text, 0, cut))
                if cells > limit:
                    raise FileRefused(package.too_many_cells(limit))
                tail = text[cut:]
            cells += len(CELL_ELEMENT.findall(tail))
        if cells > limit:
            raise FileRefused(package.too_many_cells(limit))
    return merged, with_formulas


def _read(book, merged: dict[str, str], with_formulas: set[str]) -> Workbook:
    names = book.sheetnames
    for name in names:
        if name not in cols.SHEETS:
            raise FileRefused(
                _(
                    "Arbetsboken har bladet ”%(sheet)s”, som inte hör till mallen. Mallen har "
                    "bladen %(sheets)s. Flytta raderna till rätt blad, ta bort bladet och "
                    "försök igen."
                )
                % {"sheet": name, "sheets": ", ".join(cols.SHEETS[:-1])}
            )
    for required in (cols.INSTRUCTIONS, cols.PROJECTS):
        if required not in names:
            raise FileRefused(
                _("Arbetsboken saknar bladet ”%(sheet)s”. Utgå från länets importmall.")
                % {"sheet": required}
            )
    for name in names:
        part = book[name]._worksheet_path.lstrip("/")
        if part in merged:
            raise FileRefused(
                _(
                    "Bladet ”%(sheet)s” har sammanfogade celler (%(range)s). Dela upp dem "
                    "(Start → Sammanfoga och centrera → Dela upp celler) och försök igen."
                )
                % {"sheet": name, "range": merged[part]}
            )
    workbook = Workbook(county_code=_county_code(book[cols.INSTRUCTIONS]), sheets={})
    for name in cols.DATA_SHEETS:
        if name in names:
            part = book[name]._worksheet_path.lstrip("/")
            workbook.sheets[name] = _read_sheet(book[name], workbook, part in with_formulas)
    return workbook


def _county_code(sheet) -> str:
    for row in sheet.iter_rows(max_row=INSTRUCTIONS_ROWS_SEARCHED, max_col=2, values_only=True):
        if len(row) == 2 and cols.normalise_header(row[0]) == cols.normalise_header(
            cols.COUNTY_CODE_LABEL
        ):
            value = row[1]
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            code = str(value if value is not None else "").strip()
            return code.zfill(2) if code.isdigit() else code
    raise FileRefused(
        _(
            "Filen saknar länskod på bladet Instruktioner. Utgå från länets importmall "
            "(Ladda ned importmall)."
        )
    )


def _read_sheet(worksheet, workbook: Workbook, has_formulas: bool) -> Sheet:
    # The declared dimension may claim a million rows or columns; ignore it and count.
    worksheet.reset_dimensions()
    name = worksheet.title
    # Cells (with their data type) only where a formula must be found; values otherwise.
    # Rows come as wide as their last cell (asking openpyxl for MAX_COLUMNS would pad every
    # row to that width); only the template's columns among the first MAX_COLUMNS are read.
    rows = worksheet.iter_rows(values_only=not has_formulas)
    header = tuple(next(rows, ()))[:MAX_COLUMNS]
    if has_formulas:
        header = [cell.value for cell in header]
    sheet = _match_header(name, header, workbook)
    key_at = {index: key for key, index in sheet.positions.items()}
    wanted = sorted(key_at)
    width = wanted[-1] + 1 if wanted else 0
    limit = settings.IMPORT_MAX_ROWS
    empty_run = 0
    row_number = 1
    for cells in rows:
        row_number += 1
        values = [None] * width
        empty = True
        size = len(cells)
        for index in wanted:
            if index >= size:
                break
            value = cells[index]
            if has_formulas:
                if value.data_type == "f":
                    workbook.problems.append(
                        sheet.problem(
                            row_number,
                            key_at[index],
                            _("Cellen innehåller en formel; skriv in värdet."),
                        )
                    )
                    values[index] = FORMULA
                    empty = False
                    continue
                value = value.value
            if value is None:
                continue
            if isinstance(value, str):
                value = value.strip()
                if not value:
                    continue
            values[index] = value
            empty = False
        if empty:
            empty_run += 1
            if empty_run >= MAX_CONSECUTIVE_EMPTY_ROWS:
                workbook.warnings.append(
                    Problem(
                        message=_(
                            "Läsningen av bladet slutade vid rad %(row)s efter %(count)s tomma "
                            "rader i följd; rader längre ner har inte lästs."
                        )
                        % {"row": row_number, "count": MAX_CONSECUTIVE_EMPTY_ROWS},
                        sheet=name,
                    )
                )
                rows.close()
                break
            continue
        empty_run = 0
        if len(sheet.rows) >= limit:
            rows.close()
            raise FileRefused(
                _(
                    "Bladet ”%(sheet)s” har fler än %(limit)s rader. Dela upp filen och "
                    "importera den i flera omgångar."
                )
                % {"sheet": name, "limit": f"{limit:,}".replace(",", "\u00a0")}
            )
        sheet.rows.append((row_number, tuple(values)))
    return sheet


def _match_header(name: str, header, workbook: Workbook) -> Sheet:
    by_text = {cols.normalise_header(column.header): column for column in cols.COLUMNS[name]}
    sheet = Sheet(name=name, positions={}, letters={})
    for index, value in enumerate(header):
        if value is None or not str(value).strip():
            continue
        letter = get_column_letter(index + 1)
        column = by_text.get(cols.normalise_header(value))
        if column is None:
            workbook.problems.append(
                Problem(
                    message=_(
                        "Kolumnen ”%(header)s” hör inte till mallen. Kolumnerna på bladet är: "
                        "%(headers)s."
                    )
                    % {
                        "header": str(value).strip()[:60],
                        "headers": ", ".join(c.header for c in cols.COLUMNS[name]),
                    },
                    sheet=name,
                    row=1,
                    column=str(value).strip()[:60],
                    letter=letter,
                )
            )
        elif column.key in sheet.positions:
            workbook.problems.append(
                Problem(
                    message=_("Kolumnen ”%(header)s” finns två gånger.")
                    % {"header": column.header},
                    sheet=name,
                    row=1,
                    column=column.header,
                    letter=letter,
                )
            )
        else:
            sheet.positions[column.key] = index
            sheet.letters[column.key] = letter
    for column in cols.COLUMNS[name]:
        if column.key not in sheet.positions and (column.required or column.key == "id"):
            workbook.problems.append(
                Problem(
                    message=_("Kolumnen ”%(header)s” saknas på bladet.")
                    % {"header": column.header},
                    sheet=name,
                    row=1,
                    column=column.header,
                )
            )
    return sheet
