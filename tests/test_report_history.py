"""A report's history, per persona and state: what the county wrote while the report was a
draft or returned is the county's own; the ministry reads the history from each submission on.

Through the admin's history pages (the list with its differences, and a single version), for
the report and its observations.
"""

import pytest
from django.urls import reverse

from followup.models import CountyReport, Observation, Theme
from followup.services.reports import (
    county_report_approve,
    county_report_return,
    county_report_submit,
)
from tests import builders
from tests.test_admin_pages import admin_url

pytestmark = pytest.mark.django_db

DRAFT_WORDS = ("Utkastets sammanfattning", "Utkastets text", "Mellanutkast", "Halvfärdig rad")
SUBMITTED_WORDS = ("Första inskickade", "Andra inskickade", "Inskickad text ett", "Text två")


@pytest.fixture
def cycle(coordinator_04, reviewer):
    """Draft → submitted → returned (and written on) → submitted again → approved."""
    report = builders.county_report(
        round_obj=builders.follow_up_round(), summary="Utkastets sammanfattning"
    )
    themes = list(Theme.objects.order_by("sort_order"))
    first = builders.observation(report=report, theme=themes[0], text="Utkastets text")
    for theme in themes[1:]:
        builders.observation(report=report, theme=theme)

    def edit(summary, text):
        report.refresh_from_db()
        report.summary = summary
        report.save()
        first.refresh_from_db()
        first.text = text
        first.save()

    edit("Utkastets sammanfattning", "Halvfärdig rad")
    edit("Första inskickade", "Inskickad text ett")
    county_report_submit(report=report, user=coordinator_04)
    county_report_return(report=report, user=reviewer, comment="Komplettera")
    edit("Mellanutkast", "Halvfärdig rad")
    edit("Andra inskickade", "Text två")
    report.refresh_from_db()
    county_report_submit(report=report, user=coordinator_04)
    report.refresh_from_db()
    county_report_approve(report=report, user=reviewer)
    return report, first


def history_pages(client, obj):
    """The history list and every version page this client may open, as text."""
    model = type(obj)
    opts = model._meta
    listing = client.get(admin_url(model, "history", obj.pk))
    pages = [listing]
    for version in obj.history.all():
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_simple_history",
            args=[obj.pk, version.history_id],
        )
        pages.append(client.get(url))
    return listing, pages


def shown_text(pages) -> str:
    return " ".join(p.content.decode() for p in pages if p.status_code == 200)


@pytest.mark.parametrize("model", [CountyReport, Observation])
def test_reviewer_reads_only_what_was_submitted(client, cycle, reviewer, model):
    report, observation = cycle
    obj = report if model is CountyReport else observation
    client.force_login(reviewer)
    listing, pages = history_pages(client, obj)
    assert listing.status_code == 200
    text = shown_text(pages)
    for words in DRAFT_WORDS:
        assert words not in text, f"the reviewer sees {words!r} in {model.__name__}'s history"
    expected = SUBMITTED_WORDS[:2] if model is CountyReport else SUBMITTED_WORDS[2:]
    for words in expected:
        assert words in text
    # Draft versions answer like versions that do not exist.
    hidden = [p for p in pages[1:] if p.status_code != 200]
    assert hidden and all(p.status_code == 404 for p in hidden)


@pytest.mark.parametrize("model", [CountyReport, Observation])
def test_the_county_and_administrators_read_every_version(
    client, cycle, coordinator_04, administrator, model
):
    report, observation = cycle
    obj = report if model is CountyReport else observation
    for user in (coordinator_04, administrator):
        client.force_login(user)
        _listing, pages = history_pages(client, obj)
        assert all(p.status_code == 200 for p in pages)
        text = shown_text(pages)
        assert "Mellanutkast" in text or "Halvfärdig rad" in text


@pytest.mark.parametrize("model", [CountyReport, Observation])
def test_another_county_reads_no_version(client, cycle, coordinator_05, model):
    report, observation = cycle
    obj = report if model is CountyReport else observation
    client.force_login(coordinator_05)
    listing, pages = history_pages(client, obj)
    assert listing.status_code == 404
    assert all(p.status_code == 404 for p in pages)


def test_the_reviewer_sees_what_changed_between_the_two_submissions(client, cycle, reviewer):
    """The history list shows the difference between the versions it lists: the first and
    the second submission, not the drafts between them."""
    _report, observation = cycle
    client.force_login(reviewer)
    listing = client.get(admin_url(Observation, "history", observation.pk))
    page = listing.content.decode()
    assert "Inskickad text ett" in page and "Text två" in page
    assert "Halvfärdig rad" not in page


def test_a_draft_has_no_history_for_the_reviewer(client, reviewer, coordinator_04):
    report = builders.county_report(round_obj=builders.follow_up_round(), summary="Hemligt")
    client.force_login(reviewer)
    listing, pages = history_pages(client, report)
    assert all(p.status_code == 404 for p in pages)
    assert "Hemligt" not in shown_text(pages)
