"""The national workbook: statements name the right counties in order, drafts stay out, the
figures equal the ORM's, the chart carries its data, and queries do not grow with rows."""

import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import County, FinancingSource, Project
from followup.exports.national import write_national_workbook
from followup.models import NationalConclusion, Observation, ReportStatus, Theme
from followup.selectors.exports import agreements_in_force
from followup.selectors.figures import county_key_figures, key_figures_by_county
from followup.services.reports import county_report_approve, county_report_submit
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db
S = ReportStatus


@pytest.fixture
def round_2001():
    return builders.follow_up_round(year=2001)


def export(round_obj):
    output = io.BytesIO()
    result = write_national_workbook(output, round_obj=round_obj)
    return result, output.getvalue()


def all_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(
        str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value
    )


def set_cluster_assessment(report, value):
    Observation.objects.filter(report=report, theme__code="klusterarbete").update(assessment=value)


def test_cluster_statement_names_exactly_the_right_counties_in_order(round_2001):
    assessments = {
        "01": (S.RETURNED, 3),
        "04": (S.APPROVED, 4),
        "05": (S.DRAFT, 4),  # a draft never counts
        "12": (S.SUBMITTED, 4),
        "14": (S.SUBMITTED, 3),
        "17": (S.SUBMITTED, 2),
        "03": (S.SUBMITTED, 1),
    }
    for code, (status, value) in assessments.items():
        report = exports_builders.report(round_obj=round_2001, county_code=code, assessment=1)
        set_cluster_assessment(report, value)
        builders.set_status(report, status)
    result, data = export(round_2001)
    sentences = result.theme_statements["Klusterarbete"]
    # Strongest first, then by county code.
    assert sentences[0] == "Södermanland, Skåne, Stockholm och Västra Götaland arbetar med kluster."
    assert sentences[1] == (
        "Arbetet bedöms som framträdande i Södermanland och Skåne och som etablerat i Stockholm "
        "och Västra Götaland."
    )
    assert (
        sentences[2] == "Arbetet är begynnande i Värmland; inget arbete rapporteras från Uppsala."
    )
    assert len(sentences) == 3  # the counties without an assessment are named once, above
    assert result.not_yet_assessed.startswith("Bedömningar saknas ännu från Östergötland, Jönk")
    assert all_text(data).count("Bedömningar saknas ännu från") == 1
    assert sentences[0] in all_text(data)


def test_submission_and_financing_statements(round_2001):
    exports_builders.register(county_code="04", projects=2)
    exports_builders.register(county_code="05", projects=1, offset=5)
    exports_builders.report(round_obj=round_2001, county_code="04", status=S.APPROVED)
    exports_builders.report(round_obj=round_2001, county_code="05", status=S.SUBMITTED)
    exports_builders.report(round_obj=round_2001, county_code="06", status=S.RETURNED)
    exports_builders.report(round_obj=round_2001, county_code="07", status=S.DRAFT)
    result, _data = export(round_2001)
    assert result.submission == (
        "2 av 21 län har skickat in sin rapport och 1 av dem är godkända. 1 rapport har "
        "returnerats till länen för komplettering, 1 är ännu utkast och 17 län saknar rapport."
    )
    total = exports_builders.decided("04") + exports_builders.decided("05")
    assert result.financing.startswith(
        f"Den beslutade finansieringen uppgår till {round(total / 1_000_000)} miljoner kronor, "
        "varav staten 5 %,"
    )


def test_a_draft_shows_only_its_status(round_2001):
    exports_builders.register(county_code="05", projects=1)
    draft = exports_builders.report(
        round_obj=round_2001, county_code="05", status=S.DRAFT, text="Hemligt utkast."
    )
    exports_builders.report(round_obj=round_2001, county_code="04", status=S.SUBMITTED)
    _result, data = export(round_2001)
    text = all_text(data)
    assert "Hemligt utkast" not in text and draft.summary not in text
    book = openpyxl.load_workbook(io.BytesIO(data))
    counties = [row[0] for row in book["Iakttagelser"].iter_rows(min_row=2, values_only=True)]
    assert set(counties) == {"Södermanland"}
    matrix = book["Teman och län"]
    column = next(c for c in matrix[1] if str(c.value).startswith("Östergötland"))
    assert column.value == "Östergötland (utkast)"
    assert all(
        matrix.cell(row, column.column).value is None for row in range(2, 2 + Theme.objects.count())
    )
    # The register stays visible: Östergötland's projects are on the projects sheet.
    assert "Östergötland" in [r[0] for r in book["Projekt"].iter_rows(min_row=2, values_only=True)]


def test_not_assessed_changes_no_statement_and_reads_as_such(round_2001):
    """A county that marks the cluster theme "Ej bedömt" changes no sentence, colour or count:
    its cell says "Ej bedömt" in words and the statements are those without it."""
    for code, value in (("04", 4), ("12", 3)):
        report = exports_builders.report(round_obj=round_2001, county_code=code, assessment=1)
        set_cluster_assessment(report, value)
        builders.set_status(report, S.SUBMITTED)
    result_before, _data = export(round_2001)
    report = exports_builders.report(round_obj=round_2001, county_code="05", assessment=1)
    Observation.objects.filter(report=report, theme__code="klusterarbete").update(
        assessment=0, not_assessed_reason="Länet har inget klusterarbete att bedöma i år."
    )
    builders.set_status(report, S.SUBMITTED)
    result, data = export(round_2001)
    cluster = result.theme_statements["Klusterarbete"]
    assert cluster[:2] == result_before.theme_statements["Klusterarbete"][:2]
    assert not any("Östergötland" in sentence for sentence in cluster)
    book = openpyxl.load_workbook(io.BytesIO(data))
    matrix = book["Teman och län"]
    column = next(c for c in matrix[1] if str(c.value).startswith("Östergötland")).column
    row = next(r for r in range(2, 20) if matrix.cell(r, 1).value == "Klusterarbete")
    assert matrix.cell(row, column).value == "Ej bedömt"
    count_cell = matrix.cell(row, matrix.max_column)
    assert count_cell.value.startswith("=COUNTIF(")  # text is never counted as ">=3"
    observations = list(book["Iakttagelser"].iter_rows(min_row=2, values_only=True))
    marked = [r for r in observations if r[0] == "Östergötland" and r[1] == "Klusterarbete"]
    assert marked[0][2] is None and marked[0][3] == "Ej bedömt"
    assert "Länet har inget klusterarbete att bedöma i år." in marked[0][6]


def test_national_figures_equal_the_orm(round_2001):
    exports_builders.register(county_code="04", projects=2)
    exports_builders.register(county_code="12", projects=3, offset=10)
    NationalConclusion.objects.create(
        round=round_2001, theme=Theme.objects.get(code="klusterarbete"), text="Slutsats om kluster."
    )
    _result, data = export(round_2001)
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    assert book.sheetnames == [
        "Slutsatser",
        "Nyckeltal per län",
        "Teman och län",
        "Finansiering per län",
        "Register",
        "Projekt",
        "Iakttagelser",
    ]
    assert "Slutsats om kluster." in all_text(data)
    financing = book["Finansiering per län"]
    headers = [c.value for c in financing[1]]
    rows = {r[0]: r for r in financing.iter_rows(min_row=2, max_row=22, values_only=True)}
    for code, name in (("04", "Södermanland"), ("12", "Skåne"), ("01", "Stockholm")):
        for category, label in FinancingSource.Category.choices:
            value = rows[name][headers.index(f"{label} (mnkr)")]
            assert Decimal(str(value)) == exports_builders.decided(code, category)
    national = next(r for r in financing.iter_rows(values_only=True) if r[0] == "Hela landet")
    assert Decimal(str(national[-1])) == exports_builders.decided("04") + exports_builders.decided(
        "12"
    )
    key = book["Nyckeltal per län"]
    projects = {r[0]: r[4] for r in key.iter_rows(min_row=2, max_row=22, values_only=True)}
    assert projects["Södermanland"] == 2 and projects["Skåne"] == 3 and projects["Stockholm"] == 0
    assert book["Projekt"].max_row == 1 + Project.objects.count()


@pytest.mark.parametrize("status", [S.SUBMITTED, S.APPROVED])
def test_a_report_with_the_ministry_contributes_its_figures_as_submitted(
    round_2001, coordinator_04, reviewer, status
):
    """The national workbook shows the figures Södermanland submitted — on its key-figure and
    financing sheets and in the national totals — though the register has grown since; a draft
    county shows the register now."""
    agreement = exports_builders.register(county_code="04", projects=2)
    exports_builders.register(county_code="05", projects=1, offset=30)
    report = exports_builders.report(round_obj=round_2001, county_code="04")
    submitted_decided = exports_builders.decided("04")
    county_report_submit(report=report, user=coordinator_04)
    if status == S.APPROVED:
        report.refresh_from_db()
        county_report_approve(report=report, user=reviewer)
    exports_builders.add_projects(agreement=agreement, projects=2, offset=10)
    assert exports_builders.decided("04") > submitted_decided  # the register did grow

    _result, data = export(round_2001)
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    key = {r[0]: r for r in book["Nyckeltal per län"].iter_rows(min_row=2, values_only=True)}
    assert key["Södermanland"][3] == "Låsta" and key["Södermanland"][4] == 2
    assert key["Östergötland"][3] == "Aktuella" and key["Östergötland"][4] == 1
    financing = {r[0]: r for r in book["Finansiering per län"].iter_rows(values_only=True)}
    assert Decimal(str(financing["Södermanland"][-1])) == submitted_decided
    assert Decimal(str(financing["Hela landet"][-1])) == submitted_decided + (
        exports_builders.decided("05")
    )


def test_key_figures_of_all_counties_at_once_equal_county_key_figures(round_2001):
    exports_builders.register(county_code="04", projects=2)
    exports_builders.register(county_code="14", projects=3, offset=7)
    all_at_once = key_figures_by_county(year=2001, agreements=agreements_in_force(year=2001))
    for county_id, figures in all_at_once.items():
        one = county_key_figures(county_id=county_id, year=2001)
        assert figures["projects"] == one["projects"]
        assert figures["agreement_id"] == one["agreement_id"]
        for category, kinds in one["by_category"].items():
            for kind, amount in kinds.items():
                assert Decimal(figures["by_category"][category][kind]) == Decimal(amount)
        assert [
            (a["id"], Decimal(a["frame"]), Decimal(a["beslutat"]))
            for a in figures["by_priority_area"]
        ] == [
            (a["id"], Decimal(a["frame"]), Decimal(a["beslutat"])) for a in one["by_priority_area"]
        ]


def test_chart_carries_its_data_for_programs_that_do_not_recompute(round_2001):
    exports_builders.register(county_code="04", projects=2)
    _result, data = export(round_2001)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "'Finansiering per län'!$B$2:$B$22" in chart
    cached = re.findall(r"<c:numCache>.*?</c:numCache>", chart)
    assert len(cached) == len(FinancingSource.Category.values)
    state = float(exports_builders.decided("04", FinancingSource.Category.STATE))
    county_index = list(County.objects.order_by("code").values_list("code", flat=True)).index("04")
    point = re.search(rf'<c:pt idx="{county_index}"><c:v>([^<]+)</c:v>', cached[0])
    assert float(point.group(1)) == state
    assert "<c:strCache>" in chart and "Södermanland" in chart


def _queries(round_obj) -> int:
    with CaptureQueriesContext(connection) as context:
        export(round_obj)
    return len(context.captured_queries)


def test_queries_do_not_grow_with_rows(round_2001, django_assert_max_num_queries):
    agreement = exports_builders.register(county_code="04", projects=2)
    exports_builders.report(round_obj=round_2001, county_code="04", status=S.SUBMITTED)
    small = _queries(round_2001)
    exports_builders.add_projects(agreement=agreement, projects=6, offset=30)
    exports_builders.register(county_code="12", projects=4, offset=50)
    exports_builders.report(round_obj=round_2001, county_code="12", status=S.APPROVED)
    exports_builders.report(round_obj=round_2001, county_code="05", status=S.DRAFT)
    with django_assert_max_num_queries(small):
        export(round_2001)
    assert _queries(round_2001) == small


def test_command_writes_the_national_workbook(round_2001, tmp_path):
    exports_builders.register(county_code="04", projects=2)
    out, err = io.StringIO(), io.StringIO()
    path = tmp_path / "national.xlsx"
    call_command("export_national", "--year", "2001", "-o", str(path), stdout=out, stderr=err)
    assert "Projekt 2" in out.getvalue() and "Projekt: 2 rader" in err.getvalue()
    assert openpyxl.load_workbook(path).sheetnames[0] == "Slutsatser"
