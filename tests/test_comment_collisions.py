"""A comment written while another reviewer takes the decision, with two real database
connections: the comment's rule holds the report's row (PostgreSQL; SQLite's write transaction
holds the database), so the decision waits for the comment and sends it — never a pending
comment left on an approved report, never sent and never deletable."""

import threading
import time

import pytest

from followup.models import ReportStatus, ReviewComment, ReviewEvent
from followup.models.comments import ReviewComment as Model
from followup.services import comments as service
from followup.services.reports import county_report_approve
from tests import builders, exports_builders
from tests.test_collisions import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_decision_taken_while_a_comment_is_written_sends_it(reviewer, monkeypatch):
    report = exports_builders.report(
        round_obj=builders.follow_up_round(year=2001), county_code="04",
        status=ReportStatus.SUBMITTED,
    )  # fmt: skip
    checked = threading.Event()
    check = Model.write_refusal

    def slow_check(self):
        reason = check(self)
        if self._state.adding:
            checked.set()
            time.sleep(1)  # the other reviewer approves now
        return reason

    monkeypatch.setattr(Model, "write_refusal", slow_check)

    def approve():
        checked.wait(timeout=20)
        return county_report_approve(report=report, user=reviewer)

    def comment():
        return service.comment_add(report=report, user=reviewer, text="I sista stund")

    outcomes = run_together(comment, approve)
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    (written,) = ReviewComment.objects.filter(report=report)
    approval = ReviewEvent.objects.get(report=report, action=ReviewEvent.Action.APPROVE)
    assert written.sent_with_id == approval.pk  # sent with the decision, not left behind
