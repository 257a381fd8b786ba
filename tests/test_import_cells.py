"""How the import reads single cells it has no other test for: free text (kept as written, its
limit told with the number), partnerships and clusters named as people write them, statuses and
kinds by their label or their code, and an agreement not in the list named with the list."""

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
    builders.partnership(county_code="04", name="Partnerskapet för tillväxt i Södermanland")
    builders.cluster(county_code="04", name="Tunga fordon")
    return made


def run(user, book):
    return projects_import(
        county=builders.county("04"), user=user, file=ib.save(book), dry_run=False
    )


def problem_at(result, sheet: str, row: int) -> list[tuple[str, str]]:
    return [(p.column, p.message) for p in result.problems if p.sheet == sheet and p.row == row]


def test_free_text_is_kept_as_written(world, coordinator_04):
    book = ib.template()
    description = "Första stycket.\nAndra stycket med  två mellanslag."
    ib.new_project(book, "04-0100", description=description)
    ib.new_line(book, "04-0100", note="  Mål 2,   åtgärd 3  ")
    result = run(coordinator_04, book)
    assert result.ok, result.problems
    assert Project.objects.get(reference_number="04-0100").description == description
    note = FinancingLine.objects.get(project__reference_number="04-0100").note
    assert note == "Mål 2, åtgärd 3"  # a one-line text has its spaces tidied


@pytest.mark.parametrize(
    ("sheet", "field", "limit"),
    [(cols.PROJECTS, "description", 10_000), (cols.FINANCING, "note", None)],
)
def test_a_text_over_its_limit_is_told_with_the_numbers(world, coordinator_04, sheet, field,
                                                        limit):  # fmt: skip
    limit = limit or FinancingLine._meta.get_field("note").max_length
    book = ib.template()
    row = (
        ib.new_project(book, "04-0100", description="x" * (limit + 1))
        if sheet == cols.PROJECTS
        else ib.new_line(book, "04-0001", note="x" * (limit + 1))
    )
    before = ib.register_state()
    result = run(coordinator_04, book)
    assert not result.ok and ib.register_state() == before
    ((_column, message),) = problem_at(result, sheet, row)
    expected = f"Texten är för lång ({limit + 1} tecken); högst {limit} tecken."
    assert message.replace("\xa0", " ").replace(" ", "") == expected.replace(" ", "")


def test_partnerships_clusters_statuses_and_kinds_as_people_write_them(world, coordinator_04):
    book = ib.template()
    ib.new_project(book, "04-0100", partnership="  partnerskapet FÖR tillväxt i södermanland ",
                   cluster="TUNGA FORDON", status="pagaende")  # fmt: skip
    ib.new_project(book, "04-0101", status="Pågående")
    ib.new_line(book, "04-0100", kind="utfall")
    ib.new_line(book, "04-0101", kind="Utfall")
    result = run(coordinator_04, book)
    assert result.ok, result.problems
    project = Project.objects.get(reference_number="04-0100")
    assert project.partnership.name == "Partnerskapet för tillväxt i Södermanland"
    assert project.cluster.name == "Tunga fordon"
    assert project.status == Project.Status.ONGOING
    assert Project.objects.get(reference_number="04-0101").status == Project.Status.ONGOING
    kinds = FinancingLine.objects.filter(project__reference_number__in=["04-0100", "04-0101"])
    assert set(kinds.values_list("kind", flat=True)) == {FinancingLine.Kind.OUTCOME}


def test_an_unknown_partnership_cluster_or_agreement_is_named_at_its_cell(world, coordinator_04):
    book = ib.template()
    row = ib.new_project(book, "04-0100", partnership="Okänt partnerskap", cluster="Okänt kluster",
                         agreement="Regionalt tillväxtavtal 1990–1993")  # fmt: skip
    result = run(coordinator_04, book)
    problems = dict(problem_at(result, cols.PROJECTS, row))
    assert "Länet har inget partnerskap som heter" in problems["Partnerskap"]
    assert "Länet har inget kluster som heter" in problems["Kluster"]
    assert "Regionalt tillväxtavtal 2000–2003" in problems["Avtal"]  # the one to choose
