"""Broken and hostile files are refused with a clear message, quickly, and change nothing."""

import io
import multiprocessing
import re
import zipfile

import openpyxl
import pytest
from openpyxl.worksheet._reader import WorkSheetParser

from agreements.imports import columns as cols
from agreements.imports import reader
from agreements.imports.services import projects_import
from core import sandbox
from tests import builders
from tests import import_builders as ib

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return ib.county_world("04", projects=2)


def refused(user, file):
    before = ib.register_state()
    result = projects_import(county=builders.county("04"), user=user, file=file, dry_run=False)
    assert not result.ok and not result.written
    assert ib.register_state() == before
    return [problem.message for problem in result.problems]


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def raw(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_not_a_workbook(world, coordinator_04):
    assert refused(coordinator_04, raw(b"diarienummer;titel\n301-1;Projekt\n")) == [
        "Filen är inte en Excel-arbetsbok (.xlsx)."
    ]


def test_an_empty_file(world, coordinator_04):
    assert refused(coordinator_04, raw(b"")) == ["Filen är tom."]


def test_a_zip_that_is_not_a_workbook(world, coordinator_04):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hej")
    [message] = refused(coordinator_04, buffer)
    assert message.startswith("Filen innehåller ”readme.txt”, som inte hör till en importmall")


def test_a_password_protected_workbook(world, coordinator_04):
    encrypted = reader.OLE_MAGIC + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(64)
    [message] = refused(coordinator_04, raw(encrypted))
    assert message.startswith("Filen är lösenordsskyddad.")


def test_an_old_xls_file(world, coordinator_04):
    [message] = refused(coordinator_04, raw(reader.OLE_MAGIC + bytes(1024)))
    assert message.startswith("Filen är i det gamla Excel-formatet (.xls).")


def test_a_file_over_the_size_limit(world, coordinator_04, settings):
    settings.IMPORT_MAX_BYTES = 2048
    [message] = refused(coordinator_04, ib.save(ib.template()))
    assert re.fullmatch(
        r"Filen är för stor \(\d+,\d MB\)\. Största tillåtna storlek är 0,0 MB\.", message
    )


def test_a_zip_bomb_is_refused_by_its_compression_ratio(world, coordinator_04):
    bomb = b"<x>" + b" " * (8 * 1024 * 1024) + b"</x>"
    file = ib.rezip(ib.save(ib.template()), replace={"xl/worksheets/sheet2.xml": bomb})
    [message] = refused(coordinator_04, file)
    assert "zip-bomb" in message


def test_a_part_larger_than_a_template_needs_is_refused_by_its_declared_size(
    world, coordinator_04, settings
):
    """Under the compression-ratio cap, but more XML than a template of IMPORT_MAX_ROWS rows
    needs: refused from the zip's directory, before a byte is unpacked."""
    settings.IMPORT_MAX_ROWS = 5
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n * 7919 % 100003}</v></c></row>' for n in range(1, 40_000)
    )
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()
    file = ib.rezip(ib.save(ib.template()), replace={"xl/worksheets/sheet2.xml": sheet})
    [message] = refused(coordinator_04, file)
    assert message.startswith("Filen packas upp till mer data än en importmall med 5 rader")
    assert sandbox.last_usage.cpu_seconds < 2  # the parse's own child process


def test_too_many_zip_entries(world, coordinator_04):
    extra = {f"customXml/item{n}.xml": b"<a/>" for n in range(reader.MAX_ZIP_ENTRIES)}
    [message] = refused(coordinator_04, ib.rezip(ib.save(ib.template()), add=extra))
    assert (
        message.startswith("Filen innehåller") and "delar; en importmall har högst 100" in message
    )


def test_macros_are_refused(world, coordinator_04):
    file = ib.rezip(ib.save(ib.template()), add={"xl/vbaProject.bin": b"\x00" * 100})
    [message] = refused(coordinator_04, file)
    assert message.startswith("Filen innehåller ”xl/vbaProject.bin”")


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData>
</worksheet>"""


def test_xml_entities_are_refused(world, coordinator_04):
    file = ib.rezip(ib.save(ib.template()), replace={"xl/worksheets/sheet2.xml": LAUGHS})
    [message] = refused(coordinator_04, file)
    assert message.startswith("Filen innehåller otillåten XML (entiteter eller externa")


def test_external_entities_are_refused(world, coordinator_04):
    xxe = LAUGHS.replace(b'<!ENTITY lol "lol">', b'<!ENTITY lol SYSTEM "file:///etc/passwd">')
    file = ib.rezip(ib.save(ib.template()), replace={"xl/worksheets/sheet2.xml": xxe})
    [message] = refused(coordinator_04, file)
    assert message.startswith("Filen innehåller otillåten XML")


def test_formulas_are_refused_cell_by_cell(world, coordinator_04):
    book = ib.template()
    row = ib.new_line(book, reference_number="04-0001", amount="=1000*3")

    [message] = refused(coordinator_04, ib.save(book))

    assert message == "Cellen innehåller en formel; skriv in värdet."
    file = ib.save(book)
    result = projects_import(
        county=builders.county("04"), user=coordinator_04, file=file, dry_run=True
    )
    assert str(result.problems[0]) == (
        f"Finansiering, rad {row}, kolumn Belopp (kr) (F): Cellen innehåller en formel; "
        "skriv in värdet."
    )


def test_a_million_empty_rows_are_not_read_past_the_first_hundred(
    world, coordinator_04, monkeypatch
):
    """The reader stops after 100 empty rows in a row: of a million, it parses about a hundred.
    (Counted where openpyxl parses a row's XML, for every sheet the import opens: no path of the
    import reads further, whatever the machine's speed.)"""
    book = ib.template()
    ib.new_project(book)
    file = ib.save(book)
    part = ib.sheet_part(file, cols.PROJECTS)
    with zipfile.ZipFile(file) as archive:
        xml = archive.read(part)
    empty_rows = b"".join(
        b'<row r="%d" spans="1:13" customFormat="1" ht="15"/>' % n for n in range(10, 1_000_001)
    )
    xml = re.sub(rb"<dimension ref=\"[^\"]+\"/>", b'<dimension ref="A1:XFD1048576"/>', xml)
    xml = xml.replace(b"</sheetData>", empty_rows + b"</sheetData>")
    hostile = ib.rezip(file, replace={part: xml})
    # The import reads the file in a forked child (core.sandbox): the count lives in memory
    # that the child shares with the test.
    parsed = multiprocessing.Value("q", 0, lock=False)
    parse_row = WorkSheetParser.parse_row

    def counted(parser, row):
        parsed.value += 1
        return parse_row(parser, row)

    monkeypatch.setattr(WorkSheetParser, "parse_row", counted)

    result = projects_import(
        county=builders.county("04"), user=coordinator_04, file=hostile, dry_run=True
    )

    assert 100 < parsed.value < 1_000, parsed.value
    assert result.ok, result.problems
    assert result.counts[cols.PROJECTS]["create"] == 1
    [warning] = result.warnings
    assert warning.sheet == cols.PROJECTS
    assert "efter 100 tomma rader i följd" in warning.message
    stopped_at = int(re.search(r"vid rad (\d+)", warning.message)[1])
    assert stopped_at < 200, warning.message


def test_too_many_rows(world, coordinator_04, settings):
    settings.IMPORT_MAX_ROWS = 3
    book = ib.template()
    for n in range(3):
        ib.new_project(book, reference_number=f"04-01{n:02d}")
    [message] = refused(coordinator_04, ib.save(book))
    assert message == (
        "Bladet ”Projekt” har fler än 3 rader. Dela upp filen och importera den i flera omgångar."
    )


def test_merged_cells(world, coordinator_04):
    book = ib.template()
    row = ib.new_project(book)
    book[cols.PROJECTS].merge_cells(f"C{row}:D{row}")
    [message] = refused(coordinator_04, ib.save(book))
    assert message.startswith(f"Bladet ”Projekt” har sammanfogade celler (C{row}:D{row}).")


def test_an_extra_sheet(world, coordinator_04):
    book = ib.template()
    book.create_sheet("Mina anteckningar")
    [message] = refused(coordinator_04, ib.save(book))
    assert message.startswith(
        "Arbetsboken har bladet ”Mina anteckningar”, som inte hör till mallen."
    )


def test_a_renamed_header(world, coordinator_04):
    book = ib.template()
    sheet = book[cols.PROJECTS]
    sheet.cell(1, ib.column_of(sheet, "title"), "Namn på projektet")
    messages = refused(coordinator_04, ib.save(book))
    assert messages[0].startswith("Kolumnen ”Namn på projektet” hör inte till mallen.")
    assert "Kolumnen ”Projektnamn” saknas på bladet." in messages


def test_a_file_without_the_county_code(world, coordinator_04):
    book = ib.template()
    instructions = book[cols.INSTRUCTIONS]
    for row in instructions.iter_rows():
        if row[0].value == "Länskod":
            row[0].value = None
    [message] = refused(coordinator_04, ib.save(book))
    assert message.startswith("Filen saknar länskod på bladet Instruktioner.")
