"""What changed: since the ministry returned a report (word by word, per observation and for the
summary, marked with <ins>/<del> and words) and since the county's approved report last year."""

import re

import pytest
from django.urls import reverse

from followup.models import Observation, ReportStatus, Theme
from followup.selectors.changes import word_diff
from followup.services.reports import (
    county_report_approve,
    county_report_return,
    county_report_submit,
)
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db


def test_word_diff_marks_added_and_removed_words_keeping_the_spaces():
    old, new = "Länet arbetar aktivt med temat.", "Länet arbetar mycket aktivt med det."
    segments = word_diff(old, new)
    assert segments == [
        ("same", "Länet arbetar"),
        ("added", " mycket"),
        ("same", " aktivt med "),
        ("removed", "temat"),
        ("added", "det"),
        ("same", "."),
    ]
    # read without the additions it is the old text, without the removals the new one
    assert "".join(t for kind, t in segments if kind != "added") == old
    assert "".join(t for kind, t in segments if kind != "removed") == new
    assert word_diff("", "Ny text") == [("added", "Ny text")]
    assert word_diff("Samma\n\nstycke", "Samma\n\nstycke") == [("same", "Samma\n\nstycke")]


def page(client, user, code="04") -> str:
    client.force_login(user)
    response = client.get(reverse("site:county", args=[2001, code]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def resubmitted(coordinator_04, reviewer):
    """Södermanland's report: submitted, returned with a comment, changed, submitted again."""
    round_obj = builders.follow_up_round(year=2001)
    report = exports_builders.report(round_obj=round_obj, county_code="04")
    report.summary = "Länet har ett starkt partnerskap."
    report.save()
    themes = list(Theme.objects.order_by("sort_order", "name"))
    observations = {o.theme_id: o for o in Observation.objects.filter(report=report)}
    county_report_submit(report=report, user=coordinator_04)
    report.refresh_from_db()
    county_report_return(report=report, user=reviewer, comment="Utveckla temat om kompetens, tack.")
    report.refresh_from_db()
    report.summary = "Länet har ett mycket starkt partnerskap med kommunerna."
    report.save()
    changed = observations[themes[0].pk]
    changed.text = f"Iakttagelse 04 om {themes[0].name}, nu med tre nya projekt."
    changed.assessment = 4
    changed.save()
    removed = observations[themes[1].pk]
    builders.observation(report=report, theme=themes[1], text="En ny iakttagelse i stället.")
    removed.delete()
    report.refresh_from_db()
    county_report_submit(report=report, user=coordinator_04)
    report.refresh_from_db()
    return {"report": report, "themes": themes, "unchanged": observations[themes[2].pk]}


def test_a_resubmitted_report_shows_the_reviewer_what_changed_since_the_return(
    client, reviewer, resubmitted
):
    html = page(client, reviewer)
    text = " ".join(html.split())
    # the return comment stays on top
    assert "Utveckla temat om kompetens, tack." in text
    assert "Det som har ändrats sedan returen är markerat nedan" in text
    # the summary, word by word
    assert (
        'Länet har ett <ins><span class="visually-hidden">[tillagt:] </span>mycket </ins>starkt '
        'partnerskap<ins><span class="visually-hidden">[tillagt:] </span> med kommunerna</ins>.'
        in html
    )
    # the changed observation, its assessment before, the new and the removed ones
    first = resubmitted["themes"][0].name
    assert f'{first} <span class="tag changed-tag">ändrad sedan returen</span>' in text
    assert "Bedömningen före returen: " in text
    assert "nu med tre nya projekt</ins>." in html
    assert "ny sedan returen" in text and "En ny iakttagelse i stället.</ins>" in html
    assert "borttagen sedan returen" in text
    # an unchanged observation is shown as it is, unmarked
    unchanged = resubmitted["unchanged"].text
    assert f"<p>{unchanged}</p>" in html


def test_the_marks_go_once_the_report_is_approved(client, reviewer, resubmitted):
    county_report_approve(report=resubmitted["report"], user=reviewer)
    html = page(client, reviewer)
    assert "<ins>" not in html and "<del>" not in html
    assert "Utveckla temat om kompetens, tack." in html  # still in the history below


def test_a_report_never_returned_has_no_marks(client, reviewer, coordinator_04):
    round_obj = builders.follow_up_round(year=2001)
    report = exports_builders.report(round_obj=round_obj, county_code="04")
    county_report_submit(report=report, user=coordinator_04)
    html = page(client, reviewer)
    assert "<ins>" not in html and "sedan returen" not in html


def test_since_last_years_approved_report_per_theme(client, reviewer):
    themes = list(Theme.objects.order_by("sort_order", "name"))
    last = builders.follow_up_round(year=2000)
    earlier = builders.county_report(round_obj=last, county_code="04")
    builders.observation(report=earlier, theme=themes[0], assessment=2, text="Svagt förra året.")
    builders.observation(report=earlier, theme=themes[1], assessment=4, text="Starkt då.")
    builders.set_status(earlier, ReportStatus.APPROVED)
    now = exports_builders.report(
        round_obj=builders.follow_up_round(year=2001), county_code="04", text="Starkare i år."
    )
    Observation.objects.filter(report=now, theme=themes[1]).update(assessment=3)
    builders.set_status(now, ReportStatus.SUBMITTED)
    html = page(client, reviewer)
    text = " ".join(html.split())
    assert "Jämfört med länets godkända rapport 2000" in text
    assert "↑ starkare" in text and "↓ svagare" in text
    removed = re.findall(r"<del>(.*?)</del>", html)
    assert any("Svagt" in r for r in removed) and any("året" in r for r in removed)
