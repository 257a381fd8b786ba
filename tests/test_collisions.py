"""Two people saving at the same moment, with two real database connections (two threads).

The loser gets the Swedish stale message or its save goes through after the winner's — never a
500, never a half-written record — on SQLite (one writer at a time: write transactions take
the lock when they begin, a second one waits) and on PostgreSQL (row locks; a deadlock between
two transactions is resolved by running the aborted one again).
"""

import contextlib
import threading
import time
from decimal import Decimal

import pytest
from django.db import OperationalError, connections, transaction
from django.db.models.signals import post_save
from django.test import Client

from agreements.models import FinancingLine, FinancingSource, Project
from agreements.models.totals import financing_totals_differences
from core.conflicts import NotSavedMiddleware, is_conflict, retry_on_conflict
from tests import builders
from tests.test_admin_pages import _management, _project_post, admin_url

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*actions, timeout=60):
    """Run each action in its own thread (its own connection); their results or exceptions."""
    outcomes: list = [None] * len(actions)
    start = threading.Barrier(len(actions))

    def run(index, action):
        try:
            start.wait(timeout=10)
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 - reported to the test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a save never finished"
    return outcomes


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def project(superuser):
    area = builders.priority_area(agreement_obj=builders.agreement())
    return builders.project(measure_obj=builders.measure(area=area), title="Ursprunglig titel")


def change_post(project, title):
    data = {
        "county": project.county_id,
        "reference_number": project.reference_number,
        "title": title,
        "status": project.status,
        "agreement": project.agreement_id,
        "measure": project.measure_id,
        "owner": project.owner_id,
        "start_date": project.start_date.isoformat(),
        "end_date": project.end_date.isoformat(),
        "description": "",
        "version": project.version,
        **_management("financing_lines", total=0),
    }
    return data


class HoldFirstSave:
    """Keep the first save's transaction open a moment, so the other one meets it there."""

    def __init__(self, model, seconds=0.6):
        self.model, self.seconds, self.held = model, seconds, threading.Event()

    def __enter__(self):
        post_save.connect(self.hold, sender=self.model, dispatch_uid="hold-first-save")
        return self

    def __exit__(self, *exc):
        post_save.disconnect(sender=self.model, dispatch_uid="hold-first-save")

    def hold(self, **kwargs):
        if not self.held.is_set():
            self.held.set()
            time.sleep(self.seconds)


def test_two_simultaneous_saves_of_one_record_one_wins_the_other_is_told(superuser, project):
    url = admin_url(Project, "change", project.pk)
    first, second = logged_in(superuser), logged_in(superuser)
    data_a, data_b = change_post(project, "Titel A"), change_post(project, "Titel B")

    with HoldFirstSave(Project):
        outcomes = run_together(
            lambda: first.post(url, data_a, follow=True),
            lambda: second.post(url, data_b, follow=True),
        )

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert all(o.status_code == 200 for o in outcomes)
    pages = [o.content.decode() for o in outcomes]
    stale = [p for p in pages if "Någon annan har ändrat" in p]
    assert len(stale) == 1, "exactly one of the two is told that someone else saved first"
    project.refresh_from_db()
    assert project.title in ("Titel A", "Titel B")
    assert project.version == 2  # one save, not two
    winner = "Titel A" if "Någon annan har ändrat" in pages[1] else "Titel B"
    assert project.title == winner


def test_two_projects_saved_at_once_with_lines_in_opposite_order_both_save(superuser):
    """Lines of two projects under the same measure, year and kind, entered in opposite order
    of source: on PostgreSQL the totals rows are locked in opposite order and the two
    transactions deadlock; the one the database aborts runs again. Both are saved, and the
    totals equal the sum of the lines."""
    area = builders.priority_area(agreement_obj=builders.agreement())
    measure = builders.measure(area=area)
    first_source, second_source = FinancingSource.objects.order_by("pk")[:2]
    data = []
    for reference, sources in (
        ("301-0001-01", (first_source, second_source)),
        ("301-0002-01", (second_source, first_source)),
    ):
        post = _project_post(measure, reference_number=reference)
        for i, source in enumerate(sources):
            post[f"financing_lines-{i}-source"] = source.pk
        data.append(post)
    meet = threading.Barrier(2)
    waited = threading.local()

    def after_first_line(**kwargs):
        # Each transaction writes its first line, then waits for the other to do the same.
        if not getattr(waited, "done", False):
            waited.done = True
            # SQLite: the other one waits for the database, not here (the barrier breaks).
            with contextlib.suppress(threading.BrokenBarrierError):
                meet.wait(timeout=3)

    clients = logged_in(superuser), logged_in(superuser)
    post_save.connect(after_first_line, sender=FinancingLine, dispatch_uid="meet")
    try:
        outcomes = run_together(
            lambda: clients[0].post(admin_url(Project, "add"), data[0]),
            lambda: clients[1].post(admin_url(Project, "add"), data[1]),
        )
    finally:
        post_save.disconnect(sender=FinancingLine, dispatch_uid="meet")

    assert [getattr(o, "status_code", o) for o in outcomes] == [302, 302]
    assert Project.objects.count() == 2
    assert FinancingLine.objects.count() == 4
    assert financing_totals_differences() == []


def test_a_conflict_that_never_resolves_is_a_busy_page_and_nothing_is_saved(
    superuser, project, monkeypatch
):
    """Whatever the retries cannot resolve answers 503 with a Swedish page, not a 500."""
    calls = []

    def always_aborted(*args, **kwargs):
        calls.append(1)
        raise OperationalError("database is locked")

    monkeypatch.setattr("django.contrib.admin.ModelAdmin.changeform_view", always_aborted)
    response = logged_in(superuser).post(
        admin_url(Project, "change", project.pk), change_post(project, "Ny titel")
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Ingenting av det du skickade har sparats" in response.content.decode()
    project.refresh_from_db()
    assert project.title == "Ursprunglig titel"


def test_only_a_transaction_the_database_aborted_is_run_again():
    class Aborted(Exception):
        sqlstate = "40P01"

    attempts = []

    @retry_on_conflict
    def deadlocks_twice():
        attempts.append(1)
        if len(attempts) < 3:
            raise OperationalError("deadlock detected") from Aborted()
        return "sparad"

    assert deadlocks_twice() == "sparad"
    assert len(attempts) == 3

    @retry_on_conflict
    def other_error():
        attempts.append(1)
        raise OperationalError("no such table")

    attempts.clear()
    with pytest.raises(OperationalError):
        other_error()
    assert len(attempts) == 1
    assert not is_conflict(OperationalError("no such table"))

    # Inside an outer transaction the part cannot be run again alone.
    attempts.clear()
    with pytest.raises(OperationalError), transaction.atomic():
        deadlocks_twice()
    assert len(attempts) == 1


def test_busy_middleware_leaves_other_errors_alone(rf):
    middleware = NotSavedMiddleware(lambda request: None)
    assert middleware.process_exception(rf.get("/"), ValueError("x")) is None
    assert middleware.process_exception(rf.get("/"), OperationalError("disk I/O error")) is None


def test_decimal_amounts_survive_a_retry(superuser):
    """A retried add writes each line once: the amounts are those of the form, not twice."""
    measure = builders.measure(area=builders.priority_area(agreement_obj=builders.agreement()))
    attempts = []

    def abort_first_attempt(sender, instance, created, **kwargs):
        if not attempts:
            attempts.append(1)

            class Aborted(Exception):
                sqlstate = "40P01"

            raise OperationalError("deadlock detected") from Aborted()

    post_save.connect(abort_first_attempt, sender=FinancingLine, dispatch_uid="abort-once")
    try:
        response = logged_in(superuser).post(admin_url(Project, "add"), _project_post(measure))
    finally:
        post_save.disconnect(sender=FinancingLine, dispatch_uid="abort-once")
    assert response.status_code == 302
    assert sorted(FinancingLine.objects.values_list("amount", flat=True)) == [
        Decimal("250000"),
        Decimal("1250000.50"),
    ]
    assert financing_totals_differences() == []


def test_a_refusal_no_page_caught_is_a_409_page_with_its_reason(client, reviewer, monkeypatch):
    """Wherever the data's rules refuse a write and the page did not catch it, the user reads
    why (in Swedish), not a server error."""
    from followup.models import ReportLockedError

    builders.follow_up_round(year=2001)

    def refused(**kwargs):
        raise ReportLockedError("Rapporten Södermanland 2001 är godkänd och därmed låst.")

    monkeypatch.setattr("followup.selectors.board.round_board", refused)
    client.force_login(reviewer)
    response = client.get("/omgang/2001/", HTTP_REFERER="http://testserver/omgang/2001/")
    assert response.status_code == 409
    page = response.content.decode()
    assert "Rapporten Södermanland 2001 är godkänd och därmed låst." in page
    assert "Ingenting av det du skickade har sparats." in page
    assert 'href="http://testserver/omgang/2001/"' in page


def _report_with_cited_project(coordinator_04):
    from followup.models import Theme

    report = builders.county_report(round_obj=builders.follow_up_round())
    for theme in Theme.objects.all():
        builders.observation(report=report, theme=theme, text="Före")
    measure = builders.measure(area=builders.priority_area(agreement_obj=builders.agreement()))
    project = builders.project(measure_obj=measure)
    report.observations.first().projects.add(project)
    return report, project


def _in_a_transaction_held_open(write, written: threading.Event, seconds=0.6):
    def run():
        with transaction.atomic():
            write()
            written.set()
            time.sleep(seconds)  # the other one tries meanwhile
        return "sparad"

    return run


def test_an_edit_under_way_when_the_report_is_submitted_is_in_what_was_submitted(coordinator_04):
    """The coordinator's colleague saves an observation while the coordinator submits: the
    submission waits for the save, so the version the ministry receives holds the edit."""
    from followup.models import CountyReport, Observation
    from followup.services.reports import county_report_submit

    report, _project = _report_with_cited_project(coordinator_04)
    observation = report.observations.order_by("pk").first()
    written = threading.Event()

    def edit():
        copy = Observation.objects.get(pk=observation.pk)
        copy.text = "Ändrad medan rapporten skickades in"
        copy.save()

    def submit():
        written.wait(timeout=10)
        county_report_submit(report=CountyReport.objects.get(pk=report.pk), user=coordinator_04)
        return "inskickad"

    outcomes = run_together(_in_a_transaction_held_open(edit, written), submit)
    assert outcomes == ["sparad", "inskickad"], outcomes
    submitted = observation.history.filter(report_status="inskickad").latest("history_date")
    assert submitted.text == Observation.objects.get(pk=observation.pk).text
    assert submitted.text == "Ändrad medan rapporten skickades in"


def test_a_cited_project_deleted_as_the_report_is_submitted_leaves_no_dangling_evidence(
    coordinator_04,
):
    from followup.models import CountyReport
    from followup.services.reports import county_report_submit

    report, project = _report_with_cited_project(coordinator_04)
    written = threading.Event()

    def submit():
        written.wait(timeout=10)
        county_report_submit(report=CountyReport.objects.get(pk=report.pk), user=coordinator_04)
        return "inskickad"

    outcomes = run_together(_in_a_transaction_held_open(project.delete, written), submit)
    assert outcomes == ["sparad", "inskickad"], outcomes
    report.refresh_from_db()
    cited = [item for items in report.frozen_evidence.values() for item in items]
    assert not Project.objects.filter(pk=project.pk).exists()
    assert all(pk != project.pk for _kind, pk, _name in cited)
