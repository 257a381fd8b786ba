"""Every formula of both workbooks, recalculated by an independent engine, equals the value the
workbook caches beside it.

The workbooks cache each formula's value (computed in Python) for programs that do not
recalculate; Excel and LibreOffice do recalculate, so a formula whose range is off would show
its reader another number than the cached one. The ``formulas`` package evaluates the file's
formulas on their own (SUM, IF, COUNTIF over the cells as written), so the two must agree for
every formula cell of every sheet, on data with several counties, categories, years, statuses
and edge values (zero frames, a county with no agreement, "Ej bedömt").
"""

import io
import math
from decimal import Decimal

import formulas
import openpyxl
import pytest

from followup.exports.county import write_county_workbook
from followup.exports.national import write_national_workbook
from followup.exports.tables import sum_formula
from followup.models import Observation, ReportStatus, Theme
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db
S = ReportStatus


@pytest.fixture
def round_2001():
    """Four counties with registers of different sizes and reports in different states; a
    fifth (Gotland) with no agreement at all."""
    round_obj = builders.follow_up_round(year=2001)
    exports_builders.register(county_code="04", projects=3)
    exports_builders.register(county_code="05", projects=1, offset=20)
    exports_builders.register(county_code="12", projects=4, offset=40)
    agreement = builders.agreement(county_code="17")  # an area with no frame and no projects
    builders.priority_area(agreement_obj=agreement, number=1)
    for code, status, level in (("04", S.APPROVED, 4), ("05", S.DRAFT, 2), ("12", S.SUBMITTED, 3)):
        report = exports_builders.report(round_obj=round_obj, county_code=code, assessment=level)
        if code == "12":
            Observation.objects.filter(report=report, theme=Theme.objects.first()).update(
                assessment=0, not_assessed_reason="Inte aktuellt i år."
            )
        builders.set_status(report, status)
    return round_obj


def recalculated(data: bytes, name: str) -> list[tuple[str, str, object, object]]:
    """(sheet, cell, cached value, recalculated value) for every formula cell."""
    model = formulas.ExcelModel().loads(_saved(data, name)).finish()
    solution = model.calculate()
    with_formulas = openpyxl.load_workbook(io.BytesIO(data))
    cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    found = []
    for sheet in with_formulas:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    key = f"'[{name}]{sheet.title.upper()}'!{cell.coordinate}"
                    value = solution[key].value[0, 0]
                    found.append(
                        (
                            sheet.title,
                            cell.coordinate,
                            cached[sheet.title][cell.coordinate].value,
                            value,
                        )
                    )
    return found


def _saved(data: bytes, name: str) -> str:
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    path = folder / name
    path.write_bytes(data)
    return str(path)


def agrees(cached, value) -> bool:
    try:
        return math.isclose(float(cached), float(value), rel_tol=1e-9, abs_tol=1e-9)
    except (TypeError, ValueError):
        return cached == value


def test_every_national_formula_recalculates_to_its_cached_value(round_2001):
    output = io.BytesIO()
    write_national_workbook(output, round_obj=round_2001)
    cells = recalculated(output.getvalue(), "nationell.xlsx")
    assert len(cells) > 50
    wrong = [c for c in cells if not agrees(c[2], c[3])]
    assert wrong == []
    sheets = {sheet for sheet, *_rest in cells}
    assert {"Finansiering per län", "Nyckeltal per län", "Teman och län"} <= sheets


@pytest.mark.parametrize("code", ["04", "05", "12", "17", "09"])
def test_every_county_formula_recalculates_to_its_cached_value(round_2001, code):
    output = io.BytesIO()
    write_county_workbook(
        output, county=builders.county(code), round_obj=round_2001, show_report=True
    )
    cells = recalculated(output.getvalue(), f"lan-{code}.xlsx")
    wrong = [c for c in cells if not agrees(c[2], c[3])]
    assert wrong == []


def test_a_sum_range_must_span_the_values_it_totals():
    assert sum_formula((3, 1), (3, 6), cells=6) == "=SUM(B4:G4)"
    assert sum_formula((1, 2), (21, 2), cells=21) == "=SUM(C2:C22)"
    with pytest.raises(ValueError, match="spans 5 cells, the total 6"):
        sum_formula((3, 1), (3, 5), cells=6)  # one column short: Övrigt left out
    with pytest.raises(ValueError):
        sum_formula((1, 1), (2, 2), cells=2)


def test_the_per_county_total_covers_every_source_category(round_2001):
    """Finansiering per län: each county's total sums its six category columns."""
    output = io.BytesIO()
    write_national_workbook(output, round_obj=round_2001)
    sheet = openpyxl.load_workbook(output)["Finansiering per län"]
    headers = [c.value for c in sheet[1]]
    total_col = headers.index("Totalt (mnkr)") + 1
    assert sheet.cell(2, total_col).value == "=SUM(B2:G2)"
    assert headers[1:7] == [f"{label} (mnkr)" for label in _category_labels()]
    cached = openpyxl.load_workbook(output, data_only=True)["Finansiering per län"]
    sodermanland = next(
        r for r in cached.iter_rows(min_row=2, values_only=True) if r[0] == "Södermanland"
    )
    assert Decimal(str(sodermanland[total_col - 1])) == exports_builders.decided("04")


def _category_labels():
    from agreements.models import FinancingSource

    return [label for _value, label in FinancingSource.Category.choices]
