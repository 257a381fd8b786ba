"""What a file may cost: the parts a package names, the sizes and counts a template of
IMPORT_MAX_ROWS rows needs, the sandbox's limits, one import at a time per user.

The corpus is made at test time, scaled down with IMPORT_MAX_ROWS: the limits are derived from
it, so a file over them here is over them at 20 000 rows too (bench/import.py --hostile makes
the full-size ones and times them).
"""

import io
import os
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.imports import package, uploads
from agreements.imports.services import projects_import
from agreements.imports.template import write_template
from core import formats, sandbox
from tests import builders
from tests import import_builders as ib

pytestmark = pytest.mark.django_db

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"


@pytest.fixture
def world():
    return ib.county_world("04", projects=2)


def attempt(user, file, *, dry_run=False):
    before = ib.register_state()
    result = projects_import(county=builders.county("04"), user=user, file=file, dry_run=dry_run)
    assert not result.written
    assert ib.register_state() == before
    return result


def refused(user, file) -> str:
    result = attempt(user, file)
    assert not result.ok
    [problem] = result.problems
    return problem.message


def template_file() -> io.BytesIO:
    """The template as openpyxl saves it (inline strings)."""
    return ib.save(ib.template())


def downloaded_template() -> io.BytesIO:
    """The template as downloaded (XlsxWriter: a shared-string table, as Excel writes too)."""
    buffer = io.BytesIO()
    write_template(buffer, county=builders.county("04"))
    buffer.seek(0)
    buffer.name = "mall.xlsx"
    return buffer


def parts(file: io.BytesIO) -> dict[str, bytes]:
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def projects_part(file) -> str:
    return ib.sheet_part(file, "Projekt")


# --- sizes and counts ---------------------------------------------------------------------------


def test_more_shared_strings_than_a_template_can_have_is_refused_while_counting(
    world, coordinator_04, settings
):
    """The upload that stalled the site: millions of tiny strings, compressing about twenty
    times — under the ratio cap. Counted as they stream past, refused at the limit."""
    settings.IMPORT_MAX_ROWS = 20
    limit = package.budget().strings
    items = b"".join(b"<si><t>%d</t></si>" % (n % 97) for n in range(limit * 3))
    table = b'<sst xmlns="%s">%s</sst>' % (MAIN.encode(), items)
    file = ib.rezip(downloaded_template(), replace={"xl/sharedStrings.xml": table})

    message = refused(coordinator_04, file)

    assert message.startswith("Filen innehåller fler texter än en importmall med 20 rader")
    assert sandbox.last_usage.cpu_seconds < 2


def test_more_cells_than_a_template_can_have_is_refused_while_counting(
    world, coordinator_04, settings
):
    settings.IMPORT_MAX_ROWS = 20
    limit = package.budget().cells
    rows = b"".join(
        b'<row r="%d">%s</row>' % (r, b"".join(b'<c r="A%d"/>' % r for _ in range(50)))
        for r in range(2, limit // 50 + 40)
    )
    sheet = b'<worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (MAIN.encode(), rows)
    file = template_file()
    file = ib.rezip(file, replace={projects_part(file): sheet})

    message = refused(coordinator_04, file)

    assert message.startswith("Filen innehåller fler celler än en importmall med 20 rader")


def test_a_template_filled_to_the_row_limit_is_within_every_limit(world, coordinator_04, settings):
    """The limits are what a real template needs: one with IMPORT_MAX_ROWS projects and as
    many financing lines, long texts in every row, is read and planned."""
    settings.IMPORT_MAX_ROWS = 300
    book = ib.template()
    for n in range(300 - 2):
        ib.new_project(
            book,
            reference_number=f"04-{n + 100:04d}",
            title=f"Projekt {n} " + "å" * 230,
            description="Beskrivning med åäö. " * 95,  # about 2 000 characters
        )
        ib.new_line(book, reference_number=f"04-{n + 100:04d}", note="Anmärkning " * 18)
    result = attempt(coordinator_04, ib.save(book), dry_run=True)

    assert result.ok, result.problems[:3]
    assert result.counts["Projekt"]["create"] == 298


# --- the parts a package names --------------------------------------------------------------------


def _moved_sheet(file: io.BytesIO, *, new_name: str, declared_as: str) -> io.BytesIO:
    """The Projekt sheet stored under ``new_name``, named so by the workbook's relationships
    and declared as ``declared_as`` in the content types."""
    old_name = projects_part(file)
    contents = parts(file)
    rels = contents["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace(old_name.removeprefix("xl/"), new_name.removeprefix("xl/"))
    rels = rels.replace("/" + old_name, "/" + new_name)
    types = contents["[Content_Types].xml"].decode()
    types = re.sub(rf'<Override PartName="/{re.escape(old_name)}"[^>]*/>', "", types)
    types = types.replace(
        "</Types>", f'<Override PartName="/{new_name}" ContentType="{declared_as}"/></Types>'
    )
    sheet = contents[old_name]
    return ib.rezip(
        file,
        drop=(old_name,),
        replace={
            "xl/_rels/workbook.xml.rels": rels.encode(),
            "[Content_Types].xml": types.encode(),
        },
        add={new_name: sheet},
    )


def test_a_worksheet_stored_as_comments_is_scanned_as_a_worksheet(world, coordinator_04):
    book = ib.template()
    ib.set_cell(book, "Projekt", 2, "title", "=1+1")
    file = ib.save(book)
    moved = _moved_sheet(file, new_name="xl/comments9.xml", declared_as=WORKSHEET_TYPE)

    result = attempt(coordinator_04, moved)

    assert not result.ok
    messages = [(p.sheet, p.row, p.message) for p in result.problems]
    assert ("Projekt", 2, "Cellen innehåller en formel; skriv in värdet.") in messages


def test_a_sheet_declared_as_something_else_is_refused(world, coordinator_04):
    moved = _moved_sheet(template_file(), new_name="xl/comments9.xml", declared_as=COMMENTS_TYPE)

    message = refused(coordinator_04, moved)

    assert message.startswith(
        "Filen innehåller ”xl/comments9.xml”, som inte hör till en importmall"
    )


def test_a_part_that_nothing_names_is_refused(world, coordinator_04):
    sheet = parts(template_file())[projects_part(template_file())]
    file = ib.rezip(template_file(), add={"xl/comments9.xml": sheet})

    message = refused(coordinator_04, file)

    assert message.startswith(
        "Filen innehåller ”xl/comments9.xml”, som inte hör till en importmall"
    )


def test_an_external_link_is_refused(world, coordinator_04):
    file = template_file()
    rels = parts(file)["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/externalLink" Target="http://example.invalid/x.xlsx" '
        'TargetMode="External"/></Relationships>',
    )
    file = ib.rezip(file, replace={"xl/_rels/workbook.xml.rels": rels.encode()})

    message = refused(coordinator_04, file)

    assert message.startswith("Filen innehåller ”http://example.invalid/x.xlsx”")


def test_a_relationship_leaving_the_package_is_refused(world, coordinator_04):
    file = template_file()
    rels = parts(file)["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace('Target="styles.xml"', 'Target="../../../etc/passwd"')
    file = ib.rezip(file, replace={"xl/_rels/workbook.xml.rels": rels.encode()})

    assert refused(coordinator_04, file) == "Filen är inte en Excel-arbetsbok (.xlsx)."


def test_a_libreoffice_saved_template_is_accepted():
    """Parts and content types as LibreOffice writes them (it writes every relationship and
    formatted empty rows): a real file, kept in fixtures."""
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "fixtures" / "imports" / "libreoffice.xlsx"
    with zipfile.ZipFile(path) as archive:
        found = package.inspect(archive)
    assert len(found.worksheets) == 5 and found.shared_strings == "xl/sharedStrings.xml"


# --- the sandbox ----------------------------------------------------------------------------------


def _with_more_strings(file: io.BytesIO, items: list[bytes]) -> io.BytesIO:
    """The downloaded template with ``items`` added to its shared-string table."""
    table = parts(file)["xl/sharedStrings.xml"]
    table = re.sub(rb' (?:count|uniqueCount)="\d+"', b"", table)
    extra = b"".join(b"<si><t>%s</t></si>" % item for item in items)
    return ib.rezip(
        file, replace={"xl/sharedStrings.xml": table.replace(b"</sst>", extra + b"</sst>")}
    )


def test_a_file_that_needs_more_memory_than_allowed_is_refused_not_crashed(
    world, coordinator_04, settings
):
    """Within every size limit, but more memory than the sandbox allows: refused, with the
    same message whatever the file, and the server's process untouched."""
    settings.IMPORT_PARSE_MEMORY_MB = 8
    # One text of 40 MB in two letters at random: it compresses to some 6 MB (under the
    # ratio cap), and the parser must hold it whole.
    letters = [bytes(b"ab"[(byte >> bit) & 1] for bit in range(8)) for byte in range(256)]
    text = b"".join(letters[byte] for byte in os.urandom(5 * 1024 * 1024))
    file = _with_more_strings(downloaded_template(), [text])

    message = refused(coordinator_04, file)

    assert message.startswith("Filen kräver mer minne att läsa än en importmall får göra")


def _spin():
    while True:
        pass


def _sleep():
    time.sleep(60)


def _allocate():
    return b"x" * (200 * 1024 * 1024)


def _raise():
    raise ValueError("från barnet")


def test_the_sandbox_stops_a_child_at_its_cpu_limit():
    with pytest.raises(sandbox.LimitReached) as reached:
        sandbox.run(_spin, cpu_seconds=1, memory_bytes=50 * 1024 * 1024, wall_seconds=60)
    assert reached.value.limit == "cpu"
    assert sandbox.last_usage.cpu_seconds < 3


def test_the_sandbox_stops_a_child_at_its_wall_clock_limit():
    started = time.monotonic()
    with pytest.raises(sandbox.LimitReached) as reached:
        sandbox.run(_sleep, cpu_seconds=5, memory_bytes=50 * 1024 * 1024, wall_seconds=0.5)
    assert reached.value.limit == "time"
    assert time.monotonic() - started < 3


def test_the_sandbox_stops_a_child_at_its_memory_limit():
    with pytest.raises(sandbox.LimitReached) as reached:
        sandbox.run(_allocate, cpu_seconds=5, memory_bytes=50 * 1024 * 1024, wall_seconds=10)
    assert reached.value.limit == "memory"


def test_the_sandbox_returns_the_value_and_raises_what_the_child_raised():
    assert sandbox.run(len, "abc", cpu_seconds=5, memory_bytes=50 * 2**20, wall_seconds=10) == 3
    with pytest.raises(ValueError, match="från barnet"):
        sandbox.run(_raise, cpu_seconds=5, memory_bytes=50 * 1024 * 1024, wall_seconds=10)


# --- one import at a time ---------------------------------------------------------------------


def test_a_second_import_by_the_same_user_waits_for_the_first(
    world, coordinator_04, coordinator_05
):
    """The turn is a lease in the database; tests/test_two_servers.py holds it in one process
    and imports through an app server in another."""
    with uploads.one_at_a_time(coordinator_04):
        result = attempt(coordinator_04, template_file())
        other = projects_import(
            county=builders.county("05"), user=coordinator_05, file=template_file(), dry_run=True
        )

    assert [p.message for p in result.problems] == [
        "Du har redan en import som läses in eller sparas. Vänta tills den är klar och försök "
        "sedan igen."
    ]
    # Another user is not held up (their file is for another county, which they are told).
    assert all("redan en import" not in p.message for p in other.problems)
    # Once the first is done, the user may import again.
    assert attempt(coordinator_04, template_file(), dry_run=True).ok


def test_when_the_server_reads_as_many_files_as_it_may_the_next_is_asked_to_wait(
    world, coordinator_04, settings
):
    """The worker that asked waits for its file: with IMPORT_PARSE_CONCURRENCY files being read,
    one more is turned away at once, so the other workers stay free for pages."""
    settings.IMPORT_PARSE_CONCURRENCY = 1
    with uploads.parse_slot():
        result = attempt(coordinator_04, template_file())
    assert [p.message for p in result.problems] == [
        "Servern läser in många filer just nu. Ingenting har sparats; försök igen om en minut."
    ]
    assert attempt(coordinator_04, template_file(), dry_run=True).ok


# --- what an attacker tried next ---------------------------------------------------------------


def test_a_sheet_named_under_another_relationship_is_refused(world, coordinator_04):
    """openpyxl opens what <sheet r:id> names whatever the relationship calls it: a Projekt
    sheet related as customXml (and typed application/xml) would escape the worksheet checks."""
    file = template_file()
    old_name = projects_part(file)
    contents = parts(file)
    rels = contents["xl/_rels/workbook.xml.rels"].decode()
    rels = re.sub(
        rf'Type="[^"]*/worksheet" Target="/?{re.escape(old_name)}"',
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" '
        f'Target="/{old_name}"',
        rels,
    )
    types = contents["[Content_Types].xml"].decode()
    types = re.sub(rf'<Override PartName="/{re.escape(old_name)}"[^>]*/>', "", types)
    file = ib.rezip(
        file,
        replace={
            "xl/_rels/workbook.xml.rels": rels.encode(),
            "[Content_Types].xml": types.encode(),
        },
    )

    message = refused(coordinator_04, file)

    assert message.startswith(f"Filen innehåller ”{old_name}”, som inte hör till en importmall")


def test_a_formula_under_any_namespace_prefix_is_found(world, coordinator_04):
    book = ib.template()
    ib.set_cell(book, "Projekt", 2, "title", "=1+1")
    file = ib.save(book)
    name = projects_part(file)
    sheet = parts(file)[name]
    assert b"<f>1+1</f>" in sheet
    ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = sheet.replace(b"<f>1+1</f>", b'<a.b:f xmlns:a.b="%s">1+1</a.b:f>' % ns)

    result = attempt(coordinator_04, ib.rezip(file, replace={name: sheet}))

    messages = [(p.sheet, p.row, p.message) for p in result.problems]
    assert ("Projekt", 2, "Cellen innehåller en formel; skriv in värdet.") in messages


def _corrupted(file: io.BytesIO) -> io.BytesIO:
    """One byte of a sheet's compressed data flipped: the zip's checksum no longer holds."""
    data = bytearray(file.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        entry = archive.getinfo(projects_part(file))
    start = entry.header_offset + 30 + len(entry.filename.encode()) + len(entry.extra)
    data[start + entry.compress_size // 2] ^= 0xFF
    corrupted = io.BytesIO(bytes(data))
    corrupted.name = "mall.xlsx"
    return corrupted


def test_a_damaged_zip_is_refused_as_unreadable_and_leaves_no_file(
    client, world, coordinator_04, import_upload_dir
):
    builders.follow_up_round(year=2001)
    client.force_login(coordinator_04)

    response = client.post("/omgang/2001/lan/04/importera/", {"file": _corrupted(template_file())})

    assert response.status_code == 200
    assert "Filen kunde inte läsas som en Excel-arbetsbok (.xlsx)." in response.content.decode()
    assert uploads.waiting() == []


def test_an_upload_that_fails_in_any_way_leaves_no_file(
    world, coordinator_04, import_upload_dir, monkeypatch
):
    from agreements.imports import flow

    def breaks(**kwargs):
        raise RuntimeError("anything at all")

    monkeypatch.setattr(flow, "projects_import", breaks)
    uploaded = SimpleUploadedFile("mall.xlsx", template_file().getvalue())
    with pytest.raises(RuntimeError):
        flow.upload_preview(
            session={}, user=coordinator_04, county=builders.county("04"), uploaded=uploaded
        )
    assert uploads.waiting() == []


def test_the_preview_shows_the_first_errors_and_counts_the_rest(client, world, coordinator_04):
    """A file with an error in every row must not make a page of megabytes."""
    from agreements.imports.flow import PREVIEW_PROBLEMS_SHOWN

    builders.follow_up_round(year=2001)
    book = ib.template()
    for n in range(PREVIEW_PROBLEMS_SHOWN + 50):
        ib.append(book, "Projekt", title=f"Utan diarienummer {n}")
    client.force_login(coordinator_04)

    response = client.post("/omgang/2001/lan/04/importera/", {"file": ib.save(book)})

    page = response.content.decode()
    shown = page.count("<tr>") - page.count("<thead><tr>")
    total = len(response.context["result"].problems)
    assert total > PREVIEW_PROBLEMS_SHOWN
    assert shown <= PREVIEW_PROBLEMS_SHOWN + 10  # and the rows of the other tables
    assert f"… och {formats.number(total - PREVIEW_PROBLEMS_SHOWN)} fel till." in page
