"""The report lock's own rules, each pinned down with the words the user reads.

tests/test_report_lock.py runs every write path against every state; here are the rules the
table does not spell out: what ``update()`` and the bulk writes refuse even on a report that may
be written (its status, round and county belong to the workflow), moving observations, evidence
links by id, and the exact message for each kind of evidence and each state.
"""

import pytest
from django.db import transaction

from agreements.models import Cluster, Partnership, Project
from core.raw_load import raw_load
from followup.models import (
    CountyReport,
    FollowUpRound,
    Observation,
    ReportLockedError,
    ReportStatus,
    RoundStatus,
    Theme,
)
from followup.models.locking import (
    EvidenceLockedError,
    evidence_deletion_refusal,
    refuse_evidence_deletion,
    writable_q,
)
from tests import builders

pytestmark = pytest.mark.django_db
S = ReportStatus

STATUS_MESSAGE = "Rapportens status ändras bara genom granskningsstegen."
MOVE_MESSAGE = "En rapport byter inte omgång eller län."
TAIL = "Det kan inte tas bort förrän rapporten har returnerats eller öppnats igen."


@pytest.fixture
def draft():
    """A writable report whose id differs from its observations' (so a mix-up shows)."""
    round_obj = builders.follow_up_round()
    for code in ("01", "03", "06"):  # reports (and ids) before it
        builders.county_report(round_obj=round_obj, county_code=code)
    report = builders.county_report(round_obj=round_obj, county_code="04")
    for theme in Theme.objects.order_by("sort_order")[:2]:
        builders.observation(report=report, theme=theme)
    return report


def locked_report(status=S.APPROVED, county_code="05", year=2001):
    round_obj = FollowUpRound.objects.filter(year=year).first() or builders.follow_up_round(
        year=year
    )
    report = builders.county_report(round_obj=round_obj, county_code=county_code)
    builders.observation(report=report)
    return builders.set_status(report, status)


def refused(message, action):
    with pytest.raises(ReportLockedError) as error, transaction.atomic():
        action()
    assert error.value.message == message


# --- status, round and county belong to the workflow ------------------------------------------


def test_update_never_changes_a_status_round_or_county(draft):
    reports = CountyReport.objects.filter(pk=draft.pk)
    refused(STATUS_MESSAGE, lambda: reports.update(status=S.APPROVED))
    other_round = builders.follow_up_round(year=2002)
    for change in (
        {"round": other_round},
        {"round_id": other_round.pk},
        {"county": builders.county("06")},
        {"county_id": builders.county("06").pk},
    ):
        refused(MOVE_MESSAGE, lambda change=change: reports.update(**change))
    draft.refresh_from_db()
    assert (draft.status, draft.round.year, draft.county.code) == (S.DRAFT, 2001, "04")
    assert reports.update(summary="Skriven") == 1  # the content may be written


def test_bulk_update_never_changes_a_status(draft):
    draft.status = S.APPROVED
    refused(STATUS_MESSAGE, lambda: CountyReport.objects.bulk_update([draft], ["status"]))
    draft.summary = "Skriven"
    CountyReport.objects.bulk_update([draft], ["summary"])
    assert CountyReport.objects.get(pk=draft.pk).summary == "Skriven"


def test_a_raw_load_puts_back_what_its_file_holds(draft):
    with raw_load():
        CountyReport.objects.filter(pk=draft.pk).update(status=S.APPROVED)
        draft.status = S.SUBMITTED
        CountyReport.objects.bulk_update([draft], ["status"])
    assert CountyReport.objects.get(pk=draft.pk).status == S.SUBMITTED


def test_a_new_report_is_a_draft_in_an_open_round(draft):
    county = builders.county("07")
    refused(
        "En ny rapport är ett utkast. Den skickas in genom granskningsstegen.",
        lambda: CountyReport.objects.create(round=draft.round, county=county, status=S.SUBMITTED),
    )
    planned = FollowUpRound.objects.create(
        year=2009, title="Uppföljning 2009", deadline="2009-09-15", status=RoundStatus.PLANNED
    )
    refused(
        "Omgången Uppföljning 2009 är inte öppen ännu. Rapporterna kan skrivas när den har "
        "öppnats.",
        lambda: CountyReport.objects.bulk_create([CountyReport(round=planned, county=county)]),
    )


# --- observations move only between writable reports ------------------------------------------


def test_observations_are_not_moved_into_a_locked_report(draft):
    locked = locked_report()
    message = (
        f"Rapporten {locked} är godkänd och därmed låst. En administratör kan öppna den igen om "
        "något måste ändras."
    )
    observations = Observation.objects.filter(report=draft)
    refused(message, lambda: observations.update(report=locked))
    refused(message, lambda: observations.update(report_id=locked.pk))
    moved = observations.first()
    moved.report = locked
    refused(message, lambda: Observation.objects.bulk_update([moved], ["report"]))
    refused(
        message,
        lambda: Observation.objects.bulk_create(
            [Observation(report=locked, theme=Theme.objects.first(), text="Ny")]
        ),
    )
    assert set(Observation.objects.filter(report=locked).values_list("text", flat=True)) == {
        "Länet arbetar aktivt med temat."
    }
    other = builders.county_report(round_obj=draft.round, county_code="12")
    assert observations.update(report=other) == 2  # between writable reports: allowed


def test_a_locked_reports_observations_are_found_by_their_report(draft):
    locked = locked_report(status=S.SUBMITTED)
    observation = locked.observations.get()
    assert observation.pk != locked.pk
    refused(
        f"Rapporten {locked} är inskickad och ligger hos departementet för granskning. Den kan "
        "ändras igen först när en handläggare har returnerat den.",
        lambda: Observation.objects.filter(pk=observation.pk).update(text="Ändrad"),
    )
    observation.text = "Ändrad"
    with pytest.raises(ReportLockedError), transaction.atomic():
        Observation.objects.bulk_update([observation], ["text"])


# --- evidence links, from either side, by the observation's report ---------------------------


def test_links_are_refused_by_the_observations_report_not_its_id(draft):
    locked = locked_report()
    observation = locked.observations.get()
    project = builders.project(
        measure_obj=builders.measure(
            area=builders.priority_area(agreement_obj=builders.agreement())
        )
    )
    partnership, cluster = builders.partnership(), builders.cluster()
    with raw_load():
        observation.projects.add(project)
        observation.clusters.add(cluster)
    for action in (
        lambda: observation.partnerships.add(partnership),
        lambda: partnership.observations.add(observation),
        lambda: project.observations.clear(),
        lambda: cluster.observations.remove(observation),
    ):
        with pytest.raises(ReportLockedError), transaction.atomic():
            action()
    # The draft's observation takes the same links freely.
    free = draft.observations.first()
    free.partnerships.add(partnership)
    partnership.observations.remove(free)
    project.observations.add(free)
    assert set(project.observations.all()) == {free, observation}


# --- the refusal names the kind of evidence and the report's state ----------------------------


def _cited_by(report, obj):
    field = {Project: "projects", Partnership: "partnerships", Cluster: "clusters"}[type(obj)]
    with raw_load():
        getattr(report.observations.first(), field).add(obj)


@pytest.mark.parametrize(
    ("state", "phrase"),
    [
        ((S.APPROVED, RoundStatus.OPEN), "som är godkänd"),
        ((S.SUBMITTED, RoundStatus.OPEN), "som är inskickad"),
        ((S.RETURNED, RoundStatus.CLOSED), "vars omgång är avslutad"),
        ((S.DRAFT, RoundStatus.PLANNED), "vars omgång inte har öppnats"),
    ],
)
def test_each_kind_of_evidence_is_named_with_the_reports_state(state, phrase):
    status, round_status = state
    report = locked_report(status=status)
    FollowUpRound.objects.filter(pk=report.round_id).update(status=round_status)
    measure = builders.measure(area=builders.priority_area(agreement_obj=builders.agreement()))
    project = builders.project(measure_obj=measure, reference_number="301-0042-01", title="Fordon")
    partnership = builders.partnership(name="Partnerskap Öst")
    cluster = builders.cluster(county_code="05", name="Tunga fordon")
    for obj in (project, partnership, cluster):
        _cited_by(report, obj)
    expected = {
        project: f"Projektet 301-0042-01 Fordon är underlag i rapporten från Östergötlands län "
        f"2001, {phrase}. {TAIL}",
        partnership: f"Partnerskapet Partnerskap Öst är underlag i rapporten från Östergötlands "
        f"län 2001, {phrase}. {TAIL}",
        cluster: f"Klustret Tunga fordon är underlag i rapporten från Östergötlands län 2001, "
        f"{phrase}. {TAIL}",
    }
    for obj, message in expected.items():
        assert evidence_deletion_refusal(type(obj).objects.filter(pk=obj.pk)) == message
        with pytest.raises(EvidenceLockedError) as error, transaction.atomic():
            refuse_evidence_deletion(obj)
        assert error.value.message == message


def test_the_earliest_locked_report_citing_it_is_named():
    measure = builders.measure(area=builders.priority_area(agreement_obj=builders.agreement()))
    project = builders.project(measure_obj=measure, reference_number="301-0007-01", title="X")
    for county_code, year in (("12", 2002), ("05", 2001), ("04", 2002)):
        _cited_by(locked_report(county_code=county_code, year=year), project)
    refusal = evidence_deletion_refusal(Project.objects.filter(pk=project.pk))
    assert "rapporten från Östergötlands län 2001" in refusal
    _cited_by(locked_report(county_code="01", year=2001), project)
    refusal = evidence_deletion_refusal(Project.objects.filter(pk=project.pk))
    assert "rapporten från Stockholms län 2001" in refusal  # same year: by county code


def test_nothing_unsaved_or_uncited_is_refused(draft):
    measure = builders.measure(area=builders.priority_area(agreement_obj=builders.agreement()))
    refuse_evidence_deletion(Project(title="Ej sparat"))
    uncited = builders.project(measure_obj=measure)
    refuse_evidence_deletion(uncited)
    assert evidence_deletion_refusal(Theme.objects.all()) is None
    with raw_load():
        refuse_evidence_deletion(uncited)


def test_writable_reports_are_drafts_and_returned_ones_in_an_open_round(draft):
    locked_report(status=S.RETURNED, county_code="12")
    locked_report(status=S.SUBMITTED, county_code="13")
    writable = CountyReport.objects.filter(writable_q(""))
    assert set(writable.values_list("status", flat=True)) == {S.DRAFT, S.RETURNED}
    via_observations = Observation.objects.filter(writable_q("report__"))
    assert S.SUBMITTED not in set(via_observations.values_list("report__status", flat=True))


# --- the bulk writes pass Django's own options on -------------------------------------------


def _updates(action) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        action()
    return sum(query["sql"].lstrip().upper().startswith("UPDATE") for query in queries)


def test_bulk_update_writes_in_the_batches_asked_for(draft):
    other = builders.county_report(round_obj=draft.round, county_code="12")
    reports = [draft, other]
    for report in reports:
        report.summary = f"Skriven {report.county}"
    assert _updates(lambda: CountyReport.objects.bulk_update(reports, ["summary"])) == 1
    assert (
        _updates(lambda: CountyReport.objects.bulk_update(reports, ["summary"], batch_size=1)) == 2
    )
    observations = list(draft.observations.all())
    for observation in observations:
        observation.text = "Omskriven"
    assert (
        _updates(lambda: Observation.objects.bulk_update(observations, ["text"], batch_size=1)) == 2
    )
    assert set(draft.observations.values_list("text", flat=True)) == {"Omskriven"}


def test_bulk_create_passes_its_options_on(draft):
    """Django's options reach the database: ``batch_size`` writes in the batches asked for;
    with ``ignore_conflicts`` a report that is already there is skipped, not an error that
    undoes the others."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    theme = Theme.objects.first()
    with CaptureQueriesContext(connection) as queries:
        Observation.objects.bulk_create(
            [Observation(report=draft, theme=theme, text=text) for text in ("En", "Två")],
            batch_size=1,
        )
    inserts = [q for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 2
    assert set(
        draft.observations.filter(text__in=["En", "Två"]).values_list("text", flat=True)
    ) == {
        "En",
        "Två",
    }
    county = builders.county("12")
    CountyReport.objects.bulk_create(
        [
            CountyReport(round=draft.round, county=draft.county),  # already there
            CountyReport(round=draft.round, county=county),
        ],
        ignore_conflicts=True,
    )
    assert CountyReport.objects.filter(round=draft.round, county=draft.county).count() == 1
    assert CountyReport.objects.filter(round=draft.round, county=county).exists()


def test_an_observation_is_judged_by_its_report_not_by_an_id_it_shares(draft):
    """An observation whose id happens to be a locked report's id is still its own writable
    report's: a bulk update of it is not refused."""
    locked = locked_report()
    assert not Observation.objects.filter(pk=locked.pk).exists()
    shared = Observation.objects.create(
        pk=locked.pk, report=draft, theme=Theme.objects.first(), text="Före"
    )
    shared.text = "Efter"
    Observation.objects.bulk_update([shared], ["text"])
    assert Observation.objects.get(pk=locked.pk).text == "Efter"


def test_a_raw_load_deletes_what_a_locked_report_cites():
    """A restore puts back what its file holds: deleting evidence is not refused during it."""
    measure = builders.measure(area=builders.priority_area(agreement_obj=builders.agreement()))
    project = builders.project(measure_obj=measure)
    _cited_by(locked_report(), project)
    with pytest.raises(EvidenceLockedError), transaction.atomic():
        refuse_evidence_deletion(project)
    with raw_load():
        refuse_evidence_deletion(project)


def test_of_several_cited_by_the_same_report_the_first_by_id_is_named():
    """Deleting several projects the same locked report cites names one of them, the same one
    every time: the first by id, whatever order the report cited them in."""
    measure = builders.measure(area=builders.priority_area(agreement_obj=builders.agreement()))
    first = builders.project(measure_obj=measure, reference_number="301-0001-01", title="Först")
    second = builders.project(measure_obj=measure, reference_number="301-0002-01", title="Sedan")
    report = locked_report()
    for project in (second, first):  # cited in the other order
        _cited_by(report, project)
    refusal = evidence_deletion_refusal(Project.objects.filter(pk__in=[first.pk, second.pk]))
    assert refusal.startswith("Projektet 301-0001-01 Först är underlag")


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (
            (S.RETURNED, RoundStatus.CLOSED),
            "Omgången 2001 är avslutad, och alla dess rapporter är låsta.",
        ),
        (
            (S.DRAFT, RoundStatus.PLANNED),
            "Omgången 2001 är inte öppen ännu. Rapporterna kan skrivas när den har öppnats.",
        ),
        (
            (S.SUBMITTED, RoundStatus.OPEN),
            "Rapporten Östergötland 2001 är inskickad och ligger hos departementet för "
            "granskning. Den kan ändras igen först när en handläggare har returnerat den.",
        ),
        (
            (S.APPROVED, RoundStatus.OPEN),
            "Rapporten Östergötland 2001 är godkänd och därmed låst. En administratör kan öppna "
            "den igen om något måste ändras.",
        ),
    ],
)
def test_each_lock_is_told_in_its_own_words(state, message):
    status, round_status = state
    report = locked_report(status=status)
    FollowUpRound.objects.filter(pk=report.round_id).update(status=round_status, title="")
    refused(message, lambda: Observation.objects.filter(report=report).update(text="Ändrad"))


def test_evidence_is_linked_by_the_observations_report_not_an_id_it_shares(draft):
    """Citing a project from an observation whose id happens to be a locked report's id is
    judged by the observation's own, writable report."""
    locked = locked_report()
    assert not Observation.objects.filter(pk=locked.pk).exists()
    shared = Observation.objects.create(
        pk=locked.pk, report=draft, theme=Theme.objects.first(), text="Delar id"
    )
    measure = builders.measure(area=builders.priority_area(agreement_obj=builders.agreement()))
    project = builders.project(measure_obj=measure)
    shared.projects.add(project)
    assert list(shared.projects.all()) == [project]


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_is_checked_without_holding_rows():
    """A script or shell saves outside any transaction (autocommit): the lock is still checked,
    and no row lock is asked for — PostgreSQL refuses SELECT … FOR UPDATE outside a
    transaction, so holding there would break every such write."""
    report = builders.county_report(round_obj=builders.follow_up_round(), county_code="04")
    observation = builders.observation(report=report)
    assert not transaction.get_connection().in_atomic_block
    observation.text = "Skrivet utanför en transaktion"
    observation.save()
    Observation.objects.filter(pk=observation.pk).update(kind=observation.kind)
    assert Observation.objects.get(pk=observation.pk).text == "Skrivet utanför en transaktion"
    locked = locked_report()
    with pytest.raises(ReportLockedError):
        Observation.objects.filter(report=locked).update(text="Ändrad")
