"""Who may download which workbook through the admin."""

import io

import openpyxl
import pytest
from django.urls import reverse

from followup.models import ReportStatus
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db
S = ReportStatus


@pytest.fixture
def round_2001():
    return builders.follow_up_round(year=2001)


def county_url(report):
    return reverse("admin:followup_countyreport_export", args=[report.pk])


def national_url(round_obj):
    return reverse("admin:followup_followupround_export", args=[round_obj.pk])


def download(client, user, url):
    client.force_login(user)
    return client.get(url)


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_coordinator_downloads_own_countys_draft_with_its_content(
    client, coordinator_04, round_2001
):
    exports_builders.register(projects=1)
    report = exports_builders.report(round_obj=round_2001, county_code="04", text="Eget utkast.")
    response = download(client, coordinator_04, county_url(report))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert workbook(response)["Iakttagelser"].cell(2, 5).value == "Eget utkast."


def test_coordinator_cannot_get_another_countys_workbook(client, coordinator_05, round_2001):
    exports_builders.register(projects=1)
    report = exports_builders.report(round_obj=round_2001, county_code="04", status=S.SUBMITTED)
    assert download(client, coordinator_05, county_url(report)).status_code == 404
    missing = reverse("admin:followup_countyreport_export", args=[report.pk + 1000])
    assert download(client, coordinator_05, missing).status_code == 404


def test_coordinator_cannot_get_the_national_workbook(client, coordinator_04, round_2001):
    assert download(client, coordinator_04, national_url(round_2001)).status_code in (403, 404)
    client.force_login(coordinator_04)
    page = client.get(reverse("admin:followup_followupround_change", args=[round_2001.pk]))
    assert national_url(round_2001) not in page.content.decode()


def test_staff_without_role_gets_nothing(client, staff_without_role, round_2001):
    report = exports_builders.report(round_obj=round_2001, county_code="04", status=S.SUBMITTED)
    assert download(client, staff_without_role, county_url(report)).status_code in (403, 404)
    assert download(client, staff_without_role, national_url(round_2001)).status_code in (403, 404)


@pytest.mark.parametrize("persona", ["reviewer", "administrator"])
def test_ministry_staff_get_the_national_workbook_from_the_rounds_page(
    client, personas, persona, round_2001
):
    exports_builders.register(projects=1)
    user = personas[persona]
    client.force_login(user)
    page = client.get(reverse("admin:followup_followupround_change", args=[round_2001.pk]))
    assert national_url(round_2001) in page.content.decode()
    response = client.get(national_url(round_2001))
    assert response.status_code == 200
    assert workbook(response).sheetnames[0] == "Slutsatser"


def test_reviewer_gets_a_submitted_county_but_not_a_draft(client, reviewer, round_2001):
    submitted = exports_builders.report(round_obj=round_2001, county_code="04", status=S.SUBMITTED)
    draft = exports_builders.report(round_obj=round_2001, county_code="05")
    client.force_login(reviewer)
    page = client.get(reverse("admin:followup_countyreport_change", args=[submitted.pk]))
    assert county_url(submitted) in page.content.decode()
    assert download(client, reviewer, county_url(submitted)).status_code == 200
    assert download(client, reviewer, county_url(draft)).status_code == 404


def test_administrator_gets_a_draft_workbook_without_its_content(client, administrator, round_2001):
    draft = exports_builders.report(round_obj=round_2001, county_code="05", text="Utkast 05.")
    response = download(client, administrator, county_url(draft))
    assert response.status_code == 200
    assert workbook(response)["Iakttagelser"].max_row == 1
