"""The workbooks' small tables — amounts, their shares and a total row — cell by cell: what a
reader sees in each cell, its formula and its format, for amounts in mnkr and for counts, with
rows and without (mutation testing found these unpinned: bench/mutants.py)."""

import io
from decimal import Decimal

import openpyxl
import pytest

from core import formats
from followup.exports.tables import amounts_with_shares, cell, sum_formula
from followup.exports.writer import Book

ROWS = [
    ("Staten", [Decimal("3000000"), Decimal("1000000")]),
    ("Kommuner", [Decimal("1000000"), Decimal("0")]),
    ("Privat", [Decimal("0"), Decimal("3000000")]),
]


def written(build) -> tuple:
    output = io.BytesIO()
    book = Book(output, title="Test", subject="Test")
    sheet = book.sheet("Blad", widths=[20, 12, 8, 12, 8])
    build(sheet)
    book.close()
    data = output.getvalue()
    return (
        openpyxl.load_workbook(io.BytesIO(data))["Blad"],
        openpyxl.load_workbook(io.BytesIO(data), data_only=True)["Blad"],
    )


def values(sheet, row: int) -> list:
    return [sheet.cell(row, col).value for col in range(1, 6)]


@pytest.fixture
def amounts():
    totals = {}

    def build(sheet):
        totals["first"] = amounts_with_shares(
            sheet, headers=["Källa", "Beslutat (mnkr)", "Utfall (mnkr)"], rows=ROWS
        )
        totals["next"] = sheet.row
        sheet.text(sheet.row, 0, "Efter tabellen")

    formulas, cached = written(build)
    return formulas, cached, totals


def test_the_header_names_each_amount_and_its_share(amounts):
    formulas, _cached, _totals = amounts
    assert values(formulas, 1) == ["Källa", "Beslutat (mnkr)", "Andel", "Utfall (mnkr)", "Andel"]
    assert formulas.row_dimensions[1].height == 30
    assert formulas.cell(1, 1).font.bold


def test_each_row_holds_its_amounts_in_mnkr_and_shares_of_the_fixed_total(amounts):
    formulas, cached, totals = amounts
    total_row = totals["first"] + 1  # openpyxl counts from 1
    assert total_row == 5
    assert values(formulas, 2)[:2] == ["Staten", 3000000]
    assert formulas.cell(2, 2).number_format == formats.MNKR
    assert formulas.cell(2, 3).value == "=IF(B$5=0,0,B2/B$5)"
    assert formulas.cell(2, 5).value == "=IF(D$5=0,0,D2/D$5)"
    assert formulas.cell(4, 3).value == "=IF(B$5=0,0,B4/B$5)"
    assert formulas.cell(2, 3).number_format == formats.PERCENT
    assert [cached.cell(r, 3).value for r in (2, 3, 4)] == [0.75, 0.25, 0.0]
    assert [cached.cell(r, 5).value for r in (2, 3, 4)] == [0.25, 0.0, 0.75]


def test_the_total_row_sums_each_column_and_is_the_whole(amounts):
    formulas, cached, _totals = amounts
    assert formulas.cell(5, 1).value == "Totalt"
    assert formulas.cell(5, 1).font.bold
    assert formulas.cell(5, 2).value == "=SUM(B2:B4)"
    assert formulas.cell(5, 4).value == "=SUM(D2:D4)"
    assert formulas.cell(5, 2).number_format == formats.MNKR and formulas.cell(5, 2).font.bold
    assert formulas.cell(5, 3).value == "=IF(B5=0,0,1)"
    assert formulas.cell(5, 3).number_format == formats.PERCENT
    assert formulas.cell(5, 3).font.bold
    assert [cached.cell(5, c).value for c in (2, 3, 4, 5)] == [4000000, 1, 4000000, 1]


def test_what_follows_the_table_starts_on_the_next_row(amounts):
    formulas, _cached, totals = amounts
    assert totals["next"] == totals["first"] + 1
    assert formulas.cell(6, 1).value == "Efter tabellen"


def test_counts_are_whole_numbers_and_an_empty_table_totals_zero():
    def build(sheet):
        amounts_with_shares(
            sheet, headers=["Typ", "Antal"], rows=[], total_label="Summa", counts=True
        )

    formulas, cached = written(build)
    assert values(formulas, 1)[:3] == ["Typ", "Antal", "Andel"]
    assert formulas.cell(2, 1).value == "Summa"
    assert formulas.cell(2, 2).value == 0
    assert formulas.cell(2, 2).number_format == formats.INTEGER
    assert formulas.cell(2, 2).font.bold
    assert formulas.cell(2, 3).value == "=IF(B2=0,0,1)"
    assert cached.cell(2, 3).value == 0


def test_counts_in_rows_are_whole_numbers():
    def build(sheet):
        amounts_with_shares(
            sheet, headers=["Typ", "Antal"], rows=[("Företag", [Decimal(3)])], counts=True
        )

    formulas, cached = written(build)
    assert formulas.cell(2, 2).value == 3 and formulas.cell(2, 2).number_format == formats.INTEGER
    assert formulas.cell(3, 2).number_format == formats.INTEGER and formulas.cell(3, 2).font.bold
    assert cached.cell(2, 3).value == 1


def test_a_cell_reference_fixes_its_row_only_when_asked():
    assert cell(4, 1) == "B5"
    assert cell(4, 1, fix_row=True) == "B$5"


def test_a_sum_runs_along_one_row_or_column_of_exactly_its_values():
    assert sum_formula((1, 1), (3, 1), cells=3) == "=SUM(B2:B4)"
    assert sum_formula((1, 1), (1, 3), cells=3) == "=SUM(B2:D2)"
    with pytest.raises(ValueError, match="one row or one column"):
        sum_formula((1, 1), (3, 3), cells=3)
    with pytest.raises(ValueError, match="spans 2 cells, the total 3 values"):
        sum_formula((1, 1), (2, 1), cells=3)
