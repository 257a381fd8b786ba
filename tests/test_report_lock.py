"""An approved report and its observations are locked, whatever writes to them."""

import pytest
from django.db import transaction

from followup.models import Observation, ReportLockedError, Theme
from followup.services.reports import (
    county_report_approve,
    county_report_reopen,
    county_report_submit,
)
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_report(coordinator_04, reviewer):
    report = builders.county_report(round_obj=builders.follow_up_round())
    for theme in Theme.objects.all():
        builders.observation(report=report, theme=theme, text="Ursprunglig text")
    county_report_submit(report=report, user=coordinator_04)
    county_report_approve(report=report, user=reviewer)
    report.refresh_from_db()
    return report


def test_approved_report_cannot_be_saved_or_deleted(approved_report):
    approved_report.summary = "Ändrad i efterhand"
    with pytest.raises(ReportLockedError) as error, transaction.atomic():
        approved_report.save()
    assert "godkänd och därmed låst" in str(error.value)
    with pytest.raises(ReportLockedError), transaction.atomic():
        approved_report.delete()
    approved_report.refresh_from_db()
    assert approved_report.summary == ""


def test_observations_of_an_approved_report_are_locked(approved_report):
    observation = approved_report.observations.first()
    observation.text = "Ändrad"
    with pytest.raises(ReportLockedError), transaction.atomic():
        observation.save()
    with pytest.raises(ReportLockedError), transaction.atomic():
        Observation.objects.create(
            report=approved_report, theme=Theme.objects.first(), text="Ny", assessment=2
        )
    with pytest.raises(ReportLockedError), transaction.atomic():
        observation.clusters.add(builders.cluster())
    assert Observation.objects.get(pk=observation.pk).text == "Ursprunglig text"


def test_reopened_report_can_be_edited_again(approved_report, administrator):
    county_report_reopen(report=approved_report, user=administrator, reason="Rättelse")
    approved_report.refresh_from_db()
    approved_report.summary = "Rättad sammanfattning"
    approved_report.save()
    assert approved_report.version > 1


def test_approved_report_page_is_read_only_for_its_coordinator(
    client, approved_report, coordinator_04
):
    client.force_login(coordinator_04)
    url = f"/admin/followup/countyreport/{approved_report.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="summary"' not in page.content.decode()
    response = client.post(url, {"summary": "Försök", "version": approved_report.version})
    assert response.status_code == 403
    approved_report.refresh_from_db()
    assert approved_report.summary == ""
