"""Hostile input on the comment URLs, and what a reviewer reads of a returned report: nothing of
the county's work in progress (its replies, its deletions, its edits through last year's
comparison) until the county submits again."""

import pytest
from django.urls import reverse

from followup.models import Observation, ReportStatus, ReviewComment, Theme
from followup.services import comments as service
from followup.services.reports import county_report_return, county_report_submit
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    round_obj = builders.follow_up_round(year=2001)
    return exports_builders.report(
        round_obj=round_obj, county_code="04", status=ReportStatus.SUBMITTED
    )


@pytest.mark.parametrize("raw", ["²", "١", "9" * 30])
def test_an_odd_observation_id_is_refused_not_a_500(client, reviewer, submitted, raw):
    client.raise_request_exception = False
    client.force_login(reviewer)
    response = client.post(
        reverse("site:county_comment_add", args=[2001, "04"]), {"observation": raw, "text": "Hej"}
    )
    assert response.status_code == 302, response.status_code


def test_a_nul_character_in_a_comment_is_refused(client, reviewer, submitted):
    """PostgreSQL refuses NUL in text (a DataError → 500); Django's forms refuse it, this view
    reads request.POST directly."""
    client.force_login(reviewer)
    response = client.post(
        reverse("site:county_comment_add", args=[2001, "04"]), {"text": "a\x00b"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Texten innehåller ett tecken som inte kan sparas (NUL)."
    ]
    assert not ReviewComment.objects.exists()


def test_the_reviewer_does_not_read_the_countys_work_in_progress_through_since_last_year(
    client, coordinator_04, reviewer
):
    themes = list(Theme.objects.order_by("sort_order", "name"))
    earlier = builders.county_report(
        round_obj=builders.follow_up_round(year=2000), county_code="04"
    )
    builders.observation(report=earlier, theme=themes[0], assessment=2, text="Förra året.")
    builders.set_status(earlier, ReportStatus.APPROVED)
    report = exports_builders.report(
        round_obj=builders.follow_up_round(year=2001), county_code="04", status=ReportStatus.DRAFT
    )
    county_report_submit(report=report, user=coordinator_04)
    report.refresh_from_db()
    county_report_return(report=report, user=reviewer, comment="Komplettera.")
    # the county starts rewriting, not sent yet
    o = Observation.objects.get(report=report, theme=themes[0])
    o.text = "HEMLIGT UTKAST som länet inte har skickat"
    o.save()
    client.force_login(reviewer)
    html = client.get(reverse("site:county", args=[2001, "04"])).content.decode()
    assert "Du ser den som den skickades in" in html  # the page promises the submitted version
    assert "HEMLIGT" not in html


def test_the_reviewer_does_not_read_a_reply_the_county_has_not_sent(
    client, coordinator_04, reviewer
):
    report = exports_builders.report(
        round_obj=builders.follow_up_round(year=2001), county_code="04", status=ReportStatus.DRAFT
    )
    county_report_submit(report=report, user=coordinator_04)
    report.refresh_from_db()
    comment = service.comment_add(report=report, user=reviewer, text="Varför?")
    county_report_return(report=report, user=reviewer, comment="Komplettera.")
    comment.refresh_from_db()
    service.comment_reply(
        comment=comment, user=coordinator_04, reply="HALVFÄRDIGT SVAR", handled=False
    )
    client.force_login(reviewer)
    html = client.get(reverse("site:county", args=[2001, "04"])).content.decode()
    assert "Du ser den som den skickades in" in html
    assert "HALVFÄRDIGT SVAR" not in html


def test_the_reviewer_does_not_learn_which_observations_the_county_is_deleting(
    client, coordinator_04, reviewer
):
    report = exports_builders.report(
        round_obj=builders.follow_up_round(year=2001), county_code="04", status=ReportStatus.DRAFT
    )
    county_report_submit(report=report, user=coordinator_04)
    report.refresh_from_db()
    obs = Observation.objects.filter(report=report).first()
    service.comment_add(report=report, user=reviewer, text="Om den", observation_id=obs.pk)
    county_report_return(report=report, user=reviewer, comment="Komplettera.")
    Observation.objects.get(pk=obs.pk).delete()  # the county's work in progress
    client.force_login(reviewer)
    html = client.get(reverse("site:county", args=[2001, "04"])).content.decode()
    assert f'id="iakttagelse-{obs.pk}"' in html  # shown as submitted ...
    assert "iakttagelsen är borttagen" not in html  # ... but its comment says it is gone


def test_seed_demo_replace_still_knows_every_table():
    from followup.demo.wipe import _tables_to_flush

    names = {m._meta.label for m in _tables_to_flush()}
    assert {"followup.ReviewComment", "followup.Notice"} <= names
