"""Bad rows: each is reported with sheet, row, column and a Swedish message; nothing is written,
not even the file's valid rows."""

import pytest

from agreements.imports import columns as cols
from agreements.imports.services import projects_import
from tests import builders
from tests import import_builders as ib

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return {"04": ib.county_world("04", projects=2), "05": ib.county_world("05")}


def import_with(user, book, code="04"):
    before = ib.register_state()
    result = projects_import(
        county=builders.county(code), user=user, file=ib.save(book), dry_run=False
    )
    assert not result.ok
    assert not result.written
    assert ib.register_state() == before, "a refused file changed the register"
    return result


def only_problem(result):
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    return result.problems[0]


def test_unknown_municipality_code(world, coordinator_04):
    book = ib.template()
    row = ib.new_project(book, municipality="9999")
    ib.set_cell(book, cols.PROJECTS, 2, "title", "En giltig ändring som inte sparas")

    problem = only_problem(import_with(coordinator_04, book))

    assert (problem.sheet, problem.row, problem.column, problem.letter) == (
        cols.PROJECTS,
        row,
        "Kommun",
        "G",
    )
    assert problem.message == "Okänd kommun ”9999”. Välj en kommun ur listan (kod och namn)."


def test_municipality_of_another_county(world, coordinator_04):
    book = ib.template()
    ib.new_project(book, municipality="0580 Linköping")

    problem = only_problem(import_with(coordinator_04, book))

    assert problem.message == "Kommunen Linköping (0580) ligger inte i Södermanlands län."


def test_measure_of_another_agreement(world, coordinator_04):
    other = builders.agreement(county_code="04", start_year=2004, end_year=2007)
    area = builders.priority_area(agreement_obj=other, number=3)
    builders.measure(area=area, number=1, name="Turism")
    book = ib.template()
    row = ib.new_project(book, agreement="Regionalt tillväxtavtal 2000–2003", measure="3.1 Turism")

    problem = only_problem(import_with(coordinator_04, book))

    assert (problem.row, problem.column) == (row, "Åtgärd")
    assert problem.message == (
        "Åtgärden ”3.1 Turism” finns inte i avtalet Regionalt tillväxtavtal 2000–2003. "
        "Välj en åtgärd ur listan."
    )


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("tjugo tusen", "”tjugo tusen” är inte ett belopp. Skriv till exempel 1 250 000,50."),
        ("-5 000", "Beloppet får inte vara negativt."),
        (-5000, "Beloppet får inte vara negativt."),
        ("12,345", "Beloppet får ha högst två decimaler (ören)."),
    ],
)
def test_bad_amounts(world, coordinator_04, amount, message):
    book = ib.template()
    row = ib.new_line(book, reference_number="04-0001", amount=amount)

    problem = only_problem(import_with(coordinator_04, book))

    assert (problem.sheet, problem.row, problem.column) == (cols.FINANCING, row, "Belopp (kr)")
    assert problem.message == message


def test_end_before_start(world, coordinator_04):
    book = ib.template()
    ib.new_project(book, start_date="2002-01-01", end_date="2001-12-31")

    problem = only_problem(import_with(coordinator_04, book))

    assert problem.column == "Slutdatum"
    assert problem.message == "Slutdatum kan inte vara före startdatum."


def test_not_a_date(world, coordinator_04):
    book = ib.template()
    ib.new_project(book, start_date="15/3 2001")

    problem = only_problem(import_with(coordinator_04, book))

    assert problem.message == "”15/3 2001” är inte ett datum. Skriv datumet som 2001-03-15."


def test_duplicate_reference_number_in_the_file(world, coordinator_04):
    book = ib.template()
    first = ib.new_project(book, reference_number="04-0100")
    second = ib.new_project(book, reference_number="04-0100")

    problem = only_problem(import_with(coordinator_04, book))

    assert (problem.row, problem.column) == (second, "Diarienummer")
    assert problem.message == f"Diarienumret ”04-0100” finns redan på rad {first}."


def test_new_row_with_an_existing_reference_number(world, coordinator_04):
    existing = world["04"]["projects"][0]
    book = ib.template()
    projects = book[cols.PROJECTS]
    projects.delete_rows(ib.row_of(projects, "id", existing.pk))  # a file with new rows only
    ib.new_project(book, reference_number=existing.reference_number)

    problem = only_problem(import_with(coordinator_04, book))

    assert problem.message == (
        f"Länet har redan ett projekt med diarienumret ”{existing.reference_number}” "
        f"(ID {existing.pk}). Skriv projektets ID i kolumnen ID för att ändra det i stället."
    )


def test_unknown_owner(world, coordinator_04):
    book = ib.template()
    ib.new_project(book, owner="Okända Bolaget AB")

    problem = only_problem(import_with(coordinator_04, book))

    assert problem.column == "Projektägare"
    assert problem.message.startswith("Okänd organisation ”Okända Bolaget AB”.")


def test_owner_with_a_bad_org_number_checksum(world, coordinator_04):
    book = ib.template()
    ib.new_project(book, owner="556012-5791")

    problem = only_problem(import_with(coordinator_04, book))

    assert "kontrollsiffran stämmer inte" in problem.message


def test_owner_by_an_unknown_org_number(world, coordinator_04):
    book = ib.template()
    ib.new_project(book, owner="202100-2114")

    problem = only_problem(import_with(coordinator_04, book))

    assert problem.message == (
        "Ingen organisation har organisationsnumret 202100-2114. Lägg till den på bladet "
        "Organisationer."
    )


def test_an_id_of_another_countys_project_answers_like_a_missing_one(world, coordinator_04):
    other = world["05"]["projects"][0]
    book = ib.template()
    row = ib.new_project(book, reference_number="04-0200")
    ib.set_cell(book, cols.PROJECTS, row, "id", other.pk)

    problem = only_problem(import_with(coordinator_04, book))

    assert problem.message == (
        f"Det finns inget projekt med ID {other.pk} i Södermanlands län. Lämna ID tomt för "
        "ett nytt projekt."
    )


def test_a_line_of_an_unknown_project(world, coordinator_04):
    book = ib.template()
    ib.new_line(book, reference_number="04-9999")

    problem = only_problem(import_with(coordinator_04, book))

    assert problem.message == (
        "Det finns inget projekt med diarienumret ”04-9999” i länet eller på bladet Projekt."
    )


def test_missing_required_value_and_unknown_status(world, coordinator_04):
    book = ib.template()
    row = ib.new_project(book, title=None, status="Klart")

    result = import_with(coordinator_04, book)

    messages = {(p.row, p.column): p.message for p in result.problems}
    assert messages[(row, "Projektnamn")] == "Värde saknas: kolumnen måste fyllas i."
    assert messages[(row, "Status")].startswith("Okänt värde ”Klart”. Välj ett av: Ansökt,")


def test_a_new_organisation_with_a_taken_org_number(world, coordinator_04):
    book = ib.template()
    ib.append(
        book, cols.ORGANISATIONS, name="Kopian AB", kind=ib.company_kind(), org_number="556036-0793"
    )

    problem = only_problem(import_with(coordinator_04, book))

    assert problem.message == (
        "Det finns redan en organisation med organisationsnumret 556036-0793: Ägarbolaget 05 AB."
    )


def test_every_error_of_the_file_is_listed(world, coordinator_04):
    book = ib.template()
    ib.new_project(book, reference_number="04-0100", municipality="9999")
    ib.new_project(book, reference_number="04-0101", owner="Ingen AB")
    ib.new_line(book, reference_number="04-0001", amount="-1")

    result = import_with(coordinator_04, book)

    assert [(p.sheet, p.column) for p in result.problems] == [
        (cols.PROJECTS, "Kommun"),
        (cols.PROJECTS, "Projektägare"),
        (cols.FINANCING, "Belopp (kr)"),
    ]


def test_a_file_for_another_county_is_refused(world, coordinator_04, administrator):
    book = ib.template("05")

    for user in (administrator,):
        problem = only_problem(import_with(user, book, code="04"))
        assert problem.message == (
            "Filen gäller Östergötlands län, men du importerar till Södermanlands län."
        )
