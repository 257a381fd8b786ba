"""Workbooks for the import tests: the county's template, edited the way a person would.

Files are built in memory: the system's template (XlsxWriter), opened and changed with openpyxl
as Excel would save it, or assembled from raw zip parts for the hostile cases.
"""

import datetime
import io
import zipfile

import openpyxl

from agreements.imports import columns as cols
from agreements.imports.template import write_template
from agreements.models import FinancingLine, Organisation, OrganisationKind, Project
from tests import builders


def county_world(code: str = "04", *, projects: int = 1):
    """An agreement with two measures, a municipality-owned project and financing lines."""
    agreement = builders.agreement(county_code=code)
    area = builders.priority_area(agreement_obj=agreement)
    first = builders.measure(area=area, number=1, name="Företagsutveckling")
    second = builders.measure(area=area, number=2, name="Kompetens")
    owner = builders.organisation(
        name=f"Ägarbolaget {code} AB",
        county=builders.county(code),
        org_number="556012-5790" if code == "04" else "556036-0793",
    )
    made = []
    for index in range(projects):
        project = builders.project(
            measure_obj=first,
            reference_number=f"{code}-{index + 1:04d}",
            title=f"Projekt {index + 1}",
            owner=owner,
        )
        builders.financing_line(project_obj=project, amount="250000", year=2001)
        made.append(project)
    return {"agreement": agreement, "measures": (first, second), "owner": owner, "projects": made}


def template(code: str = "04") -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_template(buffer, county=builders.county(code))
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def save(book: openpyxl.Workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "mall.xlsx"
    return buffer


def column_of(sheet, key: str) -> int:
    header = next(c.header for c in cols.COLUMNS[sheet.title] if c.key == key)
    for cell in sheet[1]:
        if cell.value == header:
            return cell.column
    raise KeyError(header)


def row_of(sheet, key: str, value) -> int:
    column = column_of(sheet, key)
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, column).value == value:
            return row
    raise KeyError(value)


def set_cell(book, sheet_name: str, row: int, key: str, value) -> None:
    sheet = book[sheet_name]
    sheet.cell(row, column_of(sheet, key), value)


def append(book, sheet_name: str, **values) -> int:
    sheet = book[sheet_name]
    row = _last_row(sheet) + 1
    for key, value in values.items():
        sheet.cell(row, column_of(sheet, key), value)
    return row


def _last_row(sheet) -> int:
    last = 1
    for row in sheet.iter_rows(min_row=2):
        if any(cell.value is not None for cell in row):
            last = row[0].row
    return last


def new_project(book, reference_number="04-0100", **values) -> int:
    defaults = {
        "reference_number": reference_number,
        "title": "Nytt projekt",
        "measure": "1.1 Företagsutveckling",
        "owner": "556012-5790",
        "status": "Beviljat",
        "start_date": datetime.datetime(2001, 3, 15),
        "end_date": "2002-12-31",
    }
    return append(book, cols.PROJECTS, **(defaults | values))


def new_line(book, reference_number="04-0100", **values) -> int:
    defaults = {
        "project": reference_number,
        "source": "NUTEK",
        "year": 2001,
        "amount": "1 250 000,50",
        "kind": "Beslutat",
    }
    return append(book, cols.FINANCING, **(defaults | values))


def register_state():
    """Every imported model's rows and the number of audit records: equal means untouched."""
    return {
        "projects": list(Project.objects.order_by("pk").values()),
        "lines": list(FinancingLine.objects.order_by("pk").values()),
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "history": (
            Project.history.count(),
            FinancingLine.history.count(),
            Organisation.history.count(),
        ),
    }


def company_kind() -> str:
    return OrganisationKind.objects.get(code=OrganisationKind.COMPANY).name


def rezip(source: io.BytesIO, *, replace=None, add=None, drop=()) -> io.BytesIO:
    """The same workbook with some parts replaced, added or dropped (raw, as an attacker)."""
    source.seek(0)
    replace, add = replace or {}, add or {}
    target = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for entry in old.infolist():
            if entry.filename in drop:
                continue
            data = replace.get(entry.filename, old.read(entry.filename))
            new.writestr(entry.filename, data)
        for name, data in add.items():
            new.writestr(name, data)
    target.seek(0)
    target.name = "mall.xlsx"
    return target


def sheet_part(buffer: io.BytesIO, sheet_name: str) -> str:
    """The zip part holding a sheet (openpyxl names them sheet1.xml … in sheet order)."""
    return f"xl/worksheets/sheet{cols.SHEETS.index(sheet_name) + 1}.xml"
