"""The import template names organisations as people know them: by name, with the organisation
number added only where two organisations share the name (their ID where one has no number).
Read back, every label finds exactly the organisation it was written for."""

import pytest

from agreements.imports import columns as cols
from agreements.imports.services import projects_import
from agreements.models import FinancingLine, Project
from tests import builders
from tests import import_builders as ib

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    made = ib.county_world("04", projects=1)
    area = made["agreement"].priority_areas.get()
    twins = [
        builders.organisation(name="Nordic Components AB", org_number=number)
        for number in ("556677-8899", "556123-4567")
    ]
    nameless_twins = [builders.organisation(name="Samverkan Sörmland") for _ in range(2)]
    owners = [*twins, *nameless_twins]
    for index, owner in enumerate(owners):
        project = builders.project(
            measure_obj=area.measures.get(number=1),
            reference_number=f"04-02{index:02d}",
            title=f"Tvilling {index}",
            owner=owner,
        )
        builders.financing_line(project_obj=project, amount="1000", financier=owner)
    return {**made, "twins": twins, "nameless_twins": nameless_twins}


def listed_owners(book) -> set[str]:
    lists = book[cols.LISTS]
    return {c.value for column in lists.iter_cols() for c in column if isinstance(c.value, str)}


def run(user, book, *, dry_run=True):
    return projects_import(
        county=builders.county("04"), user=user, file=ib.save(book), dry_run=dry_run
    )


def test_names_with_a_number_only_where_two_share_the_name(world):
    book = ib.template()
    owners = listed_owners(book)
    first, second = world["nameless_twins"]
    assert {
        "Ägarbolaget 04 AB",
        "Nordic Components AB (556677-8899)",
        "Nordic Components AB (556123-4567)",
        f"Samverkan Sörmland (ID {first.pk})",
        f"Samverkan Sörmland (ID {second.pk})",
    } <= owners
    assert "556012-5790" not in owners  # no organisation by its bare number
    projects = book[cols.PROJECTS]
    shown = {
        projects.cell(row, ib.column_of(projects, "reference_number")).value: projects.cell(
            row, ib.column_of(projects, "owner")
        ).value
        for row in range(2, projects.max_row + 1)
    }
    assert shown["04-0001"] == "Ägarbolaget 04 AB"
    assert shown["04-0200"] == "Nordic Components AB (556677-8899)"


def test_the_round_trip_finds_every_organisation_again(world, coordinator_04):
    before = ib.register_state()
    result = run(coordinator_04, ib.template(), dry_run=False)
    assert result.ok, result.problems
    assert result.counts[cols.PROJECTS]["update"] == 0
    assert result.counts[cols.FINANCING]["update"] == 0
    assert ib.register_state() == before


def test_a_label_moved_to_another_project_moves_exactly_that_owner(world, coordinator_04):
    book = ib.template()
    projects = book[cols.PROJECTS]
    row = ib.row_of(projects, "reference_number", "04-0001")
    ib.set_cell(book, cols.PROJECTS, row, "owner", "Nordic Components AB (556123-4567)")
    result = run(coordinator_04, book, dry_run=False)
    assert result.ok, result.problems
    assert Project.objects.get(reference_number="04-0001").owner == world["twins"][1]
    assert FinancingLine.objects.filter(financier=world["twins"][1]).count() == 1


@pytest.mark.parametrize(
    ("label", "message"),
    [
        (
            "Ägarbolaget 04 AB (556677-8899)",
            "”Ägarbolaget 04 AB” är inte namnet på organisationen 556677-8899, som heter "
            "”Nordic Components AB”. Ange antingen namnet eller numret.",
        ),
        (
            "Nordic Components AB (556036-0793)",
            "Ingen organisation har organisationsnumret 556036-0793. Lägg till den på bladet "
            "Organisationer.",
        ),
        ("Samverkan Sörmland (ID 999999)", "Det finns ingen organisation med ID 999999."),
        (
            "Samverkan Sörmland",
            "Flera organisationer heter ”Samverkan Sörmland”. Ange organisationsnumret i stället "
            "för namnet.",
        ),
        (
            "Okänt Bolag AB",
            "Okänd organisation ”Okänt Bolag AB”. Ange organisationsnummer eller exakt namn på en "
            "befintlig organisation, eller lägg till den på bladet Organisationer.",
        ),
    ],
)
def test_a_label_that_does_not_fit_is_refused_at_its_cell(world, coordinator_04, label, message):
    book = ib.template()
    row = ib.row_of(book[cols.PROJECTS], "reference_number", "04-0001")
    ib.set_cell(book, cols.PROJECTS, row, "owner", label)
    before = ib.register_state()
    result = run(coordinator_04, book, dry_run=False)
    assert not result.ok
    (problem,) = [p for p in result.problems if p.row == row]
    assert problem.message == message
    assert problem.sheet == cols.PROJECTS
    assert ib.register_state() == before
