"""The round trip: the county's template, imported back unchanged, changes nothing; edited
cells change exactly those fields, audited with the importing user."""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from agreements.imports import columns as cols
from agreements.imports.services import CHANGE_REASON, projects_import
from agreements.models import FinancingLine, Organisation, Project
from tests import builders
from tests import import_builders as ib

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return ib.county_world("04", projects=3)


def run(user, book_or_file, *, dry_run=False, code="04"):
    file = ib.save(book_or_file) if isinstance(book_or_file, openpyxl.Workbook) else book_or_file
    return projects_import(county=builders.county(code), user=user, file=file, dry_run=dry_run)


def test_the_unchanged_template_changes_nothing_and_adds_no_history(world, coordinator_04):
    before = ib.register_state()

    result = run(coordinator_04, ib.template())

    assert result.ok, result.problems
    assert not result.written
    assert result.counts[cols.PROJECTS] == {"create": 0, "update": 0, "unchanged": 3}
    assert result.counts[cols.FINANCING] == {"create": 0, "update": 0, "unchanged": 3}
    assert (
        result.counts[cols.ORGANISATIONS]["unchanged"]
        == Organisation.objects.filter(county__code="04").count()
    )
    assert ib.register_state() == before


def test_the_template_carries_the_county_and_the_ids(world):
    book = ib.template()

    instructions = book[cols.INSTRUCTIONS]
    assert ("Länskod", "04") in [
        (row[0], row[1]) for row in instructions.iter_rows(values_only=True)
    ]
    assert book.sheetnames == list(cols.SHEETS)
    assert book[cols.LISTS].sheet_state == "hidden"
    projects = book[cols.PROJECTS]
    ids = {projects.cell(row, 1).value for row in range(2, 5)}
    assert ids == {p.pk for p in world["projects"]}
    # Drop-downs from the county's own data: measures of its agreement, valid municipalities.
    lists = [c.value for c in book[cols.LISTS]["B"] if c.value]
    assert "1.2 Kompetens" in lists
    assert any(
        v.sqref and "Listor" in (v.formula1 or "") for v in projects.data_validations.dataValidation
    )


def test_edited_cells_change_exactly_those_fields_audited_with_the_user(world, coordinator_04):
    first, second, third = world["projects"]
    book = ib.template()
    row = ib.row_of(book[cols.PROJECTS], "id", first.pk)
    ib.set_cell(book, cols.PROJECTS, row, "title", "Nytt namn på projektet")
    ib.set_cell(book, cols.PROJECTS, row, "measure", "1.2 Kompetens")
    line = first.financing_lines.get()
    line_row = ib.row_of(book[cols.FINANCING], "id", line.pk)
    ib.set_cell(book, cols.FINANCING, line_row, "amount", "1 250 000,50")
    untouched = {p.pk: (p.version, p.history.count()) for p in (second, third)}

    result = run(coordinator_04, book)

    assert result.ok, result.problems
    assert result.written
    assert result.counts[cols.PROJECTS] == {"create": 0, "update": 1, "unchanged": 2}
    assert result.counts[cols.FINANCING] == {"create": 0, "update": 1, "unchanged": 2}
    first.refresh_from_db()
    assert first.title == "Nytt namn på projektet"
    assert first.measure == world["measures"][1]
    assert first.version == 2
    record = first.history.first()
    assert record.history_type == "~"
    assert record.history_user == coordinator_04
    assert record.history_change_reason == CHANGE_REASON
    changes = record.diff_against(record.prev_record).changes
    assert {change.field for change in changes} == {"title", "measure"}
    line.refresh_from_db()
    assert line.amount == Decimal("1250000.50")
    assert line.history.first().history_user == coordinator_04
    for project in (second, third):
        project.refresh_from_db()
        assert (project.version, project.history.count()) == untouched[project.pk]


def test_new_rows_create_projects_lines_and_owners(world, coordinator_04):
    book = ib.template()
    ib.append(
        book,
        cols.ORGANISATIONS,
        name="Nya Verkstaden AB",
        kind=ib.company_kind(),
        org_number="5565475489",
        municipality="0484 Eskilstuna",
    )
    ib.new_project(book, owner="Nya Verkstaden AB", municipality="0484 Eskilstuna")
    ib.new_line(book, amount="1\u202f250\u00a0000,50", financier="556547-5489")
    ib.new_line(book, amount=75000, kind="Utfall", year="2002")

    result = run(coordinator_04, book)

    assert result.ok, result.problems
    project = Project.objects.get(reference_number="04-0100")
    assert project.county.code == "04"
    assert project.owner.name == "Nya Verkstaden AB"
    assert project.owner.county.code == "04"
    assert project.owner.org_number == "556547-5489"
    assert project.start_date == datetime.date(2001, 3, 15)
    assert project.end_date == datetime.date(2002, 12, 31)
    assert project.status == Project.Status.GRANTED
    amounts = sorted(project.financing_lines.values_list("amount", "kind"))
    assert amounts == [(Decimal("75000"), "utfall"), (Decimal("1250000.50"), "beslutat")]
    assert project.history.get().history_user == coordinator_04
    assert project.owner.history.get().history_type == "+"


def test_columns_in_another_order_are_matched_by_header(world, coordinator_04):
    book = ib.template()
    sheet = book[cols.PROJECTS]
    sheet.move_range("A1:M20", cols=20)  # every column moved right …
    sheet.move_range("U1:U20", cols=-20)  # … and ID back first, the rest after a gap
    ib.new_project(book)

    result = run(coordinator_04, book)

    assert result.ok, result.problems
    assert result.counts[cols.PROJECTS] == {"create": 1, "update": 0, "unchanged": 3}


def test_a_second_import_of_the_same_new_rows_is_refused_not_duplicated(world, coordinator_04):
    book = ib.template()
    ib.new_project(book)
    assert run(coordinator_04, book).written

    result = run(coordinator_04, book)  # the same file again: its new row has no ID

    assert not result.ok
    assert "Länet har redan ett projekt med diarienumret ”04-0100”" in result.problems[0].message
    assert Project.objects.filter(reference_number="04-0100").count() == 1


def test_dry_run_writes_nothing(world, coordinator_04):
    book = ib.template()
    ib.new_project(book)
    before = ib.register_state()

    result = run(coordinator_04, book, dry_run=True)

    assert result.ok and not result.written
    assert result.counts[cols.PROJECTS]["create"] == 1
    assert ib.register_state() == before


def test_commands_write_the_template_and_import_it(world, coordinator_04, tmp_path, capsys):
    path = tmp_path / "mall.xlsx"
    call_command("export_template", "--county", "04", "-o", str(path))
    book = openpyxl.load_workbook(path)
    ib.new_project(book)
    book.save(path)

    call_command("import_projects", str(path), "--county", "04", "--user", "samordnare04")

    out = capsys.readouterr().out
    assert "Projekt: 1 nya, 0 ändrade, 3 oförändrade" in out
    assert Project.objects.filter(reference_number="04-0100").exists()


def test_the_command_reports_every_error_and_fails(world, coordinator_04, tmp_path, capsys):
    book = ib.template()
    ib.new_project(book, municipality="9999")
    path = tmp_path / "mall.xlsx"
    book.save(path)

    with pytest.raises(CommandError, match="1 fel i filen. Ingenting har sparats."):
        call_command("import_projects", str(path), "--county", "04", "--user", "samordnare04")

    err = capsys.readouterr().err
    assert "Projekt, rad 5, kolumn Kommun (G): Okänd kommun ”9999”" in err
    assert FinancingLine.objects.count() == 3
