"""The access module's functions, asked directly for every persona — the two-role ones too.

The admin and the site ask these questions everywhere; here each answer is checked on its own,
so a rule that changes (a reviewer who may suddenly edit, a second county that leaks) fails
here even where no page happens to show it.
"""

import pytest
from django.contrib.auth.models import Group

from agreements.models import Organisation, Project
from core import access
from followup.models import CountyReport, NationalConclusion, Observation, ReportStatus, Theme
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    """Each county's project, and its report: Södermanland's returned, Östergötland's a draft,
    and Södermanland's approved report of another round."""
    round_obj = builders.follow_up_round(year=2001)
    objects = {}
    for code in ("04", "05"):
        agreement = builders.agreement(county_code=code)
        measure = builders.measure(area=builders.priority_area(agreement_obj=agreement))
        project = builders.project(measure_obj=measure)
        report = builders.county_report(round_obj=round_obj, county_code=code)
        observation = builders.observation(report=report)
        objects[code] = {"project": project, "report": report, "observation": observation}
    builders.set_status(objects["04"]["report"], ReportStatus.RETURNED)
    approved = builders.county_report(round_obj=builders.follow_up_round(year=2002))
    approved_observation = builders.observation(report=approved)
    builders.set_status(approved, ReportStatus.APPROVED)
    objects["approved"] = {"report": approved, "observation": approved_observation}
    return objects


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_role_questions_for_a_user_with_two_roles(coordinator_04_reviewer, coordinator_04_05):
    both = coordinator_04_reviewer
    assert access.is_coordinator(both) and access.is_reviewer(both)
    assert not access.is_administrator(both)
    assert access.is_coordinator_of(both, builders.county("04").pk)
    assert not access.is_coordinator_of(both, builders.county("05").pk)
    two = coordinator_04_05
    assert access.coordinated_county_ids(two) == {
        builders.county("04").pk,
        builders.county("05").pk,
    }
    assert not access.is_reviewer(two)


def test_a_coordinator_who_is_also_a_reviewer_changes_only_their_own_county(
    data, coordinator_04_reviewer
):
    user = coordinator_04_reviewer
    own, other = data["04"], data["05"]
    # Reads every county's register, and every report but another county's draft.
    assert access.can_view(user, other["project"])
    assert access.can_view(user, own["report"]) and not access.can_view(user, other["report"])
    assert not access.can_view(user, other["observation"])
    # Changes only Södermanland's.
    assert access.can_edit(user, own["project"]) and not access.can_edit(user, other["project"])
    assert access.can_edit(user, own["observation"])
    assert not access.can_edit(user, other["observation"])
    assert ids(access.editable(Project.objects.all(), user)) == {own["project"].pk}
    assert access.can_save(user, own["project"]) and not access.can_save(user, other["project"])
    # Picks only Södermanland's rows in a form, though it reads Östergötland's.
    assert ids(access.choosable(Project.objects.all(), user)) == {own["project"].pk}
    # The reviewer's part: writes the national conclusions.
    conclusion = NationalConclusion(round=own["report"].round, theme=Theme.objects.first())
    assert access.can_save(user, conclusion)


def test_a_coordinator_of_two_counties_keeps_both_and_nothing_more(data, coordinator_04_05):
    user = coordinator_04_05
    projects = {data[code]["project"].pk for code in ("04", "05")}
    assert ids(access.visible(Project.objects.all(), user)) == projects
    assert ids(access.editable(Project.objects.all(), user)) == projects
    assert access.can_view(user, data["05"]["report"])  # its own county's draft
    assert access.can_edit(user, data["05"]["observation"])
    other_county = builders.agreement(county_code="06")
    assert not access.can_view(user, other_county)
    assert not access.can_save(user, other_county)


@pytest.mark.parametrize(
    "persona",
    [
        "coordinator_04",
        "coordinator_05",
        "reviewer",
        "administrator",
        "staff_without_role",
        "coordinator_04_reviewer",
        "coordinator_04_05",
    ],
)
def test_nobody_changes_a_locked_report(data, persona, request):
    user = request.getfixturevalue(persona)
    approved = data["approved"]
    for obj in (approved["report"], approved["observation"]):
        assert not access.can_edit(user, obj), persona
        assert not access.can_save(user, obj), persona
    assert not ids(access.editable(CountyReport.objects.filter(pk=approved["report"].pk), user))
    assert access.deletion_refusal(Observation, [approved["observation"].pk])


def test_who_reads_and_changes_what_by_persona(data, request):
    """One row per persona: (reads Östergötland's project, changes it, reads its draft report,
    changes Södermanland's returned report)."""
    table = {
        "coordinator_04": (False, False, False, True),
        "coordinator_05": (True, True, True, False),
        "reviewer": (True, False, False, False),
        "administrator": (True, True, True, True),
        "staff_without_role": (False, False, False, False),
        "coordinator_04_reviewer": (True, False, False, True),
        "coordinator_04_05": (True, True, True, True),
    }
    for persona, expected in table.items():
        user = request.getfixturevalue(persona)
        got = (
            access.can_view(user, data["05"]["project"]),
            access.can_edit(user, data["05"]["project"]),
            access.can_view(user, data["05"]["report"]),
            access.can_edit(user, data["04"]["report"]),
        )
        assert got == expected, persona


def test_county_of_an_object_walks_its_path(data):
    assert access.county_id_of(data["05"]["observation"]) == builders.county("05").pk
    assert access.county_id_of(data["04"]["project"]) == builders.county("04").pk
    organisation = Organisation.objects.filter(county__code="05").first()
    assert access.county_id_of(organisation) == builders.county("05").pk
    assert access.county_id_of(Theme.objects.first()) is None


def test_an_inactive_user_has_no_role(coordinator_04):
    coordinator_04.is_active = False
    assert not access.has_role(coordinator_04)
    assert not access.is_coordinator_of(coordinator_04, builders.county("04").pk)


# --- the questions the pages ask ---------------------------------------------------------------


def test_who_is_shown_a_reports_content(data, request):
    """Never a draft's content to anyone but its own county's coordinators; a returned report's
    to the ministry (as submitted); nothing at all for no report."""
    returned, draft = data["04"]["report"], data["05"]["report"]
    approved = data["approved"]["report"]
    expected = {
        "coordinator_04": {returned: True, draft: False, approved: True},
        "coordinator_05": {returned: False, draft: True, approved: False},
        "reviewer": {returned: True, draft: False, approved: True},
        "administrator": {returned: True, draft: False, approved: True},
        "staff_without_role": {returned: False, draft: False, approved: False},
    }
    for persona, reports in expected.items():
        user = request.getfixturevalue(persona)
        assert not access.may_show_report(user, None)
        for report, shown in reports.items():
            assert access.may_show_report(user, report) is shown, (persona, report.status)


def test_who_reads_a_returned_report_as_it_was_submitted(data, request):
    returned, draft = data["04"]["report"], data["05"]["report"]
    approved = data["approved"]["report"]
    for persona, as_submitted in {
        "coordinator_04": False,  # writes it: reads it as it stands
        "administrator": False,
        "reviewer": True,
        "coordinator_05": True,
    }.items():
        user = request.getfixturevalue(persona)
        assert access.reads_as_submitted(user, returned) is as_submitted, persona
        assert not access.reads_as_submitted(user, draft)
        assert not access.reads_as_submitted(user, approved)
        assert not access.reads_as_submitted(user, None)


def test_who_exports_the_national_workbook_and_reads_every_county(request):
    county_04, county_05 = builders.county("04").pk, builders.county("05").pk
    for persona, ministry in {
        "reviewer": True,
        "administrator": True,
        "coordinator_04": False,
        "coordinator_04_reviewer": True,
        "staff_without_role": False,
    }.items():
        user = request.getfixturevalue(persona)
        assert access.may_export_national(user) is ministry, persona
        assert access.reads_every_county(user) is ministry, persona
        readable = access.readable_county_ids(user)
        assert (readable is None) is ministry, persona
        assert access.may_read_county(user, county_05) is ministry, persona
    coordinator = request.getfixturevalue("coordinator_04")
    assert access.readable_county_ids(coordinator) == {county_04}
    assert access.may_read_county(coordinator, county_04)


def test_who_reads_contacts_and_downloads_a_countys_presentation(request):
    """The ministry reads every county's coordinators and downloads every county's
    presentation; a coordinator downloads their own county's only and reads no contacts."""
    county_04, county_05 = builders.county("04").pk, builders.county("05").pk
    for persona, (contacts, presentations) in {
        "reviewer": (True, {county_04, county_05}),
        "administrator": (True, {county_04, county_05}),
        "coordinator_04": (False, {county_04}),
        "coordinator_04_05": (False, {county_04, county_05}),
        "coordinator_04_reviewer": (True, {county_04, county_05}),
        "staff_without_role": (False, set()),
    }.items():
        user = request.getfixturevalue(persona)
        assert access.may_read_contacts(user) is contacts, persona
        may = {c for c in (county_04, county_05) if access.may_export_county_presentation(user, c)}
        assert may == presentations, persona


def test_who_imports_into_which_county(request):
    from agreements.models import County

    county_04, county_05 = builders.county("04"), builders.county("05")
    counties = County.objects.filter(code__in=["04", "05"])
    for persona, into in {
        "coordinator_04": {county_04},
        "coordinator_04_05": {county_04, county_05},
        "coordinator_04_reviewer": {county_04},
        "administrator": {county_04, county_05},
        "reviewer": set(),
        "staff_without_role": set(),
    }.items():
        user = request.getfixturevalue(persona)
        assert set(access.importable(counties, user)) == into, persona
        for county in (county_04, county_05):
            assert access.may_import(user, county.pk) is (county in into), (persona, county)


def test_a_row_out_of_sight_answers_404_like_a_missing_one(data, coordinator_04):
    from django.http import Http404

    own, other = data["04"]["project"], data["05"]["project"]
    projects = Project.objects.all()
    assert access.visible_or_404(projects, coordinator_04, pk=own.pk) == own
    for pk in (other.pk, 0):
        with pytest.raises(Http404):
            access.visible_or_404(projects, coordinator_04, pk=pk)


def test_what_is_part_of_a_county_report(reviewer):
    assert access.is_report_content(CountyReport)
    assert access.is_report_content(Observation)
    assert not access.is_report_content(Project)
    assert not access.is_report_content(Organisation)
    with pytest.raises(TypeError, match="is not a county report"):
        access.reads_as_submitted(reviewer, Project())


def test_who_reads_a_rows_audit_trail(data, request):
    """Whoever reads the row reads its history; the ministry reads a returned report's
    observations from their versions; another county's row has none to show."""
    own, other = data["04"]["project"], data["05"]["project"]
    returned_observation = data["04"]["observation"]
    for persona, project, may in [
        ("coordinator_04", own, True),
        ("coordinator_04", other, False),
        ("reviewer", other, True),
        ("staff_without_role", own, False),
    ]:
        user = request.getfixturevalue(persona)
        row = Project.objects.filter(pk=project.pk)
        assert access.may_read_history(user, row, project.history.all()) is may, persona
    row = Observation.objects.filter(pk=returned_observation.pk)
    versions = returned_observation.history.all()
    coordinator_05 = request.getfixturevalue("coordinator_05")
    reviewer = request.getfixturevalue("reviewer")
    assert not access.may_read_history(coordinator_05, row, versions)
    # The ministry does not read a returned report's row, but reads it as it was submitted.
    assert not access.visible(row, reviewer).exists()
    assert access.may_read_history(reviewer, row, versions)
    assert not access.may_read_history(reviewer, row, versions.none())  # no submitted version
    # A draft never sent has no version the ministry reads.
    draft = data["05"]["observation"]
    draft_row = Observation.objects.filter(pk=draft.pk)
    assert not access.may_read_history(reviewer, draft_row, draft.history.all())
    # A row that is not a report's: the versions count only through the row itself.
    staff = request.getfixturevalue("staff_without_role")
    project = Project.objects.filter(pk=own.pk)
    assert not access.may_read_history(staff, project, own.history.all())


def test_a_row_moved_to_another_county_has_no_history_for_its_old_county(data, request):
    """An observation moved from Östergötland's draft into Södermanland's report is
    Södermanland's: Östergötland's coordinator reads none of its history, though its versions
    were written while it was theirs; a model nobody declared has no history for anyone."""
    moved = data["05"]["observation"]
    versions = moved.history.all()
    coordinator_05 = request.getfixturevalue("coordinator_05")
    assert access.may_read_history(
        coordinator_05, Observation.objects.filter(pk=moved.pk), versions
    )
    Observation.objects.filter(pk=moved.pk).update(report=data["04"]["report"])
    row = Observation.objects.filter(pk=moved.pk)
    assert access.visible(versions, coordinator_05).exists()  # the old versions: still theirs
    assert not access.may_read_history(coordinator_05, row, versions)
    assert access.may_read_history(request.getfixturevalue("coordinator_04"), row, versions)
    assert not access.may_read_history(coordinator_05, Group.objects.all(), Group.objects.all())


# --- the declarations the apps make at start-up ------------------------------------------------


def test_a_model_is_declared_once_and_the_same_declaration_again_changes_nothing(monkeypatch):
    monkeypatch.setattr(access, "_SCOPES", dict(access._SCOPES))
    declared = access.scopes()["agreements.project"]
    access.register("agreements.project", declared)  # an app imported twice: the same answer
    assert access.scopes()["agreements.project"] is declared
    with pytest.raises(ValueError, match="agreements.project is declared twice"):
        access.register("agreements.project", access.Scope(shared=True))
    assert access.scopes()["agreements.project"] == declared
    access.register("tests.newmodel", access.Scope(county="county"))
    assert access.scopes()["tests.newmodel"] == access.Scope(county="county")
    # scopes() is a copy: a caller cannot change what is declared.
    access.scopes().pop("agreements.project")
    assert "agreements.project" in access.scopes()


def test_the_paths_and_kinds_of_the_register_as_declared():
    assert access.county_path(Project) == "county"
    assert access.county_path(Project.history.model) == "county"  # its audit rows: the same
    assert access.county_path(Organisation) is None  # shared, kept by county
    assert access.county_path(Theme) is None
    assert access.is_report_content(Observation) and access.is_report_content(CountyReport)
    assert not access.is_report_content(Project)
    assert access.scope_of(Organisation).kept_by_creator == "created_by"


def test_a_deletion_rule_is_added_once_and_asked_for_its_rows(monkeypatch, data, coordinator_04):
    monkeypatch.setattr(access, "_DELETION_RULES", {})
    project = data["04"]["project"]
    calls = []

    def rule(queryset):
        calls.append(set(queryset.values_list("pk", flat=True)))
        return "Projektet är underlag i en låst rapport."

    access.register_deletion_rule("agreements.project", rule)
    access.register_deletion_rule("agreements.project", rule)  # imported twice: once
    assert access._DELETION_RULES["agreements.project"] == [rule]
    reason = access.deletion_refusal(Project, [project.pk])
    assert reason == "Projektet är underlag i en låst rapport."
    assert calls == [{project.pk}]

    def allows(queryset):
        return None

    monkeypatch.setattr(access, "_DELETION_RULES", {"agreements.project": [allows, rule]})
    assert access.deletion_refusal(Project, [project.pk]) == reason  # the first reason given
    monkeypatch.setattr(access, "_DELETION_RULES", {"agreements.project": [allows]})
    assert access.deletion_refusal(Project, [project.pk]) is None


def test_an_organisation_of_no_county_is_kept_by_its_registrar_only(
    coordinator_04, coordinator_05, coordinator_04_reviewer
):
    mine = builders.organisation(name="Min förening", created_by=coordinator_04)
    theirs = builders.organisation(name="Deras förening", created_by=coordinator_05)
    nobodys = builders.organisation(name="Ingens förening")
    homed = builders.organisation(name="Hemmahörande AB", county=builders.county("04"),
                                  created_by=coordinator_05)  # fmt: skip
    everyone = Organisation.objects.filter(pk__in=[o.pk for o in (mine, theirs, nobodys, homed)])
    assert ids(access.editable(everyone, coordinator_04)) == {mine.pk, homed.pk}
    assert ids(access.editable(everyone, coordinator_05)) == {theirs.pk}
    assert ids(access.editable(everyone, coordinator_04_reviewer)) == {homed.pk}
    assert access.can_save(coordinator_04, mine) and not access.can_save(coordinator_05, mine)
    mine.county = builders.county("05")  # given away to a county not theirs: refused
    assert not access.can_save(coordinator_04, mine)


def test_answers_for_what_is_not_declared_or_not_theirs(coordinator_04, reviewer):
    assert access.county_path(Group) is None  # a model no app declared: nobody's county
    assert not access.can_save(coordinator_04, Group(name="Ny grupp"))
    conclusions = NationalConclusion.objects.all()
    builders.follow_up_round(year=2001)
    NationalConclusion.objects.create(round=builders.FollowUpRound.objects.get(), text="Slutsats.")
    assert not access.editable(conclusions, coordinator_04).exists()  # the ministry's to write
    assert access.editable(conclusions, reviewer).exists()
    stray = builders.organisation(name="Föreningen utan hemlän", created_by=coordinator_04)
    assert not access.can_save(reviewer, stray)  # kept by its registrar, not by the ministry
    with pytest.raises(TypeError, match="Project is not a county report"):
        access._report_rule(Project())
