"""The admin: every registered model's pages render, changelists do not run a query per row,
and the pages a coordinator enters a county with behave (inlines, choices, errors in Swedish)."""

import datetime
import math
from decimal import Decimal
from functools import cached_property

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.admin import CountyScopedAdmin
from agreements.models import (
    Agreement,
    Cluster,
    ClusterActor,
    ClusterLink,
    County,
    FinancialFrame,
    FinancingLine,
    FinancingSource,
    Measure,
    Municipality,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipMember,
    PriorityArea,
    Project,
)
from core import access
from core.raw_load import raw_load
from core.roles import Role, ensure_role_groups
from followup.models import (
    ApiThrottleWindow,
    ApiToken,
    CountyReport,
    FollowUpRound,
    NationalConclusion,
    Notice,
    Observation,
    ReviewComment,
    ReviewEvent,
    Theme,
    User,
)
from tests import builders

pytestmark = pytest.mark.django_db

MANY = 200


def label(model) -> str:
    return model._meta.label


REGISTERED = sorted(admin.site._registry, key=label)


class World:
    """The parents that rows of every model hang on, built on first use."""

    @cached_property
    def county(self):
        return builders.county("04")

    @cached_property
    def municipality(self):
        return Municipality.objects.filter(county=self.county).first()

    @cached_property
    def agreement(self):
        return builders.agreement()

    @cached_property
    def area(self):
        return builders.priority_area(agreement_obj=self.agreement)

    @cached_property
    def measure(self):
        return builders.measure(area=self.area)

    @cached_property
    def owner(self):
        return builders.organisation(county=self.county, municipality=self.municipality)

    @cached_property
    def partnership(self):
        return builders.partnership(agreement=self.agreement)

    @cached_property
    def cluster(self):
        return builders.cluster()

    @cached_property
    def project(self):
        return builders.project(
            measure_obj=self.measure,
            owner=self.owner,
            municipality=self.municipality,
            partnership=self.partnership,
            cluster=self.cluster,
        )

    @cached_property
    def round(self):
        return builders.follow_up_round()

    @cached_property
    def report(self):
        return builders.county_report(round_obj=self.round)

    @cached_property
    def user(self):
        return User.objects.create_user(username="samordnare", password="x" * 16)

    def organisations(self, n, prefix):
        return Organisation.objects.bulk_create(
            Organisation(
                name=f"{prefix} {i}",
                kind=builders.kind(),
                county=self.county,
                municipality=self.municipality,
            )
            for i in range(n)
        )


def _serial(model, n):
    """Numbers not used yet by earlier rows of the model (rows are built in two rounds)."""
    start = model.objects.count()
    return range(start, start + n)


def make_rows(world, model, n):
    """Build n rows of a registered model with bulk_create; return their primary keys."""
    maker = MAKERS.get(model)
    assert maker, f"No test data for {label(model)}: add a maker to tests/test_admin_pages.py"
    rows = maker(world, n)
    pks = [row.pk for row in rows]
    assert len(pks) == n and None not in pks
    return pks


def _counties(w, n):
    free = [f"{code:02d}" for code in range(22, 100)]
    free = [code for code in free if not County.objects.filter(code=code).exists()][:n]
    return County.objects.bulk_create(
        County(code=code, iso_letter=code, name=f"Testlän {code}", short_name=f"Test {code}")
        for code in free
    )


def _municipalities(w, n):
    return Municipality.objects.bulk_create(
        Municipality(
            code=f"9{i:03d}", name=f"Kommun {i}", official_name=f"Kommun {i}", county=w.county
        )
        for i in _serial(Municipality, n)
    )


def _kinds(w, n):
    return OrganisationKind.objects.bulk_create(
        OrganisationKind(code=f"typ-{i}", name=f"Typ {i}") for i in _serial(OrganisationKind, n)
    )


def _sources(w, n):
    return FinancingSource.objects.bulk_create(
        FinancingSource(code=f"kalla-{i}", name=f"Källa {i}", category="ovrigt")
        for i in _serial(FinancingSource, n)
    )


def _agreements(w, n):
    counties = list(County.objects.all())
    lead = builders.lead_body()
    return Agreement.objects.bulk_create(
        Agreement(
            county=counties[i % len(counties)],
            start_year=1900 + i,
            end_year=1903 + i,
            lead_body=lead,
            status=Agreement.Status.IN_FORCE,
        )
        for i in _serial(Agreement, n)
    )


def _areas(w, n):
    return PriorityArea.objects.bulk_create(
        PriorityArea(agreement=w.agreement, number=100 + i, name=f"Område {i}")
        for i in _serial(PriorityArea, n)
    )


def _measures(w, n):
    return Measure.objects.bulk_create(
        Measure(agreement=w.agreement, priority_area=w.area, number=100 + i, name=f"Åtgärd {i}")
        for i in _serial(Measure, n)
    )


def _frames(w, n):
    return FinancialFrame.objects.bulk_create(
        FinancialFrame(
            agreement=w.agreement,
            priority_area=w.area,
            measure=w.measure,
            source=builders.source(),
            year=1000 + i,
            amount=Decimal("1250000"),
        )
        for i in _serial(FinancialFrame, n)
    )


def _projects(w, n):
    owner = w.owner
    return Project.objects.bulk_create(
        Project(
            county=w.county,
            agreement=w.agreement,
            measure=w.measure,
            reference_number=f"T-{i}",
            title=f"Projekt {i}",
            owner=owner,
            municipality=w.municipality,
            partnership=w.partnership,
            cluster=w.cluster,
        )
        for i in _serial(Project, n)
    )


def _lines(w, n):
    return FinancingLine.objects.bulk_create(
        FinancingLine(
            project=w.project,
            source=builders.source(),
            financier=w.owner,
            year=2001,
            amount=Decimal("100000"),
        )
        for _ in range(n)
    )


def _partnerships(w, n):
    return Partnership.objects.bulk_create(
        Partnership(
            county=w.county,
            agreement=w.agreement,
            name=f"Partnerskap T{i}",
            level=Partnership.Level.LOCAL,
            kind=Partnership.Kind.ACTING,
            municipality=w.municipality,
        )
        for i in _serial(Partnership, n)
    )


def _members(w, n):
    return PartnershipMember.objects.bulk_create(
        PartnershipMember(partnership=w.partnership, organisation=org)
        for org in w.organisations(n, "Medlem")
    )


def _clusters(w, n):
    return Cluster.objects.bulk_create(
        Cluster(county=w.county, name=f"Kluster T{i}", delimitation="teknik")
        for i in _serial(Cluster, n)
    )


def _actors(w, n):
    return ClusterActor.objects.bulk_create(
        ClusterActor(cluster=w.cluster, organisation=org) for org in w.organisations(n, "Aktör")
    )


def _links(w, n):
    actors = _actors(w, n + 1)
    return ClusterLink.objects.bulk_create(
        ClusterLink(
            cluster=w.cluster,
            from_actor=actors[i],
            to_actor=actors[i + 1],
            direction=ClusterLink.Direction.VERTICAL,
            goods=True,
        )
        for i in range(n)
    )


def _users(w, n):
    users = User.objects.bulk_create(User(username=f"anvandare-{i}") for i in _serial(User, n))
    counties = list(County.objects.all()[:2])
    User.counties.through.objects.bulk_create(
        User.counties.through(user_id=user.pk, county_id=county.pk)
        for user in users
        for county in counties
    )
    return users


def _groups(w, n):
    return Group.objects.bulk_create(Group(name=f"Grupp {i}") for i in _serial(Group, n))


def _themes(w, n):
    return Theme.objects.bulk_create(
        Theme(code=f"tema-{i}", name=f"Tema {i}") for i in _serial(Theme, n)
    )


def _rounds(n):
    return FollowUpRound.objects.bulk_create(
        FollowUpRound(
            year=1000 + i,
            title=f"Omgång {i}",
            deadline=datetime.date(2001, 9, 15),
            status=FollowUpRound.Status.OPEN,
        )
        for i in _serial(FollowUpRound, n)
    )


def _rounds_maker(w, n):
    return _rounds(n)


def _reports(w, n):
    counties = list(County.objects.all())
    rounds = _rounds(math.ceil(n / len(counties)))
    pairs = [(r, c) for r in rounds for c in counties][:n]
    return CountyReport.objects.bulk_create(
        CountyReport(round=r, county=c, submitted_by=w.user, reviewed_by=w.user) for r, c in pairs
    )


def _observations(w, n):
    themes = list(Theme.objects.all())
    return Observation.objects.bulk_create(
        Observation(report=w.report, theme=themes[i % len(themes)], assessment=3, text=f"Text {i}")
        for i in range(n)
    )


def _conclusions(w, n):
    themes = list(Theme.objects.all())
    rounds = _rounds(math.ceil(n / len(themes)))
    pairs = [(r, t) for r in rounds for t in themes][:n]
    return NationalConclusion.objects.bulk_create(
        NationalConclusion(round=r, theme=t, text="Slutsats", written_by=w.user) for r, t in pairs
    )


def _events(w, n):
    return ReviewEvent.objects.bulk_create(
        ReviewEvent(
            report=w.report,
            action=ReviewEvent.Action.SUBMIT,
            from_status="utkast",
            to_status="inskickad",
            actor=w.user,
        )
        for _ in range(n)
    )


def _notices(w, n):
    return Notice.objects.bulk_create(
        Notice(round=w.report.round, county=w.report.county, kind=Notice.Kind.OVERDUE,
               key=f"v{i}", recipient=w.user, address="samordnare@example.se")
        for i in _serial(Notice, n)
    )  # fmt: skip


def _comments(w, n):
    with raw_load(audit=True):  # sent with a return, as the workflow leaves them
        event = ReviewEvent.objects.create(report=w.report, action=ReviewEvent.Action.RETURN,
                                           from_status="inskickad", to_status="returnerad",
                                           actor=w.user)  # fmt: skip
        return ReviewComment.objects.bulk_create(
            ReviewComment(report=w.report, author=w.user, text=f"Kommentar {i}", sent_with=event)
            for i in range(n)
        )


def _tokens(w, n):
    """API tokens as the profile page makes them (only a digest of each is stored)."""
    return ApiToken.objects.bulk_create(
        ApiToken(user=w.user, name=f"Nyckel {i}", prefix=f"tva_{i:08d}", digest=f"{i:064x}")
        for i in _serial(ApiToken, n)
    )


def _throttle_windows(w, n):
    now = timezone.now()
    return ApiThrottleWindow.objects.bulk_create(
        ApiThrottleWindow(key=f"token:{i}", window_start=now, requests=i)
        for i in _serial(ApiThrottleWindow, n)
    )


def _login_records(model, **extra):
    """django-axes' records of login attempts (written by axes itself; the admin only shows)."""

    def make(w, n):
        return model.objects.bulk_create(
            model(
                username=f"anvandare-{i}",
                ip_address="10.0.0.1",
                user_agent="test",
                http_accept="*/*",
                path_info="/konto/logga-in/",
                **extra,
            )
            for i in _serial(model, n)
        )

    return make


MAKERS = {
    AccessAttempt: _login_records(AccessAttempt, get_data="", post_data="", failures_since_start=1),
    AccessLog: _login_records(AccessLog),
    AccessFailureLog: _login_records(AccessFailureLog),
    County: _counties,
    Municipality: _municipalities,
    OrganisationKind: _kinds,
    Organisation: lambda w, n: w.organisations(n, "Organisation"),
    FinancingSource: _sources,
    Agreement: _agreements,
    PriorityArea: _areas,
    Measure: _measures,
    FinancialFrame: _frames,
    Project: _projects,
    FinancingLine: _lines,
    Partnership: _partnerships,
    PartnershipMember: _members,
    Cluster: _clusters,
    ClusterActor: _actors,
    ClusterLink: _links,
    User: _users,
    Group: _groups,
    Theme: _themes,
    FollowUpRound: _rounds_maker,
    CountyReport: _reports,
    Observation: _observations,
    NationalConclusion: _conclusions,
    ReviewEvent: _events,
    ReviewComment: _comments,
    Notice: _notices,
    ApiToken: _tokens,
    ApiThrottleWindow: _throttle_windows,
}
# Written only by the review workflow (or, for tokens, on each user's profile, and the throttle's
# counts by the API): the admin shows them but has no add page.
READ_ONLY = {
    ReviewEvent,
    ReviewComment,
    Notice,
    AccessAttempt,
    AccessLog,
    AccessFailureLog,
    ApiToken,
    ApiThrottleWindow,
}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


# --- Every model ---------------------------------------------------------------------------------


def test_every_model_of_the_project_is_registered():
    ours = [
        *apps.get_app_config("agreements").get_models(),
        *apps.get_app_config("followup").get_models(),
    ]
    # Historical models (the audit trail) are shown through their model's "Historik" page.
    ours = [model for model in ours if not hasattr(model, "instance_type")]
    # The financing totals are kept by the database (triggers), never edited by anyone.
    ours = [model for model in ours if model._meta.managed]
    missing = [label(model) for model in ours if model not in admin.site._registry]
    assert missing == []


def test_county_scoped_admins_name_the_same_county_path_as_the_access_module():
    scoped = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, CountyScopedAdmin)
    }
    assert {label(model) for model in scoped} >= {
        "agreements.Project",
        "agreements.FinancingLine",
        "followup.CountyReport",
        "followup.Observation",
    }
    for model, model_admin in scoped.items():
        assert model_admin.county_field == access.county_path(model), label(model)
    for model in admin.site._registry:
        if access.county_path(model):
            assert model in scoped, f"{label(model)} belongs to a county: use CountyScopedAdmin"


def test_site_header_is_swedish(superuser_client):
    response = superuser_client.get(reverse("admin:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tillväxtavtal – uppföljning" in content
    assert "Register över tillväxtavtal" in content
    assert "Länsrapporter" in content


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_changelist_add_and_change_pages_render(superuser_client, model):
    (pk,) = make_rows(World(), model, 1)
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "changelist") + "?q=test",
        admin_url(model, "change", pk),
    ):
        response = superuser_client.get(url)
        assert response.status_code == 200, url
        assert "Tillväxtavtal – uppföljning" in response.content.decode()
    response = superuser_client.get(admin_url(model, "add"))
    assert response.status_code == (403 if model in READ_ONLY else 200)
    if hasattr(model, "history"):
        response = superuser_client.get(admin_url(model, "history", pk))
        assert response.status_code == 200


def _related_widgets(context):
    """Every relation's widget on an admin form page: the record's own form and each inline's
    rows (the empty row the page copies for "Lägg till" included), as (in_a_row, widget)."""
    forms = [(False, context["adminform"].form)]
    for inline in context["inline_admin_formsets"]:
        forms += [(True, form) for form in (*inline.formset.forms, inline.formset.empty_form)]
    return [
        (in_row, field.widget)
        for in_row, form in forms
        for field in form.fields.values()
        if isinstance(field.widget, RelatedFieldWidgetWrapper)
    ]


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_no_form_offers_to_delete_a_related_record(superuser_client, model):
    # A red ✖ beside a project's *Avtal* opened the agreement's delete page. Checked on every
    # registered admin, so one added later without the shared mixin fails here.
    (pk,) = make_rows(World(), model, 1)
    pages = [admin_url(model, "change", pk)]
    if model not in READ_ONLY:
        pages.append(admin_url(model, "add"))
    for url in pages:
        response = superuser_client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert "delete-related" not in content, url
        assert "view-related" not in content, url  # leaves the form with what was typed
        for in_row, widget in _related_widgets(response.context):
            assert not widget.can_delete_related, url
            assert not widget.can_view_related, url
            # An inline row offers only to add: its fields stay narrow.
            assert not (in_row and widget.can_change_related), url


def test_a_projects_agreement_and_measure_offer_to_add_and_change_but_not_delete(
    superuser_client,
):
    (pk,) = make_rows(World(), Project, 1)
    content = superuser_client.get(admin_url(Project, "change", pk)).content.decode()
    for field in ("agreement", "measure"):
        assert f'id="add_id_{field}"' in content
        assert f'id="change_id_{field}"' in content
        assert f'id="delete_id_{field}"' not in content


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_changelist_queries_do_not_grow_with_rows(superuser_client, model):
    world = World()
    pks = make_rows(world, model, 1)
    base = admin_url(model, "changelist") + "?id__in="

    def count_queries():
        url = base + ",".join(map(str, pks))
        with CaptureQueriesContext(connection) as queries:
            response = superuser_client.get(url)
        assert response.status_code == 200
        shown = len(response.context["cl"].result_list)
        return [q["sql"] for q in queries.captured_queries], shown

    count_queries()  # warm up caches (content types, session)
    one, shown_one = count_queries()
    assert shown_one == 1

    pks += make_rows(world, model, MANY - 1 if model is not County else 40)
    many, shown_many = count_queries()
    assert shown_many > 1
    assert len(many) == len(one), "\n".join(many)


# --- The agreement page ---------------------------------------------------------------------------


def _inline_formset(response, model):
    for inline_formset in response.context["inline_admin_formsets"]:
        if inline_formset.formset.model is model:
            return inline_formset.formset
    raise AssertionError(f"No inline for {label(model)} on the page")


def test_agreement_change_page_has_areas_measures_and_frames_inline(superuser_client):
    agreement = builders.agreement()
    area = builders.priority_area(agreement_obj=agreement, name="Kompetensförsörjning")
    measure = builders.measure(area=area, name="Yrkesutbildning i länet")
    builders.frame(area=area, measure=measure, amount="1250000")
    other = builders.priority_area(
        agreement_obj=builders.agreement(county_code="05"), name="Östgötskt område"
    )
    builders.measure(area=other, name="Östgötsk åtgärd")

    response = superuser_client.get(admin_url(Agreement, "change", agreement.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Yrkesutbildning i länet" in content
    assert "1\xa0250\xa0000" in content  # the frame's amount, Swedish format
    areas = _inline_formset(response, PriorityArea)
    assert [form.instance for form in areas.initial_forms] == [area]
    measures = _inline_formset(response, Measure)
    frames = _inline_formset(response, FinancialFrame)
    assert [form.instance for form in measures.forms] == [measure]
    assert len(frames.forms) == 1 and frames.forms[0].instance.measure == measure
    # Measures and frames name their area (and measure) by number within this agreement.
    assert measures.forms[0].initial["area_number"] == area.number
    assert frames.forms[0].initial["area_number"] == area.number
    assert frames.forms[0].initial["measure_number"] == measure.number
    assert "Östgötskt område" not in content
    assert "Östgötsk åtgärd" not in content


def _new_agreement_post() -> dict:
    """Östergötland's agreement 2004–2007 as the add page posts it, before its rows."""
    return {
        "county": builders.county("05").pk,
        "kind": Agreement.Kind.GROWTH_AGREEMENT,
        "start_year": "2004",
        "end_year": "2007",
        "lead_body": builders.lead_body("05").pk,
        "status": Agreement.Status.IN_FORCE,
    }


def test_an_agreement_is_entered_in_one_sitting(superuser_client):
    """Areas, their measures and frames on the add page at once: no save in between."""
    builders.priority_area(agreement_obj=builders.agreement(), name="Ett annat avtals område")
    page = superuser_client.get(admin_url(Agreement, "add"))
    assert "Ett annat avtals område" not in page.content.decode()
    county = builders.county("05")
    data = _new_agreement_post() | {
        **_management("priority_areas", total=2),
        "priority_areas-0-number": "1",
        "priority_areas-0-name": "Näringsliv",
        "priority_areas-1-number": "2",
        "priority_areas-1-name": "Kompetens",
        **_management("measures", total=3),
        "measures-0-area_number": "1",
        "measures-0-number": "1",
        "measures-0-name": "Nyföretagande",
        "measures-1-area_number": "2",
        "measures-1-number": "1",
        "measures-1-name": "Yrkesutbildning",
        "measures-2-area_number": "2",
        "measures-2-number": "2",
        "measures-2-name": "Högskolesamverkan",
        **_management("frames", total=2),
        "frames-0-area_number": "1",
        "frames-0-source": builders.source().pk,
        "frames-0-year": "2004",
        "frames-0-amount": "2 500 000",
        "frames-1-area_number": "2",
        "frames-1-measure_number": "2",
        "frames-1-source": builders.source().pk,
        "frames-1-year": "2005",
        "frames-1-amount": "750 000",
    }

    response = superuser_client.post(admin_url(Agreement, "add"), data)

    assert response.status_code == 302, _errors(response)
    agreement = Agreement.objects.get(county=county, start_year=2004)
    assert sorted((m.priority_area.number, m.number, m.name) for m in agreement.measures.all()) == [
        (1, 1, "Nyföretagande"),
        (2, 1, "Yrkesutbildning"),
        (2, 2, "Högskolesamverkan"),
    ]
    frames = {(f.priority_area.name, f.measure and f.measure.name, f.amount)
              for f in FinancialFrame.objects.filter(agreement=agreement)}  # fmt: skip
    assert frames == {
        ("Näringsliv", None, Decimal("2500000")),
        ("Kompetens", "Högskolesamverkan", Decimal("750000")),
    }


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"measures-0-area_number": "3"}, "area_number", "inget insatsområde nr 3"),
        ({"frames-0-measure_number": "9"}, "measure_number", "ingen åtgärd nr 9"),
        ({"frames-0-year": "2010"}, "year", "utanför avtalets period 2004–2007"),
    ],
)
def test_a_number_that_is_not_on_the_page_is_told_at_its_row(superuser_client, row, field,
                                                              message):  # fmt: skip
    data = (
        _new_agreement_post()
        | {
            **_management("priority_areas", total=1),
            "priority_areas-0-number": "1",
            "priority_areas-0-name": "Näringsliv",
            **_management("measures", total=1),
            "measures-0-area_number": "1",
            "measures-0-number": "1",
            "measures-0-name": "Nyföretagande",
            **_management("frames", total=1),
            "frames-0-area_number": "1",
            "frames-0-measure_number": "1",
            "frames-0-source": builders.source().pk,
            "frames-0-year": "2004",
            "frames-0-amount": "100",
        }
        | row
    )
    response = superuser_client.post(admin_url(Agreement, "add"), data)
    assert response.status_code == 200
    prefix = "measures" if row.keys() >= {"measures-0-area_number"} else "frames"
    formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix
    )
    assert message in " ".join(formset.forms[0].errors[field])
    assert not Agreement.objects.filter(start_year=2004).exists()


def test_measures_entered_on_the_agreement_page_get_the_agreement(superuser_client):
    agreement = builders.agreement()
    area = builders.priority_area(agreement_obj=agreement)
    data = {
        "county": agreement.county_id,
        "kind": agreement.kind,
        "start_year": "2000",
        "end_year": "2003",
        "lead_body": agreement.lead_body_id,
        "status": agreement.status,
        "version": agreement.version,
        **_management("priority_areas", initial=1, total=1),
        "priority_areas-0-id": area.pk,
        "priority_areas-0-version": area.version,
        "priority_areas-0-agreement": agreement.pk,
        "priority_areas-0-number": "1",
        "priority_areas-0-name": area.name,
        **_management("measures", total=1),
        "measures-0-area_number": "1",
        "measures-0-number": "2",
        "measures-0-name": "Nyföretagande",
        **_management("frames", total=1),
        "frames-0-area_number": "1",
        "frames-0-source": builders.source().pk,
        "frames-0-year": "2001",
        "frames-0-amount": "2 500 000",
    }

    response = superuser_client.post(admin_url(Agreement, "change", agreement.pk), data)

    assert response.status_code == 302, _errors(response)
    measure = Measure.objects.get(name="Nyföretagande")
    assert measure.agreement == agreement and measure.priority_area == area
    frame = FinancialFrame.objects.get()
    assert frame.agreement == agreement and frame.amount == Decimal("2500000")


# --- Entering a project ---------------------------------------------------------------------------


def _management(prefix, *, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _errors(response):
    if response.context is None:
        return response
    errors = [response.context["adminform"].form.errors]
    errors += [fs.formset.errors for fs in response.context["inline_admin_formsets"]]
    return errors


def _project_post(measure_obj, *, amounts=("250 000", "1250000,50"), **overrides):
    agreement = measure_obj.agreement
    owner = builders.organisation(name="Eskilstuna Energi AB")
    data = {
        "county": agreement.county_id,
        "reference_number": "301-4711-01",
        "title": "Tunga fordon i Eskilstuna",
        "status": Project.Status.GRANTED,
        "agreement": agreement.pk,
        "measure": measure_obj.pk,
        "owner": owner.pk,
        "start_date": "2001-01-01",
        "end_date": "2002-12-31",
        "description": "",
        **_management("financing_lines", total=len(amounts)),
    }
    sources = list(FinancingSource.objects.all()[: len(amounts)])
    for i, (amount, source) in enumerate(zip(amounts, sources, strict=True)):
        data |= {
            f"financing_lines-{i}-source": source.pk,
            f"financing_lines-{i}-financier": owner.pk,
            f"financing_lines-{i}-year": "2001",
            f"financing_lines-{i}-amount": amount,
            f"financing_lines-{i}-kind": FinancingLine.Kind.DECIDED,
            f"financing_lines-{i}-note": "",
        }
    return data | overrides


@pytest.fixture
def measure():
    area = builders.priority_area(agreement_obj=builders.agreement())
    return builders.measure(area=area)


def test_project_with_two_financing_lines_is_entered_on_the_add_page(superuser_client, measure):
    response = superuser_client.post(admin_url(Project, "add"), _project_post(measure))

    assert response.status_code == 302, _errors(response)
    project = Project.objects.get()
    assert project.reference_number == "301-4711-01"
    assert project.county == measure.agreement.county
    amounts = sorted(line.amount for line in project.financing_lines.all())
    # Swedish input: a space as thousand separator and a decimal comma.
    assert amounts == [Decimal("250000"), Decimal("1250000.50")]

    changelist = superuser_client.get(admin_url(Project, "changelist")).content.decode()
    assert "301-4711-01" in changelist
    assert "1\xa0500\xa0000,50" in changelist  # the decided total, in Swedish format


def test_negative_amount_is_refused_in_swedish_and_nothing_is_saved(superuser_client, measure):
    data = _project_post(measure, amounts=("100000", "-5000"))

    response = superuser_client.post(admin_url(Project, "add"), data)

    assert response.status_code == 200
    assert "Beloppet får inte vara negativt." in response.content.decode()
    assert not Project.objects.exists()
    assert not FinancingLine.objects.exists()


def test_measure_of_another_agreement_is_refused_in_swedish(superuser_client, measure):
    other_area = builders.priority_area(agreement_obj=builders.agreement(county_code="05"))
    other_measure = builders.measure(area=other_area)
    data = _project_post(measure, measure=other_measure.pk)

    response = superuser_client.post(admin_url(Project, "add"), data)

    assert response.status_code == 200
    assert "Åtgärden hör till ett annat avtal än projektets." in response.content.decode()
    assert not Project.objects.exists()
    assert not FinancingLine.objects.exists()


# --- Other inlines with limited choices -----------------------------------------------------------


def _cluster_post(actors, links, **extra):
    data = {
        "county": builders.county("04").pk,
        "name": "Tunga fordon",
        "delimitation": Cluster.Delimitation.TECHNOLOGY,
        **_management("actors", total=len(actors)),
        **_management("links", total=len(links)),
    }
    for i, (organisation, in_group) in enumerate(actors):
        data[f"actors-{i}-organisation"] = organisation.pk
        if in_group:
            data[f"actors-{i}-in_working_group"] = "on"
    for i, (source, target) in enumerate(links):
        data |= {
            f"links-{i}-from_organisation": source.pk,
            f"links-{i}-to_organisation": target.pk,
            f"links-{i}-direction": ClusterLink.Direction.VERTICAL,
            f"links-{i}-goods": "on",
            f"links-{i}-description": "Hytter till chassin",
        }
    return data | extra


def test_a_cluster_is_entered_in_one_sitting(superuser_client):
    """Actors and the links between them on the add page at once: no save in between."""
    maker, supplier, agency = (builders.organisation() for _ in range(3))
    data = _cluster_post(
        [(maker, True), (supplier, False), (agency, True)], [(supplier, maker), (agency, maker)]
    )
    response = superuser_client.post(admin_url(Cluster, "add"), data)
    assert response.status_code == 302, _errors(response)
    cluster = Cluster.objects.get(name="Tunga fordon")
    assert {(link.from_actor.organisation, link.to_actor.organisation) for link in
            cluster.links.all()} == {(supplier, maker), (agency, maker)}  # fmt: skip
    assert all(link.description == "Hytter till chassin" for link in cluster.links.all())

    # The link's organisation fields search as the actors' do (the widget's JSON endpoint).
    found = superuser_client.get(
        "/admin/autocomplete/",
        {"app_label": "agreements", "model_name": "clusteractor", "field_name": "organisation",
         "term": maker.name},
    )  # fmt: skip
    assert found.status_code == 200
    assert str(maker.pk) in [r["id"] for r in found.json()["results"]]

    page = superuser_client.get(admin_url(Cluster, "change", cluster.pk))
    links = _inline_formset(page, ClusterLink)
    shown = {(f.initial["from_organisation"], f.initial["to_organisation"]) for f in
             links.initial_forms}  # fmt: skip
    assert shown == {(supplier.pk, maker.pk), (agency.pk, maker.pk)}


@pytest.mark.parametrize(
    ("links", "field", "message"),
    [
        ("outsider", "from_organisation", "är inte en aktör i klustret"),
        ("itself", "to_organisation", "från en aktör till sig själv"),
    ],
)
def test_a_link_to_no_actor_on_the_page_is_told_at_its_field(superuser_client, links, field,
                                                             message):  # fmt: skip
    maker, supplier, outsider = (builders.organisation() for _ in range(3))
    pair = (outsider, maker) if links == "outsider" else (maker, maker)
    data = _cluster_post([(maker, True), (supplier, False)], [pair])
    response = superuser_client.post(admin_url(Cluster, "add"), data)
    assert response.status_code == 200
    formset = _inline_formset(response, ClusterLink)
    assert message in " ".join(formset.forms[0].errors[field])
    assert not Cluster.objects.filter(name="Tunga fordon").exists()


def test_observation_themes_are_the_rounds_themes(superuser_client):
    round_obj = builders.follow_up_round()
    chosen = list(Theme.objects.all()[:2])
    round_obj.themes.set(chosen)
    report = builders.county_report(round_obj=round_obj)

    response = superuser_client.get(admin_url(CountyReport, "change", report.pk))

    observations = _inline_formset(response, Observation)
    assert list(observations.empty_form.fields["theme"].queryset) == chosen


def test_user_admin_assigns_counties(superuser_client):
    user = User.objects.create_user(username="samordnare", password="x" * 16)

    response = superuser_client.get(admin_url(User, "change", user.pk))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "counties" in form.fields
    assert "counties" in admin.site._registry[User].filter_horizontal


# --- Lost updates and the review workflow ---------------------------------------------------------


def test_a_stale_save_in_the_admin_is_refused_in_swedish(superuser_client, measure):
    project = builders.project(measure_obj=measure, title="Ursprunglig titel")
    url = admin_url(Project, "change", project.pk)
    form = superuser_client.get(url).context["adminform"].form
    assert form["version"].value() == "1"  # the version the page carries, as posted
    data = _project_post(measure, amounts=(), title="Min titel", version="1")
    data["reference_number"] = project.reference_number
    data["owner"] = project.owner_id
    Project.objects.get(pk=project.pk).save()  # someone else saves meanwhile (version 2)

    response = superuser_client.post(url, data, follow=True)

    assert "Någon annan har ändrat" in response.content.decode()
    assert Project.objects.get(pk=project.pk).title == "Ursprunglig titel"


def test_a_save_from_the_current_version_goes_through(superuser_client, measure):
    project = builders.project(measure_obj=measure, title="Ursprunglig titel")
    data = _project_post(measure, amounts=(), title="Ny titel", version="1")
    data["reference_number"] = project.reference_number

    response = superuser_client.post(admin_url(Project, "change", project.pk), data)

    assert response.status_code == 302, _errors(response)
    project.refresh_from_db()
    assert (project.title, project.version) == ("Ny titel", 2)


def test_report_status_changes_only_through_the_workflow_actions(client, django_user_model):
    coordinator = django_user_model.objects.create_user(
        username="samordnare", password="x" * 16, is_staff=True
    )
    coordinator.groups.add(ensure_role_groups()[Role.COORDINATOR])
    coordinator.counties.set([builders.county("04")])
    client.force_login(coordinator)
    round_obj = builders.follow_up_round()
    complete = builders.county_report(round_obj=round_obj, county_code="04")
    for theme in round_obj.themes.all():
        builders.observation(report=complete, theme=theme)
    incomplete = builders.county_report(round_obj=builders.follow_up_round(year=2002))
    change_page = client.get(admin_url(CountyReport, "change", complete.pk))
    assert "status" not in change_page.context["adminform"].form.fields

    response = client.post(
        admin_url(CountyReport, "changelist"),
        {"action": "submit_reports", "_selected_action": [complete.pk, incomplete.pk]},
        follow=True,
    )

    content = response.content.decode()
    assert "1 rapporter skickades in." in content
    assert "Rapporten är inte komplett." in content
    complete.refresh_from_db()
    incomplete.refresh_from_db()
    assert complete.status == CountyReport.Status.SUBMITTED
    assert complete.submitted_by == coordinator
    assert incomplete.status == CountyReport.Status.DRAFT
