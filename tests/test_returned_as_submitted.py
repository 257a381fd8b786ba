"""A returned report is back with its county: what the county writes in it is its own until it
submits again. The ministry reads it meanwhile as it was last submitted — on every page,
download and comparison — and its county reads its work in progress."""

import io

import openpyxl
import pytest
from django.urls import reverse

from followup.exports.county import write_county_workbook
from followup.exports.national import write_national_workbook
from followup.models import Theme
from followup.services.reports import county_report_return, county_report_submit
from tests import builders

pytestmark = pytest.mark.django_db

SUBMITTED = "Inskickad iakttagelse om klustren."
WORK = "Pågående komplettering som bara länet ser."


@pytest.fixture
def returned(coordinator_04, reviewer):
    """Södermanland submitted (cluster theme at 3), was returned, and is now rewriting its
    report (the cluster theme at 4, new texts)."""
    round_obj = builders.follow_up_round(year=2001)
    report = builders.county_report(round_obj=round_obj, summary=f"Sammanfattning. {SUBMITTED}")
    for theme in Theme.objects.all():
        builders.observation(report=report, theme=theme, text=SUBMITTED, assessment=3)
    county_report_submit(report=report, user=coordinator_04)
    report.refresh_from_db()
    county_report_return(report=report, user=reviewer, comment="Komplettera")
    report.refresh_from_db()
    report.summary = f"Sammanfattning. {WORK}"
    report.save()
    for observation in report.observations.all():
        observation.text = WORK
        observation.assessment = 4
        observation.save()
    return report


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_reviewer_reads_the_county_page_as_submitted(client, returned, reviewer):
    text = page(client, reviewer, reverse("site:county", args=[2001, "04"]))
    assert SUBMITTED in text and WORK not in text
    assert "Du ser den som den skickades in" in text


def test_the_county_reads_its_work_in_progress(client, returned, coordinator_04):
    text = page(client, coordinator_04, reverse("site:county", args=[2001, "04"]))
    assert WORK in text


def test_lists_comparisons_and_searches_show_the_reviewer_no_work_in_progress(
    client, returned, reviewer
):
    client.force_login(reviewer)
    for url in (
        reverse("site:observations") + f"?q={WORK.split()[0]}",
        reverse("site:observations_csv"),
        reverse("site:matrix", args=[2001]),
        reverse("site:development", args=["04"]),
        reverse("admin:followup_countyreport_change", args=[returned.pk]),
        reverse("admin:followup_countyreport_changelist") + "?q=Pågående",
        reverse("admin:followup_observation_changelist") + "?q=Pågående",
    ):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert WORK not in body.decode(), url
    matrix = client.get(reverse("site:matrix", args=[2001])).context
    cells = {cell["cell"].best for row in matrix["rows"] for cell in row["cells"] if cell["cell"]}
    assert cells == {3}  # as submitted, not the 4 being written
    search = client.get(reverse("admin:followup_countyreport_changelist") + "?q=Pågående")
    assert search.context["cl"].result_count == 0


def test_both_workbooks_show_the_reviewer_the_report_as_submitted(returned, reviewer):
    output = io.BytesIO()
    write_county_workbook(
        output,
        county=returned.county,
        round_obj=returned.round,
        show_report=True,
        as_submitted=True,
    )
    texts = _texts(output)
    assert SUBMITTED in texts and WORK not in texts
    output = io.BytesIO()
    result = write_national_workbook(output, round_obj=returned.round)
    texts = _texts(output)
    assert SUBMITTED in texts and WORK not in texts
    cluster = result.theme_statements["Klusterarbete"]
    assert "etablerat i Södermanland" in " ".join(cluster)  # 3, as submitted; not 4


def test_the_county_workbook_for_the_county_holds_its_work(returned, coordinator_04):
    output = io.BytesIO()
    write_county_workbook(
        output, county=returned.county, round_obj=returned.round, show_report=True
    )
    assert WORK in _texts(output)


def test_the_reviewer_reads_the_submitted_versions_of_a_returned_observation(
    client, returned, reviewer
):
    observation = returned.observations.first()
    client.force_login(reviewer)
    history = client.get(reverse("admin:followup_observation_history", args=[observation.pk]))
    assert history.status_code == 200
    assert WORK not in history.content.decode()
    version = observation.history.get(report_status="inskickad")
    url = reverse(
        "admin:followup_observation_simple_history", args=[observation.pk, version.history_id]
    )
    shown = client.get(url).content.decode()
    assert SUBMITTED in shown and WORK not in shown
    opened = client.get(reverse("admin:followup_observation_change", args=[observation.pk]))
    assert opened.status_code == 302  # as a missing one: its work in progress is not shown


def _texts(output) -> str:
    book = openpyxl.load_workbook(io.BytesIO(output.getvalue()))
    return "\n".join(
        str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value
    )
