"""Attacks on the review dialogue that must keep failing: other counties' comment URLs, deleting
commented observations, the diff after several returns, hostile input on the new pages."""

import pytest
from django.urls import reverse

from core.refusals import WriteRefused
from followup.models import Observation, ReportStatus, ReviewComment, Theme
from followup.services import comments as service
from followup.services.reports import (
    county_report_approve,
    county_report_reopen,
    county_report_return,
    county_report_submit,
)
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db


def _report(status=ReportStatus.SUBMITTED, code="04", year=2001):
    return exports_builders.report(
        round_obj=builders.follow_up_round(year=year), county_code=code, status=status
    )


def test_access_on_comment_urls(
    client, coordinator_04, coordinator_05, coordinator_04_reviewer, reviewer
):
    report = _report()
    other = exports_builders.report(
        round_obj=report.round, county_code="05", status=ReportStatus.SUBMITTED
    )
    sent = service.comment_add(report=report, user=reviewer, text="skickad")
    foreign = service.comment_add(report=other, user=reviewer, text="annat län")
    county_report_return(report=report, user=reviewer, comment="x")
    county_report_return(report=other, user=reviewer, comment="x")
    report.refresh_from_db()
    # a pending one cannot exist on a returned report; make one on a fresh submitted report
    p_report = exports_builders.report(
        round_obj=builders.follow_up_round(year=2002),
        county_code="04",
        status=ReportStatus.SUBMITTED,
    )
    pending = service.comment_add(report=p_report, user=reviewer, text="VÄNTANDE")
    url = lambda y, c, pk: reverse("site:county_comment", args=[y, c, pk])  # noqa: E731
    client.force_login(coordinator_05)
    for y, c, pk in ((2001, "04", sent.pk), (2001, "04", 999999), (2002, "04", pending.pk)):
        assert client.post(url(y, c, pk), {"reply": "x"}).status_code == 404
        assert client.post(url(y, c, pk), {"action": "delete"}).status_code == 404
    assert (
        client.post(
            reverse("site:county_comment_add", args=[2001, "04"]), {"text": "x"}
        ).status_code
        == 404
    )
    client.force_login(coordinator_04)
    assert client.post(url(2002, "04", pending.pk), {"reply": "x"}).status_code == 404
    assert client.post(url(2002, "04", 999999), {"reply": "x"}).status_code == 404
    assert client.post(url(2001, "04", foreign.pk), {"reply": "x"}).status_code == 404
    assert client.post(url(2002, "04", pending.pk), {"action": "delete"}).status_code == 404
    html = client.get(reverse("site:county", args=[2002, "04"])).content.decode()
    assert "VÄNTANDE" not in html and "inte skickad" not in html
    client.post(url(2001, "04", sent.pk), {"action": "delete"})
    assert ReviewComment.objects.filter(pk=sent.pk).exists()
    client.force_login(reviewer)
    client.post(url(2001, "04", sent.pk), {"reply": "som länet", "handled": "1"})
    client.post(url(2001, "04", sent.pk), {"action": "delete"})
    sent.refresh_from_db()
    assert sent.reply == "" and not sent.handled
    client.force_login(coordinator_04_reviewer)
    client.post(url(2002, "04", pending.pk), {"reply": "svar", "handled": "1"})
    pending.refresh_from_db()
    assert pending.reply == "" and not pending.handled
    client.post(url(2001, "04", sent.pk), {"action": "delete"})
    assert ReviewComment.objects.filter(pk=sent.pk).exists()


def test_deleting_an_observation_with_comments(client, coordinator_04, reviewer, superuser):
    report = _report()
    obs = Observation.objects.filter(report=report).first()
    comment = service.comment_add(
        report=report, user=reviewer, text="Om obs", observation_id=obs.pk
    )
    with pytest.raises(WriteRefused):
        obs.delete()
    with pytest.raises(WriteRefused):
        Observation.objects.filter(pk=obs.pk).delete()
    client.force_login(superuser)
    r = client.post(reverse("admin:followup_observation_delete", args=[obs.pk]), {"post": "yes"})
    assert r.status_code in (200, 302)
    assert Observation.objects.filter(pk=obs.pk).exists()
    county_report_approve(report=report, user=reviewer)
    with pytest.raises(WriteRefused):
        Observation.objects.get(pk=obs.pk).delete()
    county_report_reopen(report=report, user=superuser, reason="fel")
    Observation.objects.get(pk=obs.pk).delete()
    comment.refresh_from_db()
    assert comment.observation_id is None and comment.theme_id == obs.theme_id
    for user in (coordinator_04, reviewer, superuser):
        client.force_login(user)
        assert client.get(reverse("site:county", args=[2001, "04"])).status_code == 200


def test_diff_escapes_and_follows_two_returns_and_a_reopen(
    client, coordinator_04, reviewer, superuser
):
    report = _report(status=ReportStatus.DRAFT)
    theme = Theme.objects.order_by("sort_order", "name").first()
    obs = Observation.objects.get(report=report, theme=theme)

    def edit(text):
        o = Observation.objects.get(pk=obs.pk)
        o.text = text
        o.save()

    def page():
        client.force_login(reviewer)
        return client.get(reverse("site:county", args=[2001, "04"])).content.decode()

    county_report_submit(report=report, user=coordinator_04)
    county_report_return(report=report, user=reviewer, comment="1")
    edit("alfa <script>alert(1)</script>")
    county_report_submit(report=report, user=coordinator_04)
    html = page()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    county_report_return(report=report, user=reviewer, comment="2")
    edit("alfa beta")
    county_report_submit(report=report, user=coordinator_04)
    html = page()
    assert "beta</ins>" in html and "alert" in html.split(f"iakttagelse-{obs.pk}")[1][:3000]
    county_report_approve(report=report, user=reviewer)
    county_report_reopen(report=report, user=superuser, reason="r")
    edit("alfa gamma")
    county_report_submit(report=report, user=coordinator_04)
    part = page().split(f"iakttagelse-{obs.pk}")[1][:3000]
    assert "gamma</ins>" in part and "beta</del>" in part and "alert" not in part


@pytest.mark.parametrize(
    "data",
    [
        {"step": "godkann", "status": "inskickad", "comment": "x" * 6000},
        {"step": "returnera", "status": "inskickad", "comment": "a", "complete_by": "2001-13-45"},
        {"step": "returnera", "status": "bogus", "comment": "a"},
        {"step": "bogus", "status": "inskickad"},
        {"step": "returnera", "status": "inskickad", "comment": "", "complete_by": "9999-12-31"},
        {"step": "returnera", "status": "inskickad", "comment": "a\x00b"},
        {},
    ],
)
def test_confirmation_step_hostile_input(client, reviewer, coordinator_04, data):
    _report()
    for user in (reviewer, coordinator_04):
        client.force_login(user)
        r = client.post(reverse("site:county_workflow", args=[2001, "04"]), data)
        assert r.status_code in (200, 302)


def test_profile_and_remind_hostile(client, coordinator_04, coordinator_05, reviewer):
    _report(status=ReportStatus.DRAFT)
    client.force_login(coordinator_04)
    assert client.post(reverse("site:profile"), {"email": "a\nb@x"}).status_code == 200
    assert client.post(reverse("site:profile"), {"email": "x" * 300 + "@a.se"}).status_code == 200
    assert client.post(reverse("site:county_remind", args=[2001, "04"])).status_code == 403
    assert client.post(reverse("site:county_remind", args=[2001, "05"])).status_code == 404
    assert client.post(reverse("site:county_remind", args=[2001, "99"])).status_code == 404
    client.force_login(reviewer)
    assert client.post(reverse("site:county_remind", args=[1999, "04"])).status_code == 404
    assert client.post(reverse("site:county_remind", args=[2001, "04"])).status_code == 302
    assert client.get(reverse("site:county_remind", args=[2001, "04"])).status_code == 405
