"""Every total the system shows equals the sum of its lines, over generated data.

For several seeds, ``tests.generated`` writes agreements, frames and projects with any number of
financing lines (both kinds, every source category, years before, in and after the round, edge
amounts) and adds up by itself what each total must be. Then every sheet of both workbooks,
the county and financing pages and the project list with its downloads are read back and each
total compared with that ledger: per project, per source category, per priority area, per
county and for the whole country. A total that leaves out a category, a kind or a line fails.
"""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from agreements.models import County, FinancingSource
from followup.exports.county import write_county_workbook
from followup.exports.national import write_national_workbook
from tests import builders, generated
from tests.generated import DECIDED, OUTCOME
from tests.test_site_lists import table_rows

pytestmark = pytest.mark.django_db

SEEDS = [1, 2, 3, 4]
CATEGORIES = FinancingSource.Category


def same(shown, expected: Decimal) -> bool:
    """A workbook holds floats (or nothing for no money); they must agree to the öre."""
    return abs(Decimal(str(shown or 0)) - expected) < Decimal("0.005")


@pytest.fixture(params=SEEDS, ids=lambda seed: f"seed{seed}")
def ledger(request):
    ledger = generated.world(request.param)
    builders.follow_up_round(year=ledger.year)
    return ledger


def workbook(write, **kwargs):
    output = io.BytesIO()
    write(output, round_obj=builders.FollowUpRound.objects.get(), **kwargs)
    return openpyxl.load_workbook(io.BytesIO(output.getvalue()), data_only=True)


def records(sheet, header_row: int = 1) -> list[dict]:
    rows = sheet.iter_rows(min_row=header_row, values_only=True)
    headers = next(rows)
    return [dict(zip(headers, row, strict=False)) for row in rows if any(row)]


def block(sheet, header: str) -> dict[str, tuple]:
    """The rows of a summary table whose header row starts with ``header``: label → values,
    up to and including its "Totalt" row."""
    found, table = False, {}
    for row in sheet.iter_rows(values_only=True):
        if row[0] == header:
            found = True
            continue
        if found:
            table[row[0]] = row[1:]
            if row[0] == "Totalt":
                return table
    raise AssertionError(f"no table {header!r} on {sheet.title}")


def check_project_rows(rows: list[dict], ledger, references: set[str]) -> None:
    assert {row["Diarienummer"] for row in rows} == references
    for row in rows:
        reference = row["Diarienummer"]
        decided = ledger.project_decided[reference]
        for category, label in CATEGORIES.choices:
            assert same(row[f"Beslutat: {label} (kr)"], decided[category]), (reference, label)
        assert same(row["Beslutat totalt (kr)"], sum(decided.values(), Decimal(0))), reference
        assert same(row["Utfall totalt (kr)"], ledger.project_outcome[reference]), reference


def test_the_county_workbook_adds_up(ledger):
    for code in ledger.counties:
        book = workbook(
            write_county_workbook, county=County.objects.get(code=code), show_report=True
        )
        references = {ref for ref, county in ledger.project_county.items() if county == code}
        check_project_rows(records(book["Projekt"]), ledger, references)

        lines: dict = {}
        for line in records(book["Finansiering"]):
            kind = DECIDED if line["Beslutat/utfall"] == "Beslutat" else OUTCOME
            lines.setdefault((line["Diarienummer"], kind), []).append(line["Belopp (kr)"])
        expected = {key: amounts for key, amounts in ledger.lines.items() if key[0] in references}
        assert sorted(lines) == sorted(expected)
        for key, amounts in expected.items():
            assert len(lines[key]) == len(amounts), key
            assert same(sum(lines[key]), sum(amounts)), key

        summary = book["Sammanställning"]
        categories = block(summary, "Källkategori")
        for category, label in CATEGORIES.choices:
            decided, _share, outcome, *_ = categories[label]
            assert same(decided, ledger.by_category[code][category][DECIDED]), (code, label)
            assert same(outcome, ledger.by_category[code][category][OUTCOME]), (code, label)
        decided, _share, outcome, *_ = categories["Totalt"]
        assert same(decided, ledger.county_total(code, DECIDED)), code
        assert same(outcome, ledger.county_total(code, OUTCOME)), code

        areas = block(summary, "Insatsområde")
        assert set(areas) - {"Totalt"} == set(ledger.by_area[code])
        for label, expected_area in [*ledger.by_area[code].items()]:
            frame, _of_frame, decided, _of_decided, outcome = areas[label][:5]
            assert same(frame, expected_area["frame"]), (code, label)
            assert same(decided, expected_area[DECIDED]), (code, label)
            assert same(outcome, expected_area[OUTCOME]), (code, label)
        frame, _of_frame, decided, _of_decided, outcome = areas["Totalt"][:5]
        all_areas = ledger.by_area[code].values()
        assert same(frame, sum((a["frame"] for a in all_areas), Decimal(0))), code
        assert same(decided, sum((a[DECIDED] for a in all_areas), Decimal(0))), code
        assert same(outcome, sum((a[OUTCOME] for a in all_areas), Decimal(0))), code


def test_the_national_workbook_adds_up(ledger):
    book = workbook(write_national_workbook)
    check_project_rows(records(book["Projekt"]), ledger, set(ledger.project_county))

    by_county = {row["Län"]: row for row in records(book["Finansiering per län"])}
    for code in ledger.counties:
        row = by_county[County.objects.get(code=code).short_name]
        for category, label in CATEGORIES.choices:
            assert same(row[f"{label} (mnkr)"], ledger.by_category[code][category][DECIDED])
        assert same(row["Totalt (mnkr)"], ledger.county_total(code)), code
    country = by_county["Hela landet"]
    for category, label in CATEGORIES.choices:
        assert same(country[f"{label} (mnkr)"], ledger.national(category)), label
    grand = sum((ledger.national(category) for category in CATEGORIES.values), Decimal(0))
    assert same(country["Totalt (mnkr)"], grand)

    key_figures = {row["Länskod"]: row for row in records(book["Nyckeltal per län"])}
    for code in ledger.counties:
        row, areas = key_figures[code], ledger.by_area[code].values()
        assert row["Projekt"] == sum(1 for c in ledger.project_county.values() if c == code)
        assert same(row["Ram (mnkr)"], sum((a["frame"] for a in areas), Decimal(0))), code
        assert same(row["Beslutat (mnkr)"], ledger.county_total(code, DECIDED)), code
        assert same(row["Utfall (mnkr)"], ledger.county_total(code, OUTCOME)), code
    country = next(row for row in records(book["Nyckeltal per län"]) if row["Län"] == "Hela landet")
    assert country["Projekt"] == len(ledger.project_county)
    assert same(country["Beslutat (mnkr)"], grand)

    national = block(book["Slutsatser"], "Källkategori")
    for category, label in CATEGORIES.choices:
        decided, _share, outcome, *_ = national[label]
        assert same(decided, ledger.national(category, DECIDED)), label
        assert same(outcome, ledger.national(category, OUTCOME)), label
    assert same(national["Totalt"][0], grand)


def test_the_pages_add_up(client, reviewer, ledger):
    client.force_login(reviewer)
    financing = client.get(f"/omgang/{ledger.year}/finansiering/").context
    shown = {row["county"].code: row for row in financing["table"]}
    for code in ledger.counties:
        assert shown[code]["total"] == ledger.county_total(code), code
        assert sum(shown[code]["amounts"]) == ledger.county_total(code), code
    for category, row in zip(CATEGORIES.values, financing["categories"], strict=True):
        assert row["total"] == ledger.national(category), category
    assert financing["grand_total"] == sum(
        (ledger.national(category) for category in CATEGORIES.values), Decimal(0)
    )

    for code in ledger.counties:
        figures = client.get(f"/omgang/{ledger.year}/lan/{code}/").context["figures"]
        for category, row in zip(CATEGORIES.values, figures["categories"], strict=True):
            assert row["decided"] == ledger.by_category[code][category][DECIDED], (code, category)
            assert row["outcome"] == ledger.by_category[code][category][OUTCOME], (code, category)
        assert figures["decided_total"] == ledger.county_total(code), code
        areas = {f"{a['number']}. {a['name']}": a for a in figures["areas"]}
        assert set(areas) == set(ledger.by_area[code])
        for label, expected in ledger.by_area[code].items():
            shown_area = areas[label]
            assert (shown_area["frame"], shown_area["decided"], shown_area["outcome"]) == (
                expected["frame"],
                expected[DECIDED],
                expected[OUTCOME],
            ), (code, label)


def swedish_number(text: str) -> Decimal:
    """ "1 234 567,89" (spaces of any kind between the thousands) → Decimal("1234567.89")."""
    return Decimal("".join(text.split()).replace("\u202f", "").replace(",", "."))


def test_the_project_list_and_its_downloads_add_up(client, reviewer, ledger):
    client.force_login(reviewer)
    expected = ledger.project_decided_ever
    rows = table_rows(client.get("/projekt/"))
    assert {row[1]: swedish_number(row[-1]) for row in rows} == expected

    content = b"".join(client.get("/projekt/projekt.csv").streaming_content).decode("utf-8-sig")
    listed = csv.DictReader(io.StringIO(content, newline=""), delimiter=";")
    assert {row["Diarienummer"]: swedish_number(row["Beslutat (kr)"]) for row in listed} == expected

    data = b"".join(client.get("/projekt/projekt.xlsx").streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    listed = {row["Diarienummer"]: row["Beslutat (kr)"] for row in records(sheet)}
    assert set(listed) == set(expected)
    for reference, amount in listed.items():
        assert same(amount, expected[reference]), reference


def test_a_projects_outcome_in_two_categories_is_their_sum():
    """The case that was wrong: 900 000 from the state and 400 000 private, exported 900 000."""
    builders.follow_up_round(year=2001)
    area = builders.priority_area(agreement_obj=builders.agreement(county_code="04"))
    project = builders.project(measure_obj=builders.measure(area=area))
    for code, amount in (("stat-regional-utveckling", "900000"), ("privat", "400000")):
        builders.financing_line(
            project_obj=project,
            amount=amount,
            kind=OUTCOME,
            source_obj=builders.source(code),
        )
    county_book = workbook(
        write_county_workbook, county=County.objects.get(code="04"), show_report=False
    )
    national_book = workbook(write_national_workbook)
    for book in (county_book, national_book):
        (row,) = records(book["Projekt"])
        assert row["Utfall totalt (kr)"] == 1_300_000
