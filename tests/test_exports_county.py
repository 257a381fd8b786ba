"""The county workbook: its figures equal the ORM's, an approved report's figures stay put,
and its queries do not grow with the rows."""

import io
import re
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import County, FinancingLine, FinancingSource, Project
from followup.exports.county import write_county_workbook
from followup.models import ReportStatus
from followup.selectors.figures import county_key_figures
from followup.services.reports import county_report_approve, county_report_submit
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db

SHEETS = [
    "Sammanställning",
    "Diagram",
    "Projekt",
    "Finansiering",
    "Partnerskap",
    "Kluster",
    "Klusteraktörer",
    "Klusterlänkar",
    "Iakttagelser",
]


def export(county_code="04", year=2001, *, show_report=True):
    output = io.BytesIO()
    round_obj = builders.FollowUpRound.objects.get(year=year)
    result = write_county_workbook(
        output,
        county=County.objects.get(code=county_code),
        round_obj=round_obj,
        show_report=show_report,
    )
    return result, output.getvalue()


def open_book(data: bytes, *, cached: bool = False):
    return openpyxl.load_workbook(io.BytesIO(data), data_only=cached)


def value_after(sheet, label, col=2):
    for row in sheet.iter_rows():
        if row[0].value == label:
            return row[col - 1].value
    raise AssertionError(f"{label!r} not on {sheet.title}")


def column(sheet, header):
    headers = [cell.value for cell in sheet[1]]
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2, values_only=True)]


def summary_values(data: bytes):
    sheet = open_book(data, cached=True)["Sammanställning"]
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def round_2001():
    return builders.follow_up_round(year=2001)


def test_county_workbook_figures_equal_the_orm(round_2001):
    exports_builders.register(projects=3)
    exports_builders.report(round_obj=round_2001, county_code="04", status=ReportStatus.SUBMITTED)
    _result, data = export()
    book = open_book(data, cached=True)
    assert book.sheetnames == SHEETS
    summary = book["Sammanställning"]
    assert value_after(summary, "Antal projekt") == Project.objects.count() == 3
    for category, label in FinancingSource.Category.choices:
        assert Decimal(str(value_after(summary, str(label)))) == exports_builders.decided(
            "04", category
        )
    assert Decimal(str(value_after(summary, "Totalt"))) == exports_builders.decided("04")
    projects = book["Projekt"]
    assert len(column(projects, "Diarienummer")) == 3
    total = sum(Decimal(str(v)) for v in column(projects, "Beslutat totalt (kr)"))
    assert total == exports_builders.decided("04")
    lines = column(book["Finansiering"], "Belopp (kr)")
    assert len(lines) == FinancingLine.objects.filter(year__lte=2001).count()
    assert book["Partnerskap"].max_row == 3 and book["Klusterlänkar"].max_row == 2
    assert book["Iakttagelser"].max_row == 1 + builders.Theme.objects.count()


def test_totals_are_formulas_that_cache_the_same_figure(round_2001):
    exports_builders.register(projects=2)
    _result, data = export()
    formulas, cached = open_book(data)["Sammanställning"], open_book(data, cached=True)
    row = next(r for r in formulas.iter_rows() if r[0].value == "Totalt")
    assert row[1].data_type == "f" and row[1].value.startswith("=SUM(")
    assert Decimal(str(cached["Sammanställning"].cell(row[1].row, 2).value)) == (
        exports_builders.decided("04")
    )


def test_approved_report_workbook_is_unchanged_after_the_register_changes(
    round_2001, coordinator_04, reviewer
):
    agreement = exports_builders.register(projects=2)
    report = exports_builders.report(round_obj=round_2001, county_code="04")
    county_report_submit(report=report, user=coordinator_04)
    county_report_approve(report=report, user=reviewer)
    _result, before = export()

    exports_builders.add_projects(agreement=agreement, projects=2, offset=10)
    live = county_key_figures(county_id=agreement.county_id, year=2001)
    assert live["projects"]["total"] == 4  # the register did change

    result, after = export()
    assert result.frozen
    # The figures are those submitted; below them, what the register says differently now.
    changed_at = "Registret har ändrats sedan rapporten skickades in:"
    rows_before, rows_after = summary_values(before), summary_values(after)
    same_until = next(i for i, row in enumerate(rows_after) if row[0] == changed_at)
    assert rows_before[same_until][0] == (
        "Registret har inte ändrats i något av nyckeltalen sedan dess."
    )
    assert rows_after[:same_until] == rows_before[:same_until]
    sheet = open_book(after)["Sammanställning"]
    assert value_after(sheet, "Antal projekt") == 2
    changes = [row for row in rows_after[same_until + 2 :] if row[0] == "Antal projekt"]
    assert changes == [("Antal projekt", 2, 4, None, None, None)]
    tail = rows_after[same_until + 2 + len(result.changes) + 1 :]
    assert tail == rows_before[same_until + 1 :]  # partnerships, clusters, observations


def test_another_countys_draft_is_not_written(round_2001):
    exports_builders.register(projects=1)
    exports_builders.report(round_obj=round_2001, county_code="04", text="Hemligt utkast.")
    _result, data = export(show_report=False)
    book = open_book(data)
    texts = {
        str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value
    }
    assert not any("Hemligt utkast" in text or "Sammanfattning 04" in text for text in texts)
    assert book["Iakttagelser"].max_row == 1


def _queries(**kwargs) -> int:
    with CaptureQueriesContext(connection) as context:
        export(**kwargs)
    return len(context.captured_queries)


def test_queries_do_not_grow_with_rows(round_2001, django_assert_max_num_queries):
    agreement = exports_builders.register(projects=2)
    exports_builders.report(round_obj=round_2001, county_code="04", status=ReportStatus.SUBMITTED)
    small = _queries()
    exports_builders.add_projects(agreement=agreement, projects=8, offset=20)
    partnership = builders.partnership(county_code="04")
    for _ in range(3):
        builders.member(partnership_obj=partnership)
    builders.cluster(county_code="04")
    with django_assert_max_num_queries(small):
        export()
    assert _queries() == small


def test_command_writes_the_county_workbook_and_keeps_a_draft_out(round_2001, tmp_path):
    exports_builders.register(projects=2)
    exports_builders.report(round_obj=round_2001, county_code="04", text="Utkasttext.")
    out, err = io.StringIO(), io.StringIO()
    path = tmp_path / "county.xlsx"
    call_command(
        "export_county",
        "--county",
        "04",
        "--year",
        "2001",
        "-o",
        str(path),
        stdout=out,
        stderr=err,
    )
    assert "Projekt 2" in out.getvalue() and "Projekt: 2 rader" in err.getvalue()
    assert openpyxl.load_workbook(path)["Iakttagelser"].max_row == 1
    call_command(
        "export_county",
        "--county",
        "04",
        "--year",
        "2001",
        "-o",
        str(path),
        "--med-utkast",
        stdout=out,
        stderr=err,
    )
    observations = openpyxl.load_workbook(path)["Iakttagelser"]
    assert observations.max_row == 1 + builders.Theme.objects.count()
    assert observations.cell(2, 5).value == "Utkasttext."


def test_document_properties_and_layout(round_2001):
    exports_builders.register(projects=1)
    _result, data = export()
    book = open_book(data)
    assert book.properties.title == "Södermanlands län – uppföljning 2001"
    assert book.properties.created is not None
    projects = book["Projekt"]
    assert projects.freeze_panes == "A2"
    assert projects.auto_filter.ref.startswith("A1:")
    assert projects.page_setup.orientation == "landscape"
    assert projects.print_title_rows == "$1:$1"
    assert projects["K2"].number_format == "yyyy-mm-dd"
    assert projects.column_dimensions["B"].width > 30


def chart_series(data: bytes) -> list[dict]:
    """Every series of every chart in the file: its name, the ranges it reads and its cache."""
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in sorted(
            n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)
        ):
            root = ElementTree.fromstring(archive.read(part))
            title = "".join(
                t.text or ""
                for t in root.find("c:chart/c:title", ns).iter(
                    "{http://schemas.openxmlformats.org/drawingml/2006/main}t"
                )
            )
            for ser in root.iter(f"{{{ns['c']}}}ser"):
                found.append({
                    "chart": title,
                    "name": ser.find("c:tx//c:v", ns).text,
                    "categories": ser.find("c:cat//c:f", ns).text,
                    "values": ser.find("c:val//c:f", ns).text,
                    "cached": [float(v.text) for v in ser.findall("c:val//c:pt/c:v", ns)],
                })  # fmt: skip
    return found


def cells(book, reference: str) -> list:
    sheet_name, cell_range = reference.rsplit("!", 1)
    sheet = book[sheet_name.strip("'")]
    return [c.value for row in sheet[cell_range.replace("$", "")] for c in row]


def test_the_county_workbook_charts_read_the_summarys_tables(round_2001):
    exports_builders.register(projects=3)
    _result, data = export()
    book = open_book(data, cached=True)
    series = chart_series(data)
    assert {(s["chart"], s["name"]) for s in series} == {
        ("Ram, beslutat och utfall per insatsområde", "Ram"),
        ("Ram, beslutat och utfall per insatsområde", "Beslutat"),
        ("Ram, beslutat och utfall per insatsområde", "Utfall"),
        ("Finansiering per källkategori", "Beslutat"),
        ("Finansiering per källkategori", "Utfall"),
    }
    summary = book["Sammanställning"]
    areas = {
        r[0]: r for r in summary.iter_rows(values_only=True) if r[0] and r[0][:2] in ("1.", "2.")
    }
    for s in series:
        labels, values = cells(book, s["categories"]), cells(book, s["values"])
        assert values == pytest.approx(s["cached"])  # the chart shows what the cells say
        if s["chart"].startswith("Ram"):
            assert labels == ["1. Näringsliv", "2. Kompetens"]
            column = {"Ram": 1, "Beslutat": 3, "Utfall": 5}[s["name"]]
            assert values == [areas[label][column] for label in labels]
        else:
            assert labels == [label for _c, label in FinancingSource.Category.choices]
            kind = {"Beslutat": "beslutat", "Utfall": "utfall"}[s["name"]]
            assert values == pytest.approx(
                [
                    float(exports_builders.amount("04", c, kind))
                    for c in FinancingSource.Category.values
                ]
            )
