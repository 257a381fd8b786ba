"""The report lock, as a table: every path that writes a report, its observations, their
evidence links or the evidence itself × every state a report can be in.

A report may be written only while it is a draft or returned in an open round. Submitted and
approved reports, and every report of a closed or planned round, are locked: each path below
must refuse (a WriteRefused with its Swedish reason, or an admin page that says so — never a
500) and leave everything as it was. In a writable state each path must do its write.

The table fails when a report model, an admin of one, an inline, an evidence link or a kind of
evidence is added without a row here (``test_every_write_path_has_a_row``).
"""

from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client

from agreements.models import Cluster, Partnership, Project
from core import access
from core.refusals import WriteRefused
from followup.models import (
    CountyReport,
    FollowUpRound,
    Observation,
    ReportLockedError,
    ReportStatus,
    RoundStatus,
    Theme,
)
from followup.models.locking import EVIDENCE_FIELDS
from followup.services.reports import county_report_approve, county_report_reopen
from tests import builders
from tests.admin_forms import page_form_data
from tests.test_admin_pages import admin_url

pytestmark = pytest.mark.django_db

S = ReportStatus
# state → (the report's status, the round's status), and whether the report may be written
STATES = {
    "utkast": (S.DRAFT, RoundStatus.OPEN, True),
    "returnerad": (S.RETURNED, RoundStatus.OPEN, True),
    "inskickad": (S.SUBMITTED, RoundStatus.OPEN, False),
    "godkand": (S.APPROVED, RoundStatus.OPEN, False),
    "omgang-avslutad": (S.RETURNED, RoundStatus.CLOSED, False),
    "omgang-planerad": (S.DRAFT, RoundStatus.PLANNED, False),
}


@dataclass
class World:
    """Södermanland's report R (two observations, O citing project P, partnership T and
    cluster C), Östergötland's report R2 without observations, both in the state under test;
    a project P2 nobody cites; the admin forms of R and O as they were while R was a draft."""

    report: CountyReport
    observation: Observation
    second: Observation
    other_report: CountyReport
    project: Project
    free_project: Project
    partnership: Partnership
    cluster: Cluster
    coordinator: object
    superuser: object
    report_form: dict = field(default_factory=dict)
    observation_form: dict = field(default_factory=dict)

    def client(self, user=None) -> Client:
        client = Client()
        client.force_login(user or self.coordinator)
        return client


def build_world(state, coordinator_04, superuser) -> World:
    report_status, round_status, _writable = STATES[state]
    round_obj = builders.follow_up_round()
    themes = list(Theme.objects.order_by("sort_order")[:3])
    report = builders.county_report(round_obj=round_obj, summary="Ursprunglig sammanfattning")
    other = builders.county_report(round_obj=round_obj, county_code="05")
    measure = builders.measure(area=builders.priority_area(agreement_obj=builders.agreement()))
    project = builders.project(measure_obj=measure, title="Citerat projekt")
    free_project = builders.project(measure_obj=measure, title="Fritt projekt")
    partnership, cluster = builders.partnership(), builders.cluster()
    observation = builders.observation(report=report, theme=themes[0], text="Ursprunglig text")
    observation.projects.add(project)
    observation.partnerships.add(partnership)
    observation.clusters.add(cluster)
    second = builders.observation(report=report, theme=themes[1], text="Andra iakttagelsen")
    world = World(
        report=report,
        observation=observation,
        second=second,
        other_report=other,
        project=project,
        free_project=free_project,
        partnership=partnership,
        cluster=cluster,
        coordinator=coordinator_04,
        superuser=superuser,
    )
    # What an attacker replays: the forms as they were while the report could be written.
    admin_client = world.client(superuser)
    world.report_form = page_form_data(
        admin_client.get(admin_url(CountyReport, "change", report.pk))
    )
    world.observation_form = page_form_data(
        admin_client.get(admin_url(Observation, "change", observation.pk))
    )
    for obj in (report, other):
        builders.set_status(obj, report_status)
    FollowUpRound.objects.filter(pk=round_obj.pk).update(status=round_status)
    for obj in (report, other, observation, second):
        obj.refresh_from_db()
    for form in (world.report_form, world.observation_form):
        form["version"] = str(form.get("version"))
    world.report_form["version"] = str(report.version)  # current: only the lock may refuse
    return world


def snapshot(world: World):
    """Everything a locked report holds or cites, as it stands in the database."""
    reports = list(CountyReport.objects.filter(round=world.report.round).order_by("pk").values())
    observations = list(Observation.objects.filter(report__round=world.report.round).values())
    links = [
        sorted(
            getattr(Observation, name).through.objects.values_list("observation_id", f"{key}_id")
        )
        for name, key in EVIDENCE_FIELDS.values()
    ]
    cited = [
        Project.objects.filter(pk=world.project.pk).exists(),
        Partnership.objects.filter(pk=world.partnership.pk).exists(),
        Cluster.objects.filter(pk=world.cluster.pk).exists(),
    ]
    return reports, observations, links, cited


# --- the paths ------------------------------------------------------------------------------
# Each path does its write and answers whether it took effect (asked only when it may).


def _db(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


def report_save(w):
    w.report.summary = "Ändrad"
    w.report.save()
    return _db(w.report).summary == "Ändrad"


def report_delete(w):
    w.other_report.delete()
    return not CountyReport.objects.filter(pk=w.other_report.pk).exists()


def report_queryset_update(w):
    CountyReport.objects.filter(pk=w.report.pk).update(summary="Ändrad")
    return _db(w.report).summary == "Ändrad"


def report_queryset_delete(w):
    CountyReport.objects.filter(pk=w.other_report.pk).delete()
    return not CountyReport.objects.filter(pk=w.other_report.pk).exists()


def report_bulk_update(w):
    w.report.summary = "Ändrad"
    CountyReport.objects.bulk_update([w.report], ["summary"])
    return _db(w.report).summary == "Ändrad"


def report_create_in_round(w):
    CountyReport.objects.create(round=w.report.round, county=builders.county("06"))
    return CountyReport.objects.filter(round=w.report.round, county__code="06").exists()


def report_bulk_create_in_round(w):
    CountyReport.objects.bulk_create(
        [CountyReport(round=w.report.round, county=builders.county("06"))]
    )
    return CountyReport.objects.filter(round=w.report.round, county__code="06").exists()


def observation_save_text(w):
    w.observation.text = "Ändrad"
    w.observation.save()
    return _db(w.observation).text == "Ändrad"


def observation_save_assessment(w):
    w.observation.assessment = 4
    w.observation.save()
    return _db(w.observation).assessment == 4


def observation_delete(w):
    w.second.delete()
    return not Observation.objects.filter(pk=w.second.pk).exists()


def observation_create(w):
    Observation.objects.create(
        report=w.report, theme=Theme.objects.order_by("sort_order")[2], text="Ny", assessment=2
    )
    return Observation.objects.filter(report=w.report, text="Ny").exists()


def observation_queryset_update(w):
    Observation.objects.filter(report=w.report).update(text="Ändrad")
    return _db(w.observation).text == "Ändrad"


def observation_queryset_delete(w):
    Observation.objects.filter(pk=w.second.pk).delete()
    return not Observation.objects.filter(pk=w.second.pk).exists()


def observation_bulk_create(w):
    theme = Theme.objects.order_by("sort_order")[2]
    Observation.objects.bulk_create([Observation(report=w.report, theme=theme, text="Ny")])
    return Observation.objects.filter(report=w.report, text="Ny").exists()


def observation_bulk_update(w):
    w.observation.text = "Ändrad"
    Observation.objects.bulk_update([w.observation], ["text"])
    return _db(w.observation).text == "Ändrad"


def observation_moved_into_report(w):
    """An observation of another, writable report moved into this one."""
    elsewhere = builders.follow_up_round(year=2002)
    draft = builders.county_report(round_obj=elsewhere, county_code="04")
    moving = builders.observation(report=draft, theme=Theme.objects.first(), text="Flyttad")
    moving.report = w.report
    moving.save()
    return _db(moving).report_id == w.report.pk


def projects_add(w):
    w.observation.projects.add(w.free_project)
    return w.observation.projects.filter(pk=w.free_project.pk).exists()


def projects_remove(w):
    w.observation.projects.remove(w.project)
    return not w.observation.projects.filter(pk=w.project.pk).exists()


def partnerships_clear(w):
    w.observation.partnerships.clear()
    return not w.observation.partnerships.exists()


def clusters_set(w):
    w.observation.clusters.set([])
    return not w.observation.clusters.exists()


def project_observations_add(w):
    w.free_project.observations.add(w.observation)
    return w.observation.projects.filter(pk=w.free_project.pk).exists()


def project_observations_remove(w):
    w.project.observations.remove(w.observation)
    return not w.observation.projects.filter(pk=w.project.pk).exists()


def partnership_observations_clear(w):
    w.partnership.observations.clear()
    return not w.observation.partnerships.exists()


def cluster_observations_set(w):
    w.cluster.observations.set([])
    return not w.observation.clusters.exists()


def project_delete(w):
    w.project.delete()
    return not Project.objects.filter(pk=w.project.pk).exists()


def project_queryset_delete(w):
    Project.objects.filter(pk=w.project.pk).delete()
    return not Project.objects.filter(pk=w.project.pk).exists()


def partnership_delete(w):
    w.partnership.delete()
    return not Partnership.objects.filter(pk=w.partnership.pk).exists()


def cluster_queryset_delete(w):
    Cluster.objects.filter(pk=w.cluster.pk).delete()
    return not Cluster.objects.filter(pk=w.cluster.pk).exists()


# Admin paths: HTTP as the county's coordinator (and as a superuser where said). A refusal is
# any answer but a 500 that leaves the data as it was; ``took`` is checked in writable states.


def _post(w, url, data, user=None):
    response = w.client(user).post(url, data)
    assert response.status_code != 500
    return response


def admin_report_change(w, user=None):
    _post(w, admin_url(CountyReport, "change", w.report.pk), w.report_form | {"summary": "Ändrad"})
    return _db(w.report).summary == "Ändrad"


def admin_report_change_as_superuser(w):
    return admin_report_change(w, user=w.superuser)


def admin_report_inline_observation(w):
    data = w.report_form | {"observations-0-text": "Ändrad i raden"}
    data["observations-0-version"] = str(_db(w.observation).version)
    data["observations-1-version"] = str(_db(w.second).version)
    _post(w, admin_url(CountyReport, "change", w.report.pk), data)
    return _db(w.observation).text == "Ändrad i raden"


def admin_report_submit_button(w):
    """The submit step inside the report's form saves what was typed first."""
    data = w.report_form | {"summary": "Ändrad", "_step": "skicka-in"}
    _post(w, admin_url(CountyReport, "change", w.report.pk), data)
    return _db(w.report).summary == "Ändrad"


def admin_observation_change(w):
    data = w.observation_form | {"text": "Ändrad", "version": str(_db(w.observation).version)}
    _post(w, admin_url(Observation, "change", w.observation.pk), data)
    return _db(w.observation).text == "Ändrad"


def admin_observation_add(w):
    data = w.observation_form | {
        "theme": str(Theme.objects.order_by("sort_order")[2].pk),
        "text": "Tillagd",
    }
    _post(w, admin_url(Observation, "add"), data)
    return Observation.objects.filter(text="Tillagd").exists()


def admin_observation_delete(w):
    _post(w, admin_url(Observation, "delete", w.second.pk), {"post": "yes"})
    return not Observation.objects.filter(pk=w.second.pk).exists()


def admin_observation_bulk_delete(w):
    data = {"action": "delete_selected", "_selected_action": [w.second.pk], "post": "yes"}
    _post(w, admin_url(Observation, "changelist"), data)
    return not Observation.objects.filter(pk=w.second.pk).exists()


def admin_report_delete(w):
    _post(w, admin_url(CountyReport, "delete", w.other_report.pk), {"post": "yes"}, w.superuser)
    return not CountyReport.objects.filter(pk=w.other_report.pk).exists()


def admin_project_delete(w):
    _post(w, admin_url(Project, "delete", w.project.pk), {"post": "yes"})
    return not Project.objects.filter(pk=w.project.pk).exists()


def admin_project_bulk_delete(w):
    data = {"action": "delete_selected", "_selected_action": [w.project.pk], "post": "yes"}
    _post(w, admin_url(Project, "changelist"), data)
    return not Project.objects.filter(pk=w.project.pk).exists()


def admin_partnership_delete(w):
    _post(w, admin_url(Partnership, "delete", w.partnership.pk), {"post": "yes"})
    return not Partnership.objects.filter(pk=w.partnership.pk).exists()


def admin_cluster_bulk_delete(w):
    data = {"action": "delete_selected", "_selected_action": [w.cluster.pk], "post": "yes"}
    _post(w, admin_url(Cluster, "changelist"), data)
    return not Cluster.objects.filter(pk=w.cluster.pk).exists()


# path name → the function; the prefix says what kind of path it is (for the coverage check).
PATHS = {
    "orm:countyreport:save": report_save,
    "orm:countyreport:delete": report_delete,
    "orm:countyreport:queryset-update": report_queryset_update,
    "orm:countyreport:queryset-delete": report_queryset_delete,
    "orm:countyreport:bulk-update": report_bulk_update,
    "orm:countyreport:create": report_create_in_round,
    "orm:countyreport:bulk-create": report_bulk_create_in_round,
    "orm:observation:save": observation_save_text,
    "orm:observation:save-assessment": observation_save_assessment,
    "orm:observation:delete": observation_delete,
    "orm:observation:create": observation_create,
    "orm:observation:queryset-update": observation_queryset_update,
    "orm:observation:queryset-delete": observation_queryset_delete,
    "orm:observation:bulk-create": observation_bulk_create,
    "orm:observation:bulk-update": observation_bulk_update,
    "orm:observation:move-into": observation_moved_into_report,
    "m2m:projects:add": projects_add,
    "m2m:projects:remove": projects_remove,
    "m2m:partnerships:clear": partnerships_clear,
    "m2m:clusters:set": clusters_set,
    "m2m-reverse:projects:add": project_observations_add,
    "m2m-reverse:projects:remove": project_observations_remove,
    "m2m-reverse:partnerships:clear": partnership_observations_clear,
    "m2m-reverse:clusters:set": cluster_observations_set,
    "evidence:agreements.project:delete": project_delete,
    "evidence:agreements.project:queryset-delete": project_queryset_delete,
    "evidence:agreements.partnership:delete": partnership_delete,
    "evidence:agreements.cluster:queryset-delete": cluster_queryset_delete,
    "admin:countyreport:change": admin_report_change,
    "admin:countyreport:change-superuser": admin_report_change_as_superuser,
    "admin:countyreport:submit-button": admin_report_submit_button,
    "admin:countyreport:delete": admin_report_delete,
    "admin-inline:countyreport:observation": admin_report_inline_observation,
    "admin:observation:change": admin_observation_change,
    "admin:observation:add": admin_observation_add,
    "admin:observation:delete": admin_observation_delete,
    "admin:observation:bulk-delete": admin_observation_bulk_delete,
    "admin:agreements.project:delete": admin_project_delete,
    "admin:agreements.project:bulk-delete": admin_project_bulk_delete,
    "admin:agreements.partnership:delete": admin_partnership_delete,
    "admin:agreements.cluster:bulk-delete": admin_cluster_bulk_delete,
}
# Paths whose write is not about this report's content: a new report is refused only where
# the round is not open (a submitted neighbour does not lock the round).
ROUND_PATHS = {"orm:countyreport:create", "orm:countyreport:bulk-create"}
# The report's delete paths act on R2, which has no observations: deleting a writable report
# is allowed by the lock (its observations would PROTECT it otherwise).
CELLS = [(path, state) for path in PATHS for state in STATES]


def expected_to_write(path: str, state: str) -> bool:
    _status, round_status, writable = STATES[state]
    if path in ROUND_PATHS:
        return round_status == RoundStatus.OPEN
    return writable


@pytest.mark.parametrize(("path", "state"), CELLS, ids=[f"{p}-{s}" for p, s in CELLS])
def test_write_path_against_report_state(path, state, coordinator_04, superuser):
    world = build_world(state, coordinator_04, superuser)
    before = snapshot(world)
    write = PATHS[path]
    if expected_to_write(path, state):
        assert write(world), f"{path} did not write in a {state} report"
        return
    try:
        with transaction.atomic():
            took = write(world)
    except WriteRefused as refused:
        assert refused.message  # a reason in Swedish, for the user
    else:
        assert not took, f"{path} wrote into a {state} report"
    assert snapshot(world) == before, f"{path} changed a {state} report"


# --- the table covers every path --------------------------------------------------------------

REPORT_CONTENT = {"followup.countyreport", "followup.observation"}  # events: the workflow's own
ORM_KINDS = {"save", "delete", "queryset-update", "queryset-delete", "bulk-update", "bulk-create"}


def test_every_write_path_has_a_row():
    rows = {tuple(name.split(":")) for name in PATHS}
    # Every report model: each ORM write.
    for label in REPORT_CONTENT:
        model = label.split(".")[1]
        assert {kind for src, m, kind in rows if src == "orm" and m == model} >= ORM_KINDS, label
    report_bound = {label for label, scope in access.scopes().items() if scope.report}
    # Review events are written by the workflow only; the review's comments have rules and a
    # table of their own (followup.models.comments, tests/test_comments.py).
    assert report_bound == REPORT_CONTENT | {"followup.reviewevent", "followup.reviewcomment"}
    # Every evidence link, from both sides; every kind of evidence, deleted.
    for field_name, _key in EVIDENCE_FIELDS.values():
        assert any(src == "m2m" and m == field_name for src, m, _k in rows), field_name
        assert any(src == "m2m-reverse" and m == field_name for src, m, _k in rows), field_name
    assert {f.name for f in Observation._meta.many_to_many} == {
        name for name, _key in EVIDENCE_FIELDS.values()
    }
    for label in EVIDENCE_FIELDS:
        assert any(src == "evidence" and m == label for src, m, _k in rows), label
        assert any(src == "admin" and m == label for src, m, _k in rows), label
    # Every admin of a report model, and every inline of one.
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label in REPORT_CONTENT:
            name = model._meta.model_name
            assert ("admin", name, "change") in rows and ("admin", name, "delete") in rows
        for inline in model_admin.inlines:
            inline_label = inline.model._meta.label_lower
            writes = inline.can_delete or set(inline.fields or ()) - set(inline.readonly_fields)
            if inline_label in REPORT_CONTENT and writes:
                assert any(
                    src == "admin-inline" and kind == inline.model._meta.model_name
                    for src, _m, kind in rows
                ), (label, inline_label)


# --- what the people see ----------------------------------------------------------------------


@pytest.fixture
def approved_report(coordinator_04, reviewer):
    report = builders.county_report(round_obj=builders.follow_up_round())
    for theme in Theme.objects.all():
        builders.observation(report=report, theme=theme, text="Ursprunglig text")
    builders.set_status(report, S.SUBMITTED)
    county_report_approve(report=report, user=reviewer)
    report.refresh_from_db()
    return report


def test_approved_report_cannot_be_saved_or_deleted(approved_report):
    approved_report.summary = "Ändrad i efterhand"
    with pytest.raises(ReportLockedError) as error, transaction.atomic():
        approved_report.save()
    assert "godkänd och därmed låst" in str(error.value)
    with pytest.raises(ReportLockedError), transaction.atomic():
        approved_report.delete()
    approved_report.refresh_from_db()
    assert approved_report.summary == ""


def test_reopened_report_can_be_edited_again(approved_report, administrator):
    county_report_reopen(report=approved_report, user=administrator, reason="Rättelse")
    approved_report.refresh_from_db()
    approved_report.summary = "Rättad sammanfattning"
    approved_report.save()
    assert approved_report.version > 1


def test_submitted_report_page_is_read_only_for_its_coordinator_and_says_why(
    client, coordinator_04, superuser
):
    world = build_world("inskickad", coordinator_04, superuser)
    client.force_login(coordinator_04)
    page = client.get(admin_url(CountyReport, "change", world.report.pk))
    assert page.status_code == 200
    assert "summary" not in page.context["adminform"].form.fields
    assert "är inskickad och ligger hos departementet" in page.content.decode()
    # A post from a page opened before it was submitted: the reason, and the typed text kept.
    typed = world.report_form | {"summary": "Skrivet innan den skickades in"}
    response = client.post(admin_url(CountyReport, "change", world.report.pk), typed)
    assert response.status_code == 200
    content = response.content.decode()
    assert "är inskickad och ligger hos departementet" in content
    assert "Skrivet innan den skickades in" in content
    assert _db(world.report).summary == "Ursprunglig sammanfattning"


def test_deleting_a_cited_project_names_the_report(client, coordinator_04, superuser):
    world = build_world("godkand", coordinator_04, superuser)
    client.force_login(coordinator_04)
    response = client.post(
        admin_url(Project, "delete", world.project.pk), {"post": "yes"}, follow=True
    )
    assert response.redirect_chain[0][0] == admin_url(Project, "change", world.project.pk)
    assert (
        "Projektet 301-" in response.content.decode()
        and "är underlag i rapporten från Södermanlands län 2001, som är godkänd"
        in response.content.decode()
    )
    assert Project.objects.filter(pk=world.project.pk).exists()


def test_a_superuser_deleting_an_approved_reports_observation_is_told_why(
    client, coordinator_04, superuser
):
    world = build_world("godkand", coordinator_04, superuser)
    client.force_login(superuser)
    response = client.post(
        admin_url(Observation, "delete", world.second.pk), {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert "godkänd och därmed låst" in response.content.decode()
    assert Observation.objects.filter(pk=world.second.pk).exists()


def test_a_draft_reports_evidence_may_be_deleted(coordinator_04, superuser):
    world = build_world("utkast", coordinator_04, superuser)
    world.project.delete()
    assert not world.observation.projects.exists()


def test_a_post_without_a_version_is_refused_like_a_stale_one(client, coordinator_04, superuser):
    world = build_world("utkast", coordinator_04, superuser)
    client.force_login(coordinator_04)
    url = admin_url(CountyReport, "change", world.report.pk)
    for version in (None, "", "0", "abc", "-1"):
        data = world.report_form | {"summary": "Skriver över"}
        if version is None:
            data.pop("version")
        else:
            data["version"] = version
        response = client.post(url, data, follow=True)
        assert "Någon annan har ändrat" in response.content.decode(), version
        assert _db(world.report).summary == "Ursprunglig sammanfattning"
    # An inline financing line without its version is refused the same way.
    project = world.free_project
    line = builders.financing_line(project_obj=project, amount="1000")
    form = page_form_data(client.get(admin_url(Project, "change", project.pk)))
    form.pop("financing_lines-0-version")
    form["financing_lines-0-amount"] = "999999"
    response = client.post(admin_url(Project, "change", project.pk), form, follow=True)
    assert "Någon annan har ändrat" in response.content.decode()
    assert _db(line).amount == 1000


def test_the_form_of_an_old_version_writes_nothing(client, coordinator_04, superuser):
    """The admin offers no "revert"; a post to an old version's form is refused as well."""
    world = build_world("returnerad", coordinator_04, superuser)
    oldest = world.report.history.order_by("history_id").first()
    opts = CountyReport._meta
    url = (
        f"/admin/{opts.app_label}/{opts.model_name}/{world.report.pk}/history/{oldest.history_id}/"
    )
    client.force_login(coordinator_04)
    assert client.get(url).status_code == 200
    before = snapshot(world)
    data = world.report_form | {"summary": "Från en gammal version"}
    assert client.post(url, data).status_code == 403
    assert snapshot(world) == before


def test_an_administrator_closes_a_round_of_locked_reports_on_its_page(
    client, coordinator_04, superuser, administrator
):
    """The round's page saves though its reports are submitted and approved; closing it
    locks every report of the round."""
    world = build_world("inskickad", coordinator_04, superuser)
    round_obj = world.report.round
    url = admin_url(FollowUpRound, "change", round_obj.pk)
    client.force_login(administrator)
    data = page_form_data(client.get(url)) | {"status": RoundStatus.CLOSED}
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    round_obj.refresh_from_db()
    assert round_obj.status == RoundStatus.CLOSED
    builders.set_status(world.other_report, S.RETURNED)
    with pytest.raises(ReportLockedError, match="avslutad"), transaction.atomic():
        world.other_report.refresh_from_db()
        world.other_report.summary = "Efter stängningen"
        world.other_report.save()


def test_the_admin_shows_a_locked_reports_evidence_as_it_was_named(
    client, coordinator_04, superuser
):
    world = build_world("inskickad", coordinator_04, superuser)
    project = world.project
    submitted_name = f"{project.reference_number} {project.title}"
    Project.objects.filter(pk=project.pk).update(title="Omdöpt efter inskickningen")
    client.force_login(coordinator_04)
    for url in (
        admin_url(CountyReport, "change", world.report.pk),
        admin_url(Observation, "change", world.observation.pk),
    ):
        page = client.get(url).content.decode()
        assert submitted_name in page, url
        assert "Omdöpt efter inskickningen" not in page, url
