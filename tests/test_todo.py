"""The start page as each person's to-do list, and the same counts on a county's page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import Observation, ReportStatus, ReviewEvent, RoundStatus, Theme
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2001, 9, 10)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


@pytest.fixture
def round_obj():
    return builders.follow_up_round(year=2001, deadline=datetime.date(2001, 9, 15))


def start(client, user) -> str:
    """The start page as the user reads it: its text, tags aside (links kept as <a>…</a>)."""
    client.force_login(user)
    response = client.get(reverse("site:start"))
    assert response.status_code == 200
    html = re.sub(r"<(?!/?a[ >])[^>]+>", " ", response.content.decode())
    return " ".join(html.split()).replace(" .", ".").replace(" ,", ",")


def test_a_coordinator_sees_the_themes_still_missing_and_the_days_left(client, coordinator_04,
                                                                       round_obj):  # fmt: skip
    themes = list(Theme.objects.order_by("sort_order", "name"))
    assert len(themes) >= 4
    report = builders.county_report(round_obj=round_obj, county_code="04")
    for theme in themes[2:]:
        builders.observation(report=report, theme=theme)
    # an observation without an assessment does not make its theme done
    builders.observation(report=report, theme=themes[1], assessment=None,
                         kind=Observation.Kind.OBSERVATION)  # fmt: skip
    page = start(client, coordinator_04)
    done = len(themes) - 2
    assert f"{done} av {len(themes)} teman klara" in page
    assert "5 dagar kvar till sista dag (15 september 2001)" in page
    for theme in themes[:2]:
        assert f">{theme.name}</a>" in page  # linked to where it is written
    assert f">{themes[2].name}</a>" not in page
    assert "Östergötlands län" not in page  # another county is nobody's business here

    county = client.get(reverse("site:county", args=[2001, "04"])).content.decode()
    assert f"{done} av {len(themes)} teman klara" in " ".join(county.split())


def test_a_county_without_a_report_has_every_theme_to_do(client, coordinator_05, round_obj):
    page = start(client, coordinator_05)
    total = round_obj.themes.count()
    assert f"0 av {total} teman klara" in page
    assert "Börja skriva länets rapport" in page


def test_a_returned_report_counts_to_its_completion_date_and_a_late_one_says_so(
    client, coordinator_04_05, round_obj
):
    returned = exports_builders.report(
        round_obj=round_obj, county_code="04", status=ReportStatus.RETURNED
    )
    returned.__class__._base_manager.filter(pk=returned.pk).update(
        complete_by=datetime.date(2001, 9, 12)
    )
    builders.county_report(round_obj=round_obj, county_code="05")
    round_obj.__class__._base_manager.filter(pk=round_obj.pk).update(
        deadline=datetime.date(2001, 9, 1)
    )
    page = start(client, coordinator_04_05)
    total = round_obj.themes.count()
    assert (
        f"{total} av {total} teman klara · 2 dagar kvar till kompletteringen (12 september 2001)"
        in page
    )
    assert "Alla teman är bedömda." in page
    assert "9 dagar för sent (senast 1 september 2001)" in page  # Östergötland's draft


def test_submitted_and_approved_reports_ask_nothing_of_the_county(client, coordinator_04_05,
                                                                  round_obj):  # fmt: skip
    exports_builders.report(round_obj=round_obj, county_code="04", status=ReportStatus.SUBMITTED)
    exports_builders.report(round_obj=round_obj, county_code="05", status=ReportStatus.APPROVED)
    page = start(client, coordinator_04_05)
    assert "Rapporten ligger hos departementet för granskning." in page
    assert "Rapporten är godkänd. Inget mer att göra i den här omgången." in page
    assert "teman klara" not in page


def test_a_reviewer_sees_reports_waiting_oldest_first_and_resubmissions_marked(
    client, reviewer, round_obj
):
    submitted = {}
    for code, day in (("05", 8), ("04", 3), ("06", 5)):
        report = exports_builders.report(
            round_obj=round_obj, county_code=code, status=ReportStatus.SUBMITTED
        )
        report.__class__._base_manager.filter(pk=report.pk).update(
            submitted_at=timezone.make_aware(datetime.datetime(2001, 9, day, 10))
        )
        submitted[code] = report
    ReviewEvent.objects.create(
        report=submitted["06"], action=ReviewEvent.Action.RETURN,
        from_status=ReportStatus.SUBMITTED, to_status=ReportStatus.RETURNED, actor=reviewer,
    )  # fmt: skip
    exports_builders.report(round_obj=round_obj, county_code="07", status=ReportStatus.DRAFT)
    exports_builders.report(round_obj=round_obj, county_code="08", status=ReportStatus.APPROVED)
    client.force_login(reviewer)
    reviews = client.get(reverse("site:start")).context["reviews"]
    assert [(i.report.county.code, i.resubmitted, i.days_waiting) for i in reviews] == [
        ("04", False, 7),
        ("06", True, 5),
        ("05", False, 2),
    ]
    page = start(client, reviewer)
    assert (
        "Jönköpings län</a> (uppföljning 2001) – inskickad igen efter retur 5 september 2001"
        in page
    )
    assert "väntar sedan 7 dagar" in page
    changes = reverse("site:county", args=[2001, "06"]) + "#iakttagelser"
    assert f'<a href="{changes}">se vad som har ändrats</a>' in page  # for the resubmission only
    assert page.count("se vad som har ändrats") == 1
    assert "Kronobergs län" not in page and "Kalmar län" not in page


def test_an_administrator_is_told_which_rounds_to_open_or_close(client, administrator,
                                                                round_obj):  # fmt: skip
    builders.follow_up_round(year=2002, status=RoundStatus.PLANNED)
    page = start(client, administrator)
    assert "Uppföljning 2002 är planerad: öppna den när länen ska börja rapportera." in page
    assert "kan avslutas" not in page
    for county in builders.County.objects.all():
        exports_builders.report(round_obj=round_obj, county_code=county.code,
                                status=ReportStatus.APPROVED)  # fmt: skip
    page = start(client, administrator)
    assert "Uppföljning 2001: alla 21 rapporter är godkända, och omgången kan avslutas." in page


def test_start_page_queries_do_not_grow_with_the_counties(
    client, coordinator_04_05, round_obj, django_assert_max_num_queries
):
    client.force_login(coordinator_04_05)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("site:start")).status_code == 200
