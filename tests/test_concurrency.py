"""Two reviewers acting on the same report at the same moment: exactly one wins.

Runs with two real database connections (two threads) and needs PostgreSQL's row locking;
CI runs the suite on PostgreSQL, where this test runs.
"""

import threading

import pytest
from django.db import connection, connections

from followup.models import CountyReport, ReportStatus, ReviewEvent, Theme
from followup.services.reports import (
    WorkflowError,
    county_report_approve,
    county_report_return,
    county_report_submit,
)
from tests import builders

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="two concurrent connections need PostgreSQL"
    ),
]


def test_concurrent_approve_and_return_exactly_one_wins(coordinator_04, reviewer):
    report = builders.county_report(round_obj=builders.follow_up_round())
    for theme in Theme.objects.all():
        builders.observation(report=report, theme=theme)
    county_report_submit(report=report, user=coordinator_04)

    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def act(name, service, **kwargs):
        try:
            copy = CountyReport.objects.get(pk=report.pk)  # each reviewer's own page
            barrier.wait(timeout=10)
            service(report=copy, user=reviewer, **kwargs)
            outcomes[name] = "won"
        except WorkflowError as error:
            outcomes[name] = error.message
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=("approve", county_report_approve)),
        threading.Thread(
            target=act, args=("return", county_report_return), kwargs={"comment": "Komplettera"}
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [name for name, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1, outcomes
    loser = "return" if winners == ["approve"] else "approve"
    assert "Någon annan hann ändra rapporten" in outcomes[loser]
    final = CountyReport.objects.get(pk=report.pk).status
    assert final == (ReportStatus.APPROVED if winners == ["approve"] else ReportStatus.RETURNED)
    assert ReviewEvent.objects.filter(report=report).count() == 2  # submit + the winner
