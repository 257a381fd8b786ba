"""Every rule of the access module, one branch at a time (what mutation testing asks of it).

Each test names the rule it pins down; together they answer, for every kind of row and every
kind of user, who reads it, who changes it, who picks it in a form and who may save it.
"""

import pytest
from django.contrib.auth.models import Group

from agreements.models import County, Organisation, Project
from core import access
from core.raw_load import raw_load
from followup.models import (
    CountyReport,
    FollowUpRound,
    NationalConclusion,
    Observation,
    ReportStatus,
    ReviewEvent,
    RoundStatus,
    Theme,
    User,
)
from tests import builders

pytestmark = pytest.mark.django_db
S = ReportStatus


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def world(coordinator_04, reviewer):
    """Each county's project and organisation; Södermanland's report returned (submitted
    once), Östergötland's a draft, Stockholm's approved; a review event on each."""
    round_obj = builders.follow_up_round(year=2001)
    rows = {}
    for code in ("04", "05", "01"):
        agreement = builders.agreement(county_code=code)
        measure = builders.measure(area=builders.priority_area(agreement_obj=agreement))
        report = builders.county_report(round_obj=round_obj, county_code=code)
        observation = builders.observation(report=report, text=f"Text {code}")
        rows[code] = {
            "project": builders.project(measure_obj=measure),
            "organisation": builders.organisation(county=builders.county(code)),
            "report": report,
            "observation": observation,
        }
    builders.set_status(rows["04"]["report"], S.RETURNED)
    builders.set_status(rows["01"]["report"], S.APPROVED)
    for code in rows:
        rows[code]["report"].refresh_from_db()
        rows[code]["event"] = ReviewEvent.objects.create(
            report=rows[code]["report"],
            action=ReviewEvent.Action.SUBMIT,
            from_status=S.DRAFT,
            to_status=S.SUBMITTED,
            actor=coordinator_04,
        )
    return rows


# --- roles ------------------------------------------------------------------------------------


def test_roles_come_from_the_groups_of_an_active_user(coordinator_04, reviewer, administrator):
    assert access.is_coordinator(coordinator_04) and not access.is_reviewer(coordinator_04)
    assert access.is_reviewer(reviewer) and not access.is_coordinator(reviewer)
    assert access.is_administrator(administrator) and access.has_role(administrator)
    assert not access.is_administrator(reviewer)
    fresh = User.objects.get(pk=reviewer.pk)
    fresh.is_active = False
    assert not access.has_role(fresh) and not access.is_reviewer(fresh)


def test_a_superuser_is_an_administrator_only_while_active(superuser):
    assert access.is_administrator(superuser) and access.has_role(superuser)
    superuser.is_active = False
    assert not access.is_administrator(superuser)


def test_a_user_without_a_role_group_has_no_role(staff_without_role):
    staff_without_role.groups.add(Group.objects.create(name="Någon annan grupp"))
    fresh = User.objects.get(pk=staff_without_role.pk)
    assert not access.has_role(fresh)
    assert not access.is_administrator(fresh)


def test_counties_count_only_for_a_coordinator(reviewer):
    reviewer.counties.set(County.objects.filter(code="04"))
    fresh = User.objects.get(pk=reviewer.pk)
    assert access.coordinated_county_ids(fresh) == frozenset()
    assert not access.is_coordinator_of(fresh, builders.county("04").pk)


def test_coordinated_counties_are_the_users_counties(coordinator_04_05):
    assert access.coordinated_county_ids(coordinator_04_05) == {
        builders.county("04").pk,
        builders.county("05").pk,
    }


# --- reading ------------------------------------------------------------------------------------


def test_shared_data_is_read_by_every_role_and_by_nobody_else(reviewer, staff_without_role):
    assert ids(access.visible(Theme.objects.all(), reviewer)) == ids(Theme.objects.all())
    assert not access.visible(Theme.objects.all(), staff_without_role).exists()
    # A model that is neither shared nor a county's: administrators only.
    assert not access.visible(User.objects.all(), reviewer).exists()


def test_a_coordinator_reads_their_own_countys_rows_only(world, coordinator_04):
    assert ids(access.visible(Project.objects.all(), coordinator_04)) == {world["04"]["project"].pk}
    assert ids(access.visible(CountyReport.objects.all(), coordinator_04)) == {
        world["04"]["report"].pk
    }


def test_the_reviewer_reads_registers_and_reports_with_the_ministry(world, reviewer):
    assert ids(access.visible(Project.objects.all(), reviewer)) == {
        world[code]["project"].pk for code in world
    }
    # Reports and their review events: all but the draft (status and steps are no secret).
    assert ids(access.visible(CountyReport.objects.all(), reviewer)) == {
        world["04"]["report"].pk,
        world["01"]["report"].pk,
    }
    assert ids(access.visible(ReviewEvent.objects.all(), reviewer)) == {
        world["04"]["event"].pk,
        world["01"]["event"].pk,
    }
    # Observations: only of reports with the ministry — not the returned one's work.
    assert ids(access.visible(Observation.objects.all(), reviewer)) == {
        world["01"]["observation"].pk
    }


def test_the_reviewer_reads_only_versions_written_with_the_ministry(world, reviewer):
    returned, draft = world["04"], world["05"]
    report_versions = access.visible(CountyReport.history.all(), reviewer)
    assert set(report_versions.values_list("status", flat=True)) <= {S.SUBMITTED, S.APPROVED}
    assert report_versions.filter(id=returned["report"].pk).exists() is False  # returned row
    observation_versions = access.visible(Observation.history.all(), reviewer)
    assert set(observation_versions.values_list("report_status", flat=True)) == {S.SUBMITTED}
    assert observation_versions.filter(id=returned["observation"].pk).exists()  # as submitted
    assert not observation_versions.filter(id=draft["observation"].pk).exists()
    # The register's history: every county's.
    assert access.visible(Project.history.all(), reviewer).count() == Project.history.count()


def test_a_coordinator_reads_every_version_of_their_own_report(world, coordinator_04):
    versions = access.visible(Observation.history.all(), coordinator_04)
    own = Observation.history.filter(report_id=world["04"]["report"].pk)
    assert ids(versions) == set(own.values_list("pk", flat=True))
    assert set(versions.values_list("report_status", flat=True)) >= {S.DRAFT, S.SUBMITTED}


def test_two_roles_read_the_union_of_what_each_reads(world, coordinator_04_reviewer):
    user = coordinator_04_reviewer
    assert ids(access.visible(Observation.objects.all(), user)) == {
        world["04"]["observation"].pk,  # its own county's, as it stands
        world["01"]["observation"].pk,  # another's with the ministry
    }
    assert world["05"]["report"].pk not in ids(access.visible(CountyReport.objects.all(), user))


# --- changing ---------------------------------------------------------------------------------


def test_nobody_changes_a_locked_report_but_everyone_sees_why(world, administrator):
    approved = world["01"]["report"]
    assert not access.editable(CountyReport.objects.filter(pk=approved.pk), administrator)
    unlocked = access.editable(
        CountyReport.objects.filter(pk=approved.pk), administrator, mind_lock=False
    )
    assert ids(unlocked) == {approved.pk}
    assert access.can_edit(administrator, approved, mind_lock=False)
    assert not access.can_edit(administrator, approved)


def test_coordinators_change_their_countys_register_and_writable_reports(world, coordinator_04):
    assert ids(access.editable(Project.objects.all(), coordinator_04)) == {
        world["04"]["project"].pk
    }
    assert ids(access.editable(Observation.objects.all(), coordinator_04)) == {
        world["04"]["observation"].pk
    }
    assert not access.editable(ReviewEvent.objects.all(), coordinator_04).filter(
        report__county__code="05"
    )


def test_reviewers_write_national_conclusions_and_nothing_of_a_county(world, reviewer):
    conclusion = NationalConclusion.objects.create(
        round=world["04"]["report"].round, theme=Theme.objects.first(), text="Slutsats"
    )
    assert ids(access.editable(NationalConclusion.objects.all(), reviewer)) == {conclusion.pk}
    assert not access.editable(Project.objects.all(), reviewer).exists()
    assert not access.editable(Organisation.objects.all(), reviewer).exists()
    assert not access.editable(Theme.objects.all(), reviewer).exists()


def test_coordinators_keep_their_countys_organisations(world, coordinator_04):
    editable = access.editable(Organisation.objects.all(), coordinator_04)
    assert world["04"]["organisation"].pk in ids(editable)
    assert world["05"]["organisation"].pk not in ids(editable)
    assert not access.editable(NationalConclusion.objects.all(), coordinator_04).exists()


# --- picking ----------------------------------------------------------------------------------


def test_choices_are_own_counties_for_a_county_and_editable_rows_for_a_county_model(
    world, coordinator_04, administrator
):
    assert ids(access.choosable(County.objects.all(), coordinator_04)) == {builders.county("04").pk}
    assert access.choosable(County.objects.all(), administrator).count() == 21
    assert ids(access.choosable(Project.objects.all(), coordinator_04)) == {
        world["04"]["project"].pk
    }
    # Shared rows are picked as they are read: every theme, every organisation.
    assert access.choosable(Theme.objects.all(), coordinator_04).count() == Theme.objects.count()
    assert access.choosable(Organisation.objects.all(), coordinator_04).count() == (
        Organisation.objects.count()
    )


# --- saving ---------------------------------------------------------------------------------


def test_the_county_of_an_object_is_found_along_its_path(world):
    assert access.county_id_of(world["05"]["observation"]) == builders.county("05").pk
    assert access.county_id_of(world["04"]["event"]) == builders.county("04").pk
    assert access.county_id_of(world["05"]["organisation"]) == builders.county("05").pk
    assert access.county_id_of(Organisation(name="Utan län")) is None
    assert access.county_id_of(Theme.objects.first()) is None
    assert access.county_id_of(Project()) is None  # no county yet


def test_who_may_save_what(world, coordinator_04, reviewer, administrator):
    own, other = world["04"], world["05"]
    assert access.can_save(coordinator_04, own["project"])
    assert not access.can_save(coordinator_04, other["project"])
    assert not access.can_save(reviewer, own["project"])
    assert access.can_save(administrator, other["project"])
    # Organisations: a coordinator adds new ones (a county or not) and keeps their county's.
    assert access.can_save(coordinator_04, Organisation(name="Ny förening"))
    assert not access.can_save(
        coordinator_04, Organisation.objects.filter(county__isnull=True).first()
    )
    assert access.can_save(coordinator_04, own["organisation"])
    assert not access.can_save(coordinator_04, other["organisation"])
    # Shared data other than organisations: administrators only.
    assert not access.can_save(coordinator_04, Theme.objects.first())
    assert access.can_save(administrator, Theme.objects.first())
    # The ministry's conclusions: reviewers.
    conclusion = NationalConclusion(round=own["report"].round, theme=Theme.objects.first())
    assert access.can_save(reviewer, conclusion) and not access.can_save(coordinator_04, conclusion)


def test_nobody_saves_into_a_locked_report_administrators_included(
    world, coordinator_04, administrator
):
    approved = world["01"]["report"]
    for user in (coordinator_04, administrator):
        assert not access.can_save(user, approved)
        assert not access.can_save(user, world["01"]["observation"])
        new = Observation(report=approved, theme=Theme.objects.first(), text="Ny")
        assert not access.can_save(user, new)
    assert access.can_save(coordinator_04, world["04"]["observation"])  # returned: writable
    assert not access.can_save(coordinator_04, Observation(text="Utan rapport"))  # no county


def test_a_new_report_is_saved_only_into_an_open_round(coordinator_04, administrator):
    planned = FollowUpRound.objects.create(
        year=2005, title="2005", deadline="2005-09-15", status=RoundStatus.PLANNED
    )
    open_round = builders.follow_up_round(year=2006)
    county = builders.county("04")
    for user in (coordinator_04, administrator):
        assert not access.can_save(user, CountyReport(round=planned, county=county))
        assert access.can_save(user, CountyReport(round=open_round, county=county))


def test_deletion_is_refused_for_locked_reports_and_their_evidence(world):
    approved = world["01"]
    assert access.deletion_refusal(CountyReport, [approved["report"].pk])
    assert access.deletion_refusal(Observation, [approved["observation"].pk])
    assert access.deletion_refusal(CountyReport, [world["04"]["report"].pk]) is None
    assert access.deletion_refusal(Project, [approved["project"].pk]) is None  # not cited
    cited = builders.project(measure_obj=approved["project"].measure)
    with raw_load(audit=True):
        approved["observation"].projects.add(cited)
    refusal = access.deletion_refusal(Project, [cited.pk])
    assert "är underlag i rapporten från Stockholms län 2001, som är godkänd" in refusal
    assert access.deletion_refusal(Theme, [Theme.objects.first().pk]) is None
