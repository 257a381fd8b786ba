"""Open data: a year's package as a tool that knows nothing of this system reads it
(``frictionless validate``: types, primary and foreign keys, the CC0 licence), its values read
back equal to the database, no private person named and no report but approved ones, and the
public page with its zip built once and kept."""

import csv
import json
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from frictionless import Package, validate

from agreements.models import FinancingLine, Organisation, OrganisationKind, Project
from followup.models import CountyReport, Observation, ReportStatus, Theme
from followup.opendata.tables import TABLES
from followup.services.reports import county_report_approve, county_report_submit
from tests import builders

pytestmark = pytest.mark.django_db

PERSON = "Greta Privatperson"
DRAFT_TEXT = "Utkastets hemliga iakttagelse"


@pytest.fixture
def register(coordinator_04, coordinator_05, reviewer):
    """Three counties' registers, varied; Södermanland's and Östergötland's reports approved
    (Södermanland's cites a project), Värmland's a draft; a private person owns a project."""
    round_obj = builders.follow_up_round(year=2001)
    person = builders.organisation(
        name=PERSON,
        kind_code=OrganisationKind.PRIVATE_PERSON,
        org_number="",
        county=builders.county("04"),
    )
    made = {}
    for code, n in (("04", 4), ("05", 2), ("17", 1)):
        agreement = builders.agreement(county_code=code, description=f'Avtal\n{code}, "citat"')
        area = builders.priority_area(agreement_obj=agreement, name=f"Område {code}")
        measure = builders.measure(area=area)
        builders.frame(area=area, measure=measure, amount="0")
        builders.frame(area=area, year=2002, amount="123456789012.34")
        partnership = builders.partnership(
            county_code=code, agreement=agreement, name=f"Partnerskap {code}"
        )
        builders.member(partnership_obj=partnership, organisation_obj=person)
        builders.member(partnership_obj=partnership)
        cluster = builders.cluster(county_code=code, name=f"Kluster {code}")
        first = builders.cluster_actor(cluster_obj=cluster, organisation_obj=person)
        second = builders.cluster_actor(cluster_obj=cluster, in_working_group=True)
        builders.cluster_link(from_actor=first, to_actor=second, knowledge=True)
        projects = []
        for i in range(n):
            project = builders.project(
                measure_obj=measure,
                title=f"Projekt {code}-{i} =SUMMA(A1)",
                owner=person if i == 0 else None,
                partnership=partnership,
                cluster=cluster,
                status=list(Project.Status.values)[i],
            )
            builders.financing_line(project_obj=project, amount="0.01", year=2001)
            builders.financing_line(
                project_obj=project,
                amount="9999999999999.99",
                year=2001,
                kind=FinancingLine.Kind.OUTCOME,
                financier=person,
                note="Rapporterat; med radbrytning\noch semikolon",
            )
            builders.financing_line(project_obj=project, amount="5", year=2002)  # after 2001
            projects.append(project)
        report = builders.county_report(
            round_obj=round_obj, county_code=code, summary=f"Län {code}"
        )
        for theme in Theme.objects.all():
            observation = builders.observation(
                report=report,
                theme=theme,
                text=DRAFT_TEXT if code == "17" else f"Iakttagelse {code} {theme.code}",
                assessment=0 if theme.sort_order == 1 else 3,
                not_assessed_reason="Inte aktuellt" if theme.sort_order == 1 else "",
            )
            observation.projects.add(projects[0])
        if code != "17":
            county_report_submit(
                report=report, user=coordinator_04 if code == "04" else coordinator_05
            )
            county_report_approve(report=report, user=reviewer)
        made[code] = {"report": report, "projects": projects}
    return made


@pytest.fixture(autouse=True)
def open_data_dir(settings, tmp_path_factory):
    """Each test's zips apart (the matrix builds a year's zip in the run's folder too)."""
    settings.OPEN_DATA_DIR = tmp_path_factory.mktemp("open-data")
    return settings.OPEN_DATA_DIR


def _read(directory, name):
    with open(directory / f"{name}.csv", encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_the_package_is_valid_as_frictionless_reads_it(register, tmp_path):
    call_command("export_open_data", "--year", "2001", "-o", str(tmp_path))
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])
    package = Package(tmp_path / "datapackage.json")
    assert package.licenses[0]["name"] == "CC0-1.0"
    assert {resource.name for resource in package.resources} == {table.name for table in TABLES}
    projects = package.get_resource("projects")
    assert projects.schema.primary_key == ["id"]
    assert {key["fields"][0] for key in projects.schema.foreign_keys} >= {"owner_id", "measure_id"}
    # Titles and descriptions in Swedish, then English.
    field = projects.schema.get_field("reference_number")
    assert field.title == "Diarienummer / Reference number"
    assert field.description.startswith("Unikt inom länet") and "English: Unique" in (
        field.description
    )


def test_values_read_back_equal_the_database(register, tmp_path):
    call_command("export_open_data", "--year", "2001", "-o", str(tmp_path))
    package = Package(tmp_path / "datapackage.json")
    rows = {row["id"]: row for row in package.get_resource("financing_lines").read_rows()}
    stored = FinancingLine.objects.filter(year__lte=2001)
    assert set(rows) == set(stored.values_list("pk", flat=True))
    for line in stored.select_related("source"):
        row = rows[line.pk]
        assert row["amount"] == line.amount and isinstance(row["amount"], Decimal)
        assert (row["project_id"], row["year"], row["kind"]) == (
            line.project_id,
            line.year,
            line.kind,
        )
        assert row["source_code"] == line.source.code
        assert row["financier_id"] == line.financier_id
        assert (row["note"] or "") == line.note
    projects = {row["id"]: row for row in package.get_resource("projects").read_rows()}
    for project in Project.objects.select_related("county"):
        row = projects[project.pk]
        assert row["title"] == project.title  # a formula-like text exactly as stored
        assert row["start_date"] == project.start_date and row["status"] == project.status
        assert row["county_code"] == project.county.code
    reports = {row["id"]: row for row in package.get_resource("reports").read_rows()}
    for report in CountyReport.objects.filter(status=ReportStatus.APPROVED):
        row = reports[report.pk]
        assert row["submitted_at"] == report.submitted_at  # to the microsecond, in UTC
        assert row["approved_at"] == report.reviewed_at
        assert row["summary"] == report.summary
    agreements = list(package.get_resource("agreements").read_rows())
    assert {row["description"] for row in agreements} >= {'Avtal\n04, "citat"'}
    observations = {row["id"]: row for row in package.get_resource("observations").read_rows()}
    for observation in Observation.objects.filter(report__status=ReportStatus.APPROVED):
        row = observations[observation.pk]
        assert row["assessment"] == observation.assessment
        assert (row["not_assessed_reason"] or "") == observation.not_assessed_reason
    financing = list(package.get_resource("report_financing").read_rows())
    report_04 = register["04"]["report"]
    report_04.refresh_from_db()
    decided = {
        row["category"]: row["amount"]
        for row in financing
        if row["report_id"] == report_04.pk and row["kind"] == "beslutat"
    }
    assert decided["stat"] == Decimal(report_04.frozen_figures["by_category"]["stat"]["beslutat"])


def test_no_private_person_and_no_draft_is_in_the_package(register, tmp_path):
    call_command("export_open_data", "--year", "2001", "-o", str(tmp_path))
    everything = "".join(path.read_text(encoding="utf-8") for path in tmp_path.iterdir())
    assert PERSON not in everything
    assert DRAFT_TEXT not in everything
    person = Organisation.objects.get(name=PERSON)
    (row,) = [row for row in _read(tmp_path, "organisations") if row["id"] == str(person.pk)]
    assert row == {
        "id": str(person.pk),
        "name": "",
        "kind_code": "privatperson",
        "org_number": "",
        "county_code": "04",
        "municipality_code": "",
        "withheld": "true",
    }
    statuses = {row["status"] for row in _read(tmp_path, "reports")}
    assert statuses == {ReportStatus.APPROVED}
    report_ids = {row["report_id"] for row in _read(tmp_path, "observations")}
    draft = register["17"]["report"]
    assert str(draft.pk) not in report_ids
    # Financing after the package's year is not in it.
    assert {row["year"] for row in _read(tmp_path, "financing_lines")} == {"2001"}


def test_the_export_runs_a_fixed_number_of_queries(register, tmp_path):
    with CaptureQueriesContext(connection) as small:
        call_command("export_open_data", "--year", "2001", "-o", str(tmp_path / "a"))
    for project in Project.objects.all():
        for year in (2000, 2001):
            builders.financing_line(project_obj=project, year=year, amount="7")
    builders.project(measure_obj=register["04"]["projects"][0].measure)
    with CaptureQueriesContext(connection) as large:
        call_command("export_open_data", "--year", "2001", "-o", str(tmp_path / "b"))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_public_page_lists_the_years_and_serves_a_valid_zip(client, register, tmp_path):
    page = client.get(reverse("site:open_data"))
    assert page.status_code == 200
    assert reverse("site:open_data_zip", args=[2001]) in page.content.decode()
    assert "Uppföljningen 2001 (zip)" in page.content.decode()  # a year is never grouped
    response = client.get(reverse("site:open_data_zip", args=[2001]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "tillvaxtavtal-uppfoljning-2001.zip" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(BytesIO(content)) as archive:
        archive.extractall(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert descriptor["name"] == "tillvaxtavtal-uppfoljning-2001"
    assert validate(tmp_path / "datapackage.json").valid


def test_a_year_without_an_approved_report_builds_nothing(client, register, settings):
    assert client.get(reverse("site:open_data_zip", args=[2002])).status_code == 404
    assert client.get(reverse("site:open_data_zip", args=[1999])).status_code == 404
    assert list(settings.OPEN_DATA_DIR.glob("2002*")) == []


def test_the_zip_is_built_once_and_again_when_a_report_is_approved(
    client, register, coordinator_05, reviewer, monkeypatch
):
    from followup.opendata import archive

    builds = []
    real = archive.build_zip
    monkeypatch.setattr(archive, "build_zip", lambda *a: (builds.append(a), real(*a)))
    url = reverse("site:open_data_zip", args=[2001])
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert len(builds) == 1
    # Värmland's report approved: the next download is a new package with it.
    draft = register["17"]["report"]
    Observation.objects.filter(report=draft).update(text="Godkänd nu")
    county_report_submit(
        report=draft, user=builders.user("samordnare17", role="coordinator", counties=["17"])
    )
    county_report_approve(report=draft, user=reviewer)
    response = client.get(url)
    assert len(builds) == 2
    with zipfile.ZipFile(BytesIO(b"".join(response.streaming_content))) as zipped:
        assert "Godkänd nu" in zipped.read("observations.csv").decode()


def test_while_the_first_zip_is_built_another_request_is_asked_to_come_back(
    client, register, monkeypatch
):
    from followup.opendata import archive

    def busy(year):
        raise archive.Busy

    monkeypatch.setattr(archive, "archive_for", busy)
    response = client.get(reverse("site:open_data_zip", args=[2001]))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
