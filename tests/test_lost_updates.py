"""No lost updates: a save based on a stale copy is refused and the first person's data stays."""

import pytest
from django.db import transaction

from agreements.models import Project
from agreements.models.versioning import StaleObjectError
from followup.services.reports import county_report_return, county_report_submit
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    agreement = builders.agreement(county_code="04")
    measure = builders.measure(area=builders.priority_area(agreement_obj=agreement))
    return builders.project(measure_obj=measure, title="Ursprunglig titel")


def test_save_from_a_stale_copy_is_refused_and_the_first_save_survives(project):
    first = Project.objects.get(pk=project.pk)
    second = Project.objects.get(pk=project.pk)

    first.title = "Första personens titel"
    first.save()
    second.title = "Andra personens titel"
    with pytest.raises(StaleObjectError) as error, transaction.atomic():
        second.save()

    assert "Någon annan har ändrat" in str(error.value)
    assert Project.objects.get(pk=project.pk).title == "Första personens titel"


def test_each_save_bumps_the_version(project):
    assert project.version == 1
    project.save()
    project.save()
    assert Project.objects.get(pk=project.pk).version == 3


def test_a_workflow_step_makes_an_open_copy_of_the_report_stale(coordinator_04, reviewer):
    from followup.models import Theme

    report = builders.county_report(round_obj=builders.follow_up_round())
    for theme in Theme.objects.all():
        builders.observation(report=report, theme=theme)
    county_report_submit(report=report, user=coordinator_04)
    editing = type(report).objects.get(pk=report.pk)  # read while it was with the ministry

    county_report_return(report=report, user=reviewer, comment="Komplettera")
    editing.summary = "Skrivet i en gammal kopia"
    with pytest.raises(StaleObjectError), transaction.atomic():
        editing.save()
    assert type(report).objects.get(pk=report.pk).summary == ""


def test_an_open_copy_of_a_report_submitted_meanwhile_is_refused(coordinator_04):
    from followup.models import ReportLockedError, Theme

    report = builders.county_report(round_obj=builders.follow_up_round())
    for theme in Theme.objects.all():
        builders.observation(report=report, theme=theme)
    editing = type(report).objects.get(pk=report.pk)

    county_report_submit(report=report, user=coordinator_04)
    editing.summary = "Skrivet i en gammal kopia"
    with pytest.raises(ReportLockedError, match="inskickad"), transaction.atomic():
        editing.save()


def test_loading_a_fixture_over_a_row_keeps_the_files_version(project, tmp_path):
    from django.core import serializers

    project.title = "Sparad titel"
    project.save()  # version 2
    fixture = tmp_path / "project.json"
    fixture.write_text(serializers.serialize("json", [project]), encoding="utf-8")

    from django.core.management import call_command

    call_command("loaddata", str(fixture), verbosity=0)

    assert Project.objects.get(pk=project.pk).version == 2
