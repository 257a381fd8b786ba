"""The import's Organisationer sheet, rule by rule: each refusal names its sheet, row and column
in Swedish and changes nothing; each accepted row creates or changes exactly its organisation,
and a new organisation can be named as owner on the Projekt sheet of the same file."""

import pytest

from agreements.imports import columns as cols
from agreements.imports.services import projects_import
from agreements.models import Organisation, Project
from tests import builders
from tests import import_builders as ib

pytestmark = pytest.mark.django_db

KIND = "Företag"


@pytest.fixture
def world():
    made = ib.county_world("04", projects=1)
    builders.organisation(name="Hyttverken AB", org_number="556036-0793")
    return made


def run(user, book, *, dry_run=False):
    return projects_import(
        county=builders.county("04"), user=user, file=ib.save(book), dry_run=dry_run
    )


def new_org(book, **values) -> int:
    return ib.append(book, cols.ORGANISATIONS, **({"name": "Nytt Bolag AB", "kind": KIND} | values))


def refused(user, book, row: int) -> list[tuple[str, str]]:
    """Run the file; it must change nothing; (column, message) of each problem on ``row``."""
    before = ib.register_state()
    result = run(user, book)
    assert not result.ok
    assert ib.register_state() == before
    return [(p.column, p.message) for p in result.problems if p.sheet == cols.ORGANISATIONS
            and p.row == row]  # fmt: skip


def test_a_new_organisation_is_created_and_can_own_a_project_in_the_same_file(
    world, coordinator_04
):
    book = ib.template()
    new_org(book, name="Nordbygg AB", org_number="556677-8899", municipality="0484 Eskilstuna")
    new_org(book, name="Utan Nummer ek. för.", kind="Förening")
    ib.new_project(book, "04-0100", owner="Nordbygg AB")
    ib.new_project(book, "04-0101", owner="556677-8899")
    ib.new_project(book, "04-0102", owner="utan nummer ek. för.")
    result = run(coordinator_04, book)
    assert result.ok, result.problems
    nordbygg = Organisation.objects.get(name="Nordbygg AB")
    assert (nordbygg.county.code, nordbygg.kind.name, nordbygg.org_number) == (
        "04",
        KIND,
        "556677-8899",
    )
    assert nordbygg.municipality.code == "0484"
    assert Organisation.objects.get(name="Utan Nummer ek. för.").kind.name == "Förening"
    owners = dict(Project.objects.values_list("reference_number", "owner__name"))
    assert owners["04-0100"] == owners["04-0101"] == "Nordbygg AB"
    assert owners["04-0102"] == "Utan Nummer ek. för."


def test_an_existing_organisation_is_changed_by_its_row(world, coordinator_04):
    owner = world["owner"]
    book = ib.template()
    row = ib.row_of(book[cols.ORGANISATIONS], "id", owner.pk)
    ib.set_cell(book, cols.ORGANISATIONS, row, "kind", "Förening")
    ib.set_cell(book, cols.ORGANISATIONS, row, "name", "Ägarbolaget 04 ek. för.")
    result = run(coordinator_04, book)
    assert result.ok, result.problems
    owner.refresh_from_db()
    assert (owner.name, owner.kind.name) == ("Ägarbolaget 04 ek. för.", "Förening")


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        (
            {"id": 999999},
            "ID",
            "Det finns ingen organisation med ID 999999 i Södermanlands län. Organisationer från "
            "andra län ändras inte här; lämna ID tomt för en ny organisation.",
        ),
        ({"name": None}, "Namn", "Värde saknas: kolumnen måste fyllas i."),
        ({"kind": None}, "Typ av aktör", "Värde saknas: kolumnen måste fyllas i."),
        ({"kind": "Rymdbolag"}, "Typ av aktör", "Okänt värde ”Rymdbolag”. Välj ett av: "),
        ({"org_number": "556677-8891"}, "Organisationsnummer", "kontrollsiffran stämmer inte"),
        (
            {"name": "Hyttverken AB"},
            "Namn",
            "Det finns redan en organisation som heter ”Hyttverken AB”. Ange den med namnet som "
            "projektägare, eller ange organisationsnummer för en ny organisation med samma namn.",
        ),
        (
            {"org_number": "556036-0793"},
            "Organisationsnummer",
            "Det finns redan en organisation med organisationsnumret 556036-0793: Hyttverken AB.",
        ),
        ({"municipality": "0180 Stockholm"}, "Hemkommun", "ligger inte i Södermanlands län"),
    ],
)
def test_a_row_that_breaks_a_rule_is_refused_at_its_cell(
    world, coordinator_04, values, column, message
):
    book = ib.template()
    row = new_org(book, **values)
    problems = refused(coordinator_04, book, row)
    assert [c for c, _m in problems] == [column], problems
    text = problems[0][1]
    # The whole sentence where the test gives one (it ends with a full stop), else its core.
    assert text == message if message.endswith(".") and message[0].isupper() else message in text


def test_every_refused_row_is_told_not_only_the_first(world, coordinator_04):
    book = ib.template()
    first = new_org(book, name=None)
    second = new_org(book, name="Andra AB", kind=None)
    fine = new_org(book, name="Tredje AB")
    result = run(coordinator_04, book)
    rows = {p.row for p in result.problems if p.sheet == cols.ORGANISATIONS}
    assert rows == {first, second} and fine not in rows


def test_the_same_name_or_number_twice_in_the_file_names_the_first_row(world, coordinator_04):
    book = ib.template()
    first = new_org(book, name="Tvilling AB", org_number="556677-8899")
    second = new_org(book, name=" TVILLING  AB", org_number="556677-8899")
    problems = refused(coordinator_04, book, second)
    assert ("Namn", f"Organisationen ”TVILLING AB” finns redan på rad {first}.") in problems
    assert (
        "Organisationsnummer",
        f"Organisationsnumret 556677-8899 finns redan på rad {first}.",
    ) in problems
    assert not refused(coordinator_04, book, first)  # the first row itself is fine


def test_a_shared_name_is_accepted_with_a_number_of_its_own(world, coordinator_04):
    book = ib.template()
    new_org(book, name="Hyttverken AB", org_number="556677-8899")
    result = run(coordinator_04, book)
    assert result.ok, result.problems
    assert Organisation.objects.filter(name="Hyttverken AB").count() == 2


def test_renaming_to_a_name_another_organisation_has_is_refused(world, coordinator_04):
    owner = world["owner"]
    owner.org_number = ""
    owner.save()
    book = ib.template()
    row = ib.row_of(book[cols.ORGANISATIONS], "id", owner.pk)
    ib.set_cell(book, cols.ORGANISATIONS, row, "name", "Hyttverken AB")
    problems = refused(coordinator_04, book, row)
    assert problems and problems[0][0] == "Namn"
    assert "Det finns redan en organisation som heter ”Hyttverken AB”." in problems[0][1]

    # Its own name, unchanged, is never a clash with itself.
    book = ib.template()
    assert run(coordinator_04, book).ok
