"""seed_demo: deterministic, refuses to overwrite, and holds the report's facts."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from agreements.models import (
    Agreement,
    Cluster,
    ClusterActor,
    ClusterLink,
    FinancingLine,
    Organisation,
    OrganisationKind,
    Partnership,
    Project,
)
from agreements.models.totals import FinancingTotal, financing_totals_differences
from agreements.validators import normalise_org_number
from core.roles import Role
from followup.demo.build import decided_shares, spread
from followup.demo.wipe import register_models
from followup.models import CountyReport, NationalConclusion, Observation, ReviewEvent, User
from tests import builders

pytestmark = pytest.mark.django_db

CLUSTER_COUNTIES = {"01", "04", "05", "12", "14", "17"}
Status = CountyReport.Status
DUMPED_MODELS = [Organisation, *register_models()]


def seed(**options):
    call_command("seed_demo", verbosity=0, **options)


def _fields(model, exclude=()):
    skip = {"created_at", "updated_at", *exclude}
    return [f for f in model._meta.concrete_fields if f.name not in skip]


def _rows(model, fields):
    return list(model.objects.order_by("pk").values_list(*[f.attname for f in fields]))


def dump_with_ids() -> dict:
    """Every field of every register row, ids included (timestamps left out)."""
    dump = {model._meta.label: _rows(model, _fields(model)) for model in DUMPED_MODELS}
    for model in register_models():
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            dump[through._meta.label] = _rows(through, _fields(through))
    return dump


def dump_by_rank() -> dict:
    """Like dump_with_ids, but each id replaced by its rank among its table's ids.

    Rows are created in a fixed order, so ranks are equal even where the id sequences of the
    test database started at different numbers (PostgreSQL does not roll sequences back).
    """
    ranks: dict = {}

    def rank(model, value):
        if model is None or value is None:
            return value
        if model not in ranks:
            ids = model.objects.order_by("pk").values_list("pk", flat=True)
            ranks[model] = {pk: i for i, pk in enumerate(ids)}
        return ranks[model][value]

    dump = {}
    for model in DUMPED_MODELS:
        fields = _fields(model, exclude=("frozen_figures", "frozen_evidence"))  # hold ids
        targets = [model if f.primary_key else f.related_model for f in fields]
        dump[model._meta.label] = [
            tuple(rank(t, v) for t, v in zip(targets, row, strict=True))
            for row in _rows(model, fields)
        ]
    return dump


def test_rebuilding_gives_identical_data():
    seed(projects=60)
    first = dump_by_rank()
    assert len(first["agreements.Project"]) == 60

    seed(projects=60, replace=True)
    assert dump_by_rank() == first
    with_ids = dump_with_ids()
    assert Agreement.objects.order_by("pk").first().pk == 1  # sequences start over

    seed(projects=60, replace=True)
    assert dump_with_ids() == with_ids
    # The financing totals were emptied with the old lines and built again from the new ones.
    assert FinancingTotal.objects.exists()
    assert financing_totals_differences() == []


def test_another_seed_gives_other_data():
    seed(projects=30)
    first = dump_by_rank()
    seed(projects=30, replace=True, seed=7)
    assert dump_by_rank() != first


def test_refuses_without_replace_and_changes_nothing():
    seed(projects=20)
    before = dump_with_ids()
    with pytest.raises(CommandError, match="--replace") as refused:
        seed(projects=20)
    assert "Inget har ändrats" in str(refused.value)
    assert dump_with_ids() == before
    with pytest.raises(CommandError):
        call_command("seed_demo", check_empty=True, verbosity=0)


@pytest.mark.parametrize(
    "make",
    [
        lambda: builders.organisation(name="Ett eget företag AB"),
        lambda: builders.agreement(county_code="10"),
        lambda: builders.follow_up_round(year=2005),
    ],
)
def test_any_register_data_stops_it(make):
    call_command("seed_demo", check_empty=True, verbosity=0)
    make()
    with pytest.raises(CommandError, match="Inget har ändrats"):
        seed(projects=5)
    assert not Project.objects.exists()


def test_exact_number_of_projects_and_spread():
    seed(projects=50)
    assert Project.objects.count() == 50
    assert sum(spread(100_000, {"a": 1.0, "b": 2.0, "c": 3.5}).values()) == 100_000


@pytest.fixture
def demo():
    seed(projects=120)


def test_six_cluster_counties_with_high_cluster_assessments(demo):
    assert set(Cluster.objects.values_list("county__code", flat=True)) == CLUSTER_COUNTIES
    cluster_observations = Observation.objects.filter(theme__code="klusterarbete")
    assessed = dict(cluster_observations.values_list("report__county__code", "assessment"))
    assert len(assessed) == 21
    for code, assessment in assessed.items():
        assert (assessment >= 3) == (code in CLUSTER_COUNTIES), code


def test_sodermanland_heavy_vehicle_working_group(demo):
    cluster = Cluster.objects.get(county__code="04", name="Tunga fordon")
    group = ClusterActor.objects.filter(cluster=cluster, in_working_group=True)
    kinds = dict(group.values_list("organisation__name", "organisation__kind__code"))
    assert (
        kinds["Länsstyrelsen i Södermanlands län"] == OrganisationKind.COUNTY_ADMINISTRATIVE_BOARD
    )
    assert kinds["ALMI Företagspartner Mälardalen AB"] == OrganisationKind.STATE_OWNED_COMPANY
    assert kinds["Länsarbetsnämnden i Södermanlands län"] == OrganisationKind.STATE_AGENCY
    assert kinds["Eskilstuna kommun"] == OrganisationKind.MUNICIPALITY
    assert list(kinds.values()).count(OrganisationKind.COMPANY) >= 3
    labour_board = group.get(organisation__name="Länsarbetsnämnden i Södermanlands län")
    assert labour_board.part == (
        "kartlägger företagens behov av arbetskraft och kompetensutveckling"
    )
    links = ClusterLink.objects.filter(cluster=cluster)
    assert {link.direction for link in links} == set(ClusterLink.Direction.values)
    assert links.filter(goods=True).exists() and links.filter(knowledge=True).exists()
    assert links.filter(services=True).exists()


def test_local_partnerships_in_ostergotland_and_sodermanland(demo):
    for code in ("04", "05"):
        local = Partnership.objects.filter(county__code=code, level=Partnership.Level.LOCAL)
        assert local.count() >= 3
        assert all(p.municipality.county.code == code for p in local)
        assert all(p.members.count() >= 2 for p in local)
        observation = Observation.objects.get(
            report__county__code=code, theme__code="lokala-partnerskap"
        )
        assert observation.assessment >= 3
        assert set(observation.partnerships.all()) == set(local)


def test_reports_in_every_state_with_consistent_steps(demo):
    reports = CountyReport.objects.select_related("round").prefetch_related("round__themes")
    assert reports.count() == 21
    assert set(reports.values_list("status", flat=True)) == set(Status.values)
    for report in reports:
        themes = set(report.round.themes.values_list("code", flat=True))
        assessed = set(
            report.observations.filter(assessment__isnull=False).values_list(
                "theme__code", flat=True
            )
        )
        events = list(ReviewEvent.objects.filter(report=report).values_list("action", flat=True))
        if report.status == Status.DRAFT:
            assert report.submitted_at is None and report.frozen_figures is None
            assert events == []
            continue
        assert assessed == themes, report
        assert report.submitted_by.counties.get().pk == report.county_id
        assert report.frozen_figures["agreement_id"] is not None
        reviewed = report.status in (Status.RETURNED, Status.APPROVED)
        assert (report.reviewed_at is not None) == reviewed
        assert (report.reviewed_by is not None) == reviewed
        if reviewed:
            assert report.reviewed_at > report.submitted_at
            assert report.reviewed_by.groups.filter(name=Role.REVIEWER).exists()
        assert events[0] == ReviewEvent.Action.SUBMIT and len(events) == 1 + reviewed
    assert NationalConclusion.objects.filter(theme__isnull=False).count() == 3
    assert NationalConclusion.objects.filter(theme__isnull=True).count() == 1  # the round's


def test_evidence_belongs_to_the_reports_county(demo):
    for observation in Observation.objects.select_related("report"):
        county_id = observation.report.county_id
        for related in ("projects", "partnerships", "clusters"):
            assert all(o.county_id == county_id for o in getattr(observation, related).all())
    assert Observation.objects.filter(clusters__isnull=False).exists()
    assert Observation.objects.filter(projects__isnull=False).exists()


def test_register_is_consistent(demo):
    numbers = list(Organisation.objects.exclude(org_number="").values_list("org_number", flat=True))
    assert numbers and all(normalise_org_number(n) == n for n in numbers)
    assert not Organisation.objects.filter(kind__code="foretag", org_number="").exists()
    projects = Project.objects.select_related("measure", "agreement", "municipality")
    for project in projects:
        assert project.measure.agreement_id == project.agreement_id
        assert project.agreement.county_id == project.county_id
        if project.municipality:
            assert project.municipality.county_id == project.county_id
            assert project.municipality.is_valid_on(project.start_date)
        project.full_clean()
    for line in FinancingLine.objects.all()[:200]:
        line.full_clean()
        assert isinstance(line.amount, Decimal) and line.amount > 0
    assert Agreement.objects.count() == 21
    for agreement in Agreement.objects.select_related("lead_body"):
        assert agreement.lead_body.county_id == agreement.county_id
        assert 3 <= agreement.priority_areas.count() <= 5
        assert agreement.frames.exists()


def test_financing_shares_like_the_first_year():
    seed()
    _total, shares = decided_shares()
    assert 0.45 <= shares["stat"] <= 0.55
    assert 0.20 <= shares["privat"] <= 0.30
    assert 0.05 <= shares["kommun"] <= 0.11
    assert 0.03 <= shares["eu"] <= 0.09


def test_demo_users(demo):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    for username, code in (("samordnare04", "04"), ("samordnare05", "05")):
        user = User.objects.get(username=username)
        assert user.is_staff
        assert list(user.counties.values_list("code", flat=True)) == [code]
        assert list(user.groups.values_list("name", flat=True)) == [Role.COORDINATOR]
        assert user.check_password("demo-samordnare-2026")
    reviewer = User.objects.get(username="departementet")
    assert reviewer.is_staff and not reviewer.counties.exists()
    assert list(reviewer.groups.values_list("name", flat=True)) == [Role.REVIEWER]


def test_password_option_and_logins(capsys):
    with pytest.raises(CommandError, match="12 tecken"):
        seed(projects=5, password="kort")
    seed(projects=5, password="ett-eget-demolosenord")
    assert User.objects.get(username="samordnare05").check_password("ett-eget-demolosenord")
    call_command("seed_demo", logins=True)
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/admin/" in out
    assert "ett-eget-demolosenord" not in out  # only passwords it knows are shown
    for username in ("admin", "samordnare04", "samordnare05", "departementet"):
        assert username in out


def test_existing_user_keeps_password(django_user_model, capsys):
    django_user_model.objects.create_user(username="admin", password="mitt-riktiga-losenord")
    call_command("seed_demo", projects=5)
    admin = User.objects.get(username="admin")
    assert admin.check_password("mitt-riktiga-losenord") and admin.is_superuser
    out = capsys.readouterr().out
    assert "oförändrat" in out and "Skapat:" in out


def test_demo_reports_work_with_the_review_workflow(demo):
    from followup.services.reports import WorkflowError, county_report_submit

    returned = CountyReport.objects.get(county__code="04")
    assert returned.status == Status.RETURNED
    submitted = county_report_submit(
        report=returned, user=User.objects.get(username="samordnare04")
    )
    assert submitted.status == Status.SUBMITTED
    draft = CountyReport.objects.get(county__code="05")
    assert draft.status == Status.DRAFT
    with pytest.raises(WorkflowError, match="inte komplett"):
        county_report_submit(report=draft, user=User.objects.get(username="samordnare05"))


def test_the_query_planner_knows_the_demo_data():
    seed(projects=20)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'agreements_project'")
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_user_tables"
                " WHERE relname = 'agreements_project' AND last_analyze IS NOT NULL"
            )
        assert cursor.fetchone()[0] > 0
