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


# --- every check of the Projekt and Finansiering sheets, told as a whole sentence -------------

MISSING = "Värde saknas: kolumnen måste fyllas i."


def refused(user, book) -> dict[tuple[str, int, str], str]:
    """The file's problems as {(sheet, row, column): message}; asserts nothing was written."""
    before = ib.register_state()
    result = run(user, book)
    assert not result.ok and not result.written
    assert ib.register_state() == before
    return {(p.sheet, p.row, p.column): p.message for p in result.problems}


@pytest.mark.parametrize(
    ("key", "column"),
    [
        ("reference_number", "Diarienummer"),
        ("title", "Projektnamn"),
        ("owner", "Projektägare"),
        ("measure", "Åtgärd"),
        ("status", "Status"),
    ],
)
def test_each_required_project_cell_left_empty_is_told_at_its_column(world, coordinator_04,
                                                                     key, column):  # fmt: skip
    book = ib.template()
    row = ib.new_project(book, **({"reference_number": "04-0100"} | {key: None}))
    ib.new_line(book, "04-0001")  # a valid line is not saved either
    assert refused(coordinator_04, book) == {(cols.PROJECTS, row, column): MISSING}


@pytest.mark.parametrize(
    ("key", "column"),
    [
        ("project", "Diarienummer"),
        ("source", "Finansieringskälla"),
        ("year", "År"),
        ("amount", "Belopp (kr)"),
        ("kind", "Beslutat/utfall"),
    ],
)
def test_each_required_financing_cell_left_empty_is_told_at_its_column(world, coordinator_04,
                                                                       key, column):  # fmt: skip
    book = ib.template()
    row = ib.new_line(book, **({"reference_number": "04-0001"} | {key: None}))
    assert refused(coordinator_04, book) == {(cols.FINANCING, row, column): MISSING}


def test_a_project_row_with_every_cell_filled_is_saved_as_written(world, coordinator_04):
    book = ib.template()
    ib.new_project(
        book, "04-0100", title="Gjuteriets  omställning", measure="1.2", owner="Ägarbolaget 04 AB",
        municipality="0480 Nyköping", partnership="Partnerskapet för tillväxt i Södermanland",
        cluster="Tunga fordon", start_date="2001-03-15", end_date="2001-03-15",
        status="Avslutat", description="Klart.",
    )  # fmt: skip
    ib.new_project(book, "04-0101", start_date=None, end_date="2001-01-01")
    result = run(coordinator_04, book)
    assert result.ok, result.problems
    project = Project.objects.get(reference_number="04-0100")
    assert (project.title, project.measure, project.owner) == (
        "Gjuteriets omställning", world["measures"][1], world["owner"],
    )  # fmt: skip
    assert (project.municipality.code, project.partnership.name, project.cluster.name) == (
        "0480", "Partnerskapet för tillväxt i Södermanland", "Tunga fordon",
    )  # fmt: skip
    assert str(project.start_date) == str(project.end_date) == "2001-03-15"  # one day is allowed
    assert (project.status, project.description) == (Project.Status.FINISHED, "Klart.")
    bare = Project.objects.get(reference_number="04-0101")
    assert (bare.municipality, bare.partnership, bare.cluster, bare.start_date) == (
        None, None, None, None,
    )  # fmt: skip
    assert (bare.description, str(bare.end_date)) == ("", "2001-01-01")


def test_a_financing_row_with_every_cell_filled_is_saved_as_written(world, coordinator_04):
    book = ib.template()
    ib.new_line(book, "04-0001", source=builders.source().name, financier="556012-5790",
                year="2002", amount=1250.5, kind="Utfall", note="Andra utbetalningen")  # fmt: skip
    ib.new_line(book, "04-0001", year=2003, amount="0")
    result = run(coordinator_04, book)
    assert result.ok, result.problems
    lines = FinancingLine.objects.filter(project__reference_number="04-0001").order_by("pk")
    saved = [
        (line.source, line.financier, line.year, str(line.amount), line.kind, line.note)
        for line in lines[1:]
    ]
    assert saved == [
        (builders.source(), world["owner"], 2002, "1250.50", FinancingLine.Kind.OUTCOME,
         "Andra utbetalningen"),
        (FinancingLine.objects.get(year=2003).source, None, 2003, "0.00",
         FinancingLine.Kind.DECIDED, ""),
    ]  # fmt: skip


def test_unknown_names_are_quoted_in_the_sentence_cut_at_sixty_characters(world, coordinator_04):
    long_name = "Partnerskapet för en hållbar och konkurrenskraftig region i Sörmland"
    book = ib.template()
    row = ib.new_project(book, "04-0100", partnership=long_name, cluster="Okänt kluster")
    problems = refused(coordinator_04, book)
    assert problems == {
        (cols.PROJECTS, row, "Partnerskap"): (
            f"Länet har inget partnerskap som heter ”{long_name[:60]}”."
        ),
        (cols.PROJECTS, row, "Kluster"): "Länet har inget kluster som heter ”Okänt kluster”.",
    }


def test_an_unknown_status_kind_or_source_lists_what_to_choose(world, coordinator_04):
    book = ib.template()
    project_row = ib.new_project(book, "04-0100", status="Klart")
    line_row = ib.new_line(book, "04-0001", kind="Prognos", source="Kommunen")
    problems = refused(coordinator_04, book)
    statuses = ", ".join(str(label) for _value, label in Project.Status.choices)
    assert problems[(cols.PROJECTS, project_row, "Status")] == (
        f"Okänt värde ”Klart”. Välj ett av: {statuses}."
    )
    assert problems[(cols.FINANCING, line_row, "Beslutat/utfall")] == (
        "Okänt värde ”Prognos”. Välj ett av: Beslutat, Utfall."
    )
    source = problems[(cols.FINANCING, line_row, "Finansieringskälla")]
    assert source.startswith("Okänt värde ”Kommunen”. Välj ett av: ")
    assert builders.source().name in source and source.endswith(".")
    assert len(problems) == 3


def test_the_agreement_column_when_the_county_has_none_or_several(coordinator_04):
    builders.organisation(name="Ägarbolaget 04 AB", county=builders.county("04"),
                          org_number="556012-5790")  # fmt: skip
    book = ib.template()
    row = ib.new_project(book, "04-0100")
    assert refused(coordinator_04, book) == {
        (cols.PROJECTS, row, "Avtal"): (
            "Södermanlands län har inget avtal ännu; lägg in avtalet innan projekten."
        ),
    }  # the measure is not blamed for the missing agreement

    first = builders.agreement(county_code="04")
    builders.measure(area=builders.priority_area(agreement_obj=first), number=1)
    second = builders.agreement(county_code="04", start_year=2004, end_year=2007)
    builders.measure(area=builders.priority_area(agreement_obj=second), number=1)
    book = ib.template()
    blank = ib.new_project(book, "04-0100")
    unknown = ib.new_project(book, "04-0101", agreement="Avtalet 1990")
    assert refused(coordinator_04, book) == {
        (cols.PROJECTS, blank, "Avtal"): "Välj avtal ur listan: länet har flera avtal.",
        (cols.PROJECTS, unknown, "Avtal"): (
            "Okänt värde ”Avtalet 1990”. Välj ett av: Regionalt tillväxtavtal 2000–2003, "
            "Regionalt tillväxtavtal 2004–2007."
        ),
    }


def test_a_measure_not_in_the_agreement_and_a_bad_id_on_either_sheet(world, coordinator_04):
    book = ib.template()
    measure_row = ib.new_project(book, "04-0100", measure="7.7 Rymdfart")
    id_row = ib.new_project(book, "04-0101")
    ib.set_cell(book, cols.PROJECTS, id_row, "id", "sju")
    line_row = ib.new_line(book, "04-0001")
    ib.set_cell(book, cols.FINANCING, line_row, "id", 999_999)
    assert refused(coordinator_04, book) == {
        (cols.PROJECTS, measure_row, "Åtgärd"): (
            "Åtgärden ”7.7 Rymdfart” finns inte i avtalet Regionalt tillväxtavtal 2000–2003. "
            "Välj en åtgärd ur listan."
        ),
        (cols.PROJECTS, id_row, "ID"): "”sju” är inte ett ID. Lämna ID tomt på nya rader.",
        (cols.FINANCING, line_row, "ID"): (
            "Det finns ingen finansieringsrad med ID 999999 i Södermanlands län. Lämna ID tomt "
            "för en ny rad."
        ),
    }


def test_the_same_bad_cell_on_two_rows_is_told_on_both(world, coordinator_04):
    book = ib.template()
    rows = [ib.new_project(book, f"04-010{n}", municipality=9999, owner="Ingen AB")
            for n in range(2)]  # fmt: skip
    ib.new_project(book, "04-0102", municipality=True)
    ib.new_project(book, "04-0103", municipality=1)
    problems = refused(coordinator_04, book)
    for row in rows:
        assert problems[(cols.PROJECTS, row, "Kommun")] == (
            "Okänd kommun ”9999”. Välj en kommun ur listan (kod och namn)."
        )
        assert problems[(cols.PROJECTS, row, "Projektägare")].startswith(
            "Okänd organisation ”Ingen AB”."
        )
    # True and 1 are equal in Python, but not the same cell
    assert problems[(cols.PROJECTS, rows[1] + 1, "Kommun")] == (
        "Okänd kommun ”True”. Välj en kommun ur listan (kod och namn)."
    )
    assert problems[(cols.PROJECTS, rows[1] + 2, "Kommun")] == (
        "Okänd kommun ”1”. Välj en kommun ur listan (kod och namn)."
    )


# --- what the mutants of the validation found: edges of lengths, columns and names ----------


def test_an_optional_column_left_out_of_the_sheet_is_read_as_empty(world, coordinator_04):
    book = ib.template()
    sheet = book[cols.PROJECTS]
    sheet.delete_cols(ib.column_of(sheet, "description"))
    ib.new_project(book, "04-0100")
    result = run(coordinator_04, book)
    assert result.ok, result.problems
    assert Project.objects.get(reference_number="04-0100").description == ""


def test_long_unknown_values_are_quoted_cut_to_their_length(world, coordinator_04):
    long = "Ett mycket långt värde som ingen lista har " * 3  # 129 characters
    book = ib.template()
    row = ib.new_project(book, "04-0100", status=long, measure="9.9 " + long, municipality=long)
    problems = refused(coordinator_04, book)
    assert problems[(cols.PROJECTS, row, "Status")].startswith(
        f"Okänt värde ”{long[:60]}”. Välj ett av: "
    )
    assert problems[(cols.PROJECTS, row, "Åtgärd")].startswith(f"Åtgärden ”{('9.9 ' + long)[:60]}”")
    assert problems[(cols.PROJECTS, row, "Kommun")] == (
        f"Okänd kommun ”{long[:40]}”. Välj en kommun ur listan (kod och namn)."
    )


def test_an_owner_or_org_number_longer_than_its_cell_may_be(world, coordinator_04):
    book = ib.template()
    row = ib.new_project(book, "04-0100", owner="Å" * 221)
    org_row = ib.append(book, cols.ORGANISATIONS, name="Nytt AB", kind=ib.company_kind(),
                        org_number="5" * 21)  # fmt: skip
    problems = refused(coordinator_04, book)
    assert problems[(cols.PROJECTS, row, "Projektägare")].replace("\xa0", " ") == (
        "Texten är för lång (221 tecken); högst 220 tecken."
    )
    assert problems[(cols.ORGANISATIONS, org_row, "Organisationsnummer")] == (
        "Texten är för lång (21 tecken); högst 20 tecken."
    )


def test_a_name_with_ten_digits_is_a_name_not_an_org_number(world, coordinator_04):
    book = ib.template()
    row = ib.new_project(book, "04-0100", owner="Fastighets AB 1234567890")
    problems = refused(coordinator_04, book)
    assert problems[(cols.PROJECTS, row, "Projektägare")].startswith(
        "Okänd organisation ”Fastighets AB 1234567890”."
    )


def test_an_organisation_keeping_a_name_another_one_shares_is_not_refused(world, coordinator_04):
    twin = builders.organisation(name="Konsult AB", county=builders.county("04"), org_number="")
    builders.organisation(name="Konsult AB", county=builders.county("05"), org_number="")
    book = ib.template()
    row = ib.row_of(book[cols.ORGANISATIONS], "id", twin.pk)
    ib.set_cell(book, cols.ORGANISATIONS, row, "municipality", "0480 Nyköping")
    result = run(coordinator_04, book)
    assert result.ok, result.problems
    twin.refresh_from_db()
    assert twin.municipality.code == "0480"


def test_cross_row_problems_name_their_sheet_and_row(world, coordinator_04):
    book = ib.template()
    owner = world["owner"]
    first = ib.row_of(book[cols.ORGANISATIONS], "id", owner.pk)
    again = ib.append(book, cols.ORGANISATIONS, id=owner.pk, name="Ägarbolaget 04 AB (nytt namn)",
                      kind=ib.company_kind())  # fmt: skip
    line = ib.new_line(book, "04-9999")
    problems = refused(coordinator_04, book)
    assert problems[(cols.ORGANISATIONS, again, "ID")] == (
        f"ID {owner.pk} finns redan på rad {first}."
    )
    assert problems[(cols.FINANCING, line, "Diarienummer")] == (
        "Det finns inget projekt med diarienumret ”04-9999” i länet eller på bladet Projekt."
    )


@pytest.mark.parametrize("key", ["title", "measure", "owner"])
def test_a_formula_cell_is_told_once_and_its_row_is_not_read_on(world, coordinator_04, key):
    book = ib.template()
    row = ib.new_project(book, "04-0100", **{key: "=1+1"})
    ib.new_line(book, "04-0100")  # the row's lines are not read against a half-read row
    problems = refused(coordinator_04, book)
    column = {"title": "Projektnamn", "measure": "Åtgärd", "owner": "Projektägare"}[key]
    assert problems == {
        (cols.PROJECTS, row, column): "Cellen innehåller en formel; skriv in värdet.",
    }


@pytest.mark.parametrize("key", ["title", "measure", "owner", "municipality"])
def test_a_row_with_a_formula_cell_is_not_counted_among_the_rows_without_errors(
    world, coordinator_04, key
):
    book = ib.template()
    ib.new_project(book, "04-0100", **{key: "=1+1"})
    ib.new_line(book, "04-0100")
    result = projects_import(
        county=builders.county("04"), user=coordinator_04, file=ib.save(book), dry_run=True
    )
    assert [p.message for p in result.problems] == ["Cellen innehåller en formel; skriv in värdet."]
    # the preview's "Rader utan fel, per blad": neither the row nor its line is to be created
    assert result.counts[cols.PROJECTS]["create"] == 0
    assert result.counts[cols.FINANCING]["create"] == 0
    assert result.changes == []
