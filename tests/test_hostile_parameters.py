"""Hostile addresses: every filter, sort and page parameter of every list, with values out of
range, not numbers, Unicode digits and huge page numbers, answers an empty list, the admin's
"invalid filter" answer (a redirect to ``?e=1``) or a 400/404 page — never a server error.

The parameters are found, not listed: every model registered in the admin with its list
filters, date hierarchy, search and the lookups on its own fields that the admin accepts in
the address; every list of the site (``followup.site.views.lists.LISTS``) with every filter of
its FilterSet; every address of the site with a number in its path. A filter added later is
fuzzed here without a change to this file.
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.filters import FieldListFilter, SimpleListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ERROR_FLAG
from django.db import models, transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, reverse

from core.roles import Role
from followup.models import ReviewEvent, User
from followup.site import urls as site_urls
from followup.site.views.lists import LISTS, PAGE_PARAM
from tests import builders
from tests.conftest import _make_user

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
# Values no filter expects: out of range both ways, Unicode digits (Arabic-Indic, superscript),
# a NUL (which PostgreSQL refuses in any string).
VALUES = [HUGE, "-" + HUGE, "٢٠٠١", "²", "1\x00"]
PERSONAS = ("superuser", "coordinator_04")

# The date hierarchy's last days: a year, month or day after them does not exist.
DATE_HIERARCHY_EDGES = [
    {"year": "9999"},
    {"year": "9999", "month": "12"},
    {"year": "9999", "month": "12", "day": "31"},
    {"year": "1", "month": "1", "day": "1"},
    {"year": "2001", "month": HUGE},
    {"year": "2001", "month": "1", "day": HUGE},
    {"month": HUGE},
    {"day": "٣١"},
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Rows in every list, built once for the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        users = {
            "superuser": User.objects.create_superuser(
                username="admin", password="not-a-real-password"
            ),
            "coordinator_04": _make_user(
                User, "samordnare04", role=Role.COORDINATOR, counties=["04"]
            ),
        }
        for code in ("04", "05"):
            agreement = builders.agreement(county_code=code, signed_on=datetime.date(2000, 3, 1))
            area = builders.priority_area(agreement_obj=agreement)
            measure = builders.measure(area=area)
            builders.frame(area=area, measure=measure)
            partnership = builders.partnership(county_code=code, agreement=agreement)
            builders.member(partnership_obj=partnership)
            cluster = builders.cluster(county_code=code)
            actor = builders.cluster_actor(cluster_obj=cluster)
            builders.cluster_link(
                from_actor=actor, to_actor=builders.cluster_actor(cluster_obj=cluster)
            )
            project = builders.project(measure_obj=measure, partnership=partnership)
            builders.financing_line(project_obj=project)
        round_obj = builders.follow_up_round(year=2001)
        report = builders.county_report(round_obj=round_obj, county_code="04")
        builders.observation(report=report)
        ReviewEvent.objects.create(
            report=report,
            action=ReviewEvent.Action.SUBMIT,
            from_status="utkast",
            to_status="inskickad",
            actor=users["coordinator_04"],
        )
        yield {"users": users, "round": round_obj}
        transaction.set_rollback(True)


def logged_in(world, persona) -> Client:
    client = Client(raise_request_exception=False)  # a server error is counted, not raised
    client.force_login(world["users"][persona])
    return client


def answer(client, url, params, failures, followed):
    """The response to ``url?params``; a server error is added to ``failures``. The admin's
    "invalid filter" redirect is followed once per list (``followed``)."""
    response = client.get(url, params)
    if response.status_code >= 500:
        failures.append((url, params, response.status_code))
    elif response.status_code == 302 and ERROR_FLAG in response["Location"]:
        # The admin's answer to a filter it cannot apply: the list without it.
        location = response["Location"]
        if location not in followed:
            followed.add(location)
            if client.get(location).status_code != 200:
                failures.append((url, params, location))
    return response


# --- The admin ----------------------------------------------------------------------------------


def _filter_parameters(model, model_admin, request) -> set[str]:
    """The GET names of every list filter of ``model_admin``, as the changelist reads them."""
    names: set[str] = set()
    for spec in model_admin.get_list_filter(request):
        if isinstance(spec, type) and issubclass(spec, SimpleListFilter):
            names.add(spec.parameter_name)
            continue
        path, filter_class = spec if isinstance(spec, (list, tuple)) else (spec, None)
        field = get_fields_from_path(model, path)[-1]
        create = filter_class or FieldListFilter.create
        names |= set(create(field, request, {}, model, model_admin, path).expected_parameters())
    return names


def admin_queries(model, model_admin, request, *, everything=True) -> list[dict[str, str]]:
    """Every hostile query of one changelist: one parameter at a time (a parameter the admin
    refuses would hide the ones after it). Without ``everything``, only the list's filters and
    date hierarchy (whose choices depend on who asks)."""
    queries = []
    for name in sorted(_filter_parameters(model, model_admin, request)):
        # "Is empty" takes any value as yes or no: one value is enough.
        values = [HUGE] if name.endswith("__isnull") else VALUES
        queries += [{name: value} for value in values]
    if model_admin.date_hierarchy:
        prefix = model_admin.date_hierarchy
        for part in ("year", "month", "day"):
            queries += [{f"{prefix}__{part}": value} for value in VALUES]
        queries += [
            {f"{prefix}__{part}": value for part, value in edge.items()}
            for edge in DATE_HIERARCHY_EDGES
        ]
    if everything:
        for name in ("o", "p"):  # the sort order (column numbers) and the page
            queries += [{name: value} for value in VALUES]
        queries += [{"o": f"1.-2.{HUGE}"}, {"all": HUGE}]
        if model_admin.get_search_fields(request):
            queries += [{"q": value} for value in (HUGE, "1\x00")]
        queries += _own_field_queries(model)
    return queries


def _own_field_queries(model) -> list[dict[str, str]]:
    """What the admin accepts in the address besides its filters: lookups on the model's own
    fields (ModelAdmin.lookup_allowed), with the values that could overflow each kind."""
    queries = [{"pk__in": f"1,{HUGE}"}, {"pk__lt": "-" + HUGE}]
    for field in model._meta.concrete_fields:
        name = field.name
        if isinstance(field, (models.IntegerField, models.DecimalField, models.ForeignKey)):
            queries += [{f"{name}__in": f"1,{HUGE}"}, {f"{name}__gte": HUGE}]
        elif isinstance(field, models.DateTimeField):  # in UTC a moment after year 9999
            queries += [{f"{name}__year": HUGE}, {f"{name}__gte": "9999-12-31T23:00-05:00"}]
        elif isinstance(field, models.DateField):
            queries += [{f"{name}__year": HUGE}, {f"{name}__gte": "9999-12-31"}]
        else:
            queries.append({f"{name}__exact": "1\x00"})
    return queries


REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label_lower)
ADMIN_CASES = [(model, persona) for model in REGISTERED for persona in PERSONAS]


@pytest.mark.parametrize(
    ("model", "persona"),
    ADMIN_CASES,
    ids=[f"{model._meta.label_lower}-{persona}" for model, persona in ADMIN_CASES],
)
def test_every_admin_list_survives_hostile_parameters(world, model, persona):
    model_admin = admin.site._registry[model]
    user = world["users"][persona]
    request = RequestFactory().get("/")
    request.user = user
    client = logged_in(world, persona)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code in (200, 403)
    failures: list = []
    followed: set[str] = set()
    # Sorting, paging, search and the lookups on the model's own fields go through the same list
    # code for everyone: the administrator tries them.
    queries = admin_queries(model, model_admin, request, everything=persona == "superuser")
    for params in queries:
        answer(client, url, params, failures, followed)
    assert not failures, "\n".join(map(repr, failures))


def test_a_year_past_the_calendar_is_the_admins_invalid_filter_answer(world):
    """The issue's case: a 30-digit year on the projects' and the reports' lists."""
    client = logged_in(world, "superuser")
    for url, param in (
        (reverse("admin:agreements_project_changelist"), "start_date__year"),
        (reverse("admin:followup_countyreport_changelist"), "submitted_at__year"),
    ):
        response = client.get(url, {param: HUGE})
        assert response.status_code == 302
        assert response["Location"] == f"{url}?{ERROR_FLAG}=1"
        # The last year of the calendar: PostgreSQL finds nothing in it, SQLite cannot count
        # past it (the admin's wrong-filter answer); either way, never an error page.
        response = client.get(url, {param: "9999"})
        if response.status_code == 302:
            assert response["Location"] == f"{url}?{ERROR_FLAG}=1"
        else:
            assert response.status_code == 200
            assert response.context["cl"].result_count == 0
    url = reverse("admin:agreements_project_changelist")
    response = client.get(url, {"county__id__exact": "99999999999999999999999"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    # An id past the largest integer in a list of ids: PostgreSQL compares it as a number and
    # lists what matches; SQLite cannot take it (the admin's wrong-filter answer).
    response = client.get(url, {"id__in": f"1,{HUGE}"})
    if response.status_code == 302:
        assert response["Location"] == f"{url}?{ERROR_FLAG}=1"
    else:
        assert response.status_code == 200
        assert set(response.context["cl"].queryset.values_list("pk", flat=True)) <= {1}


# --- The site ------------------------------------------------------------------------------------

SITE_CASES = [(name, persona) for name in sorted(LISTS) for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), SITE_CASES, ids=["-".join(c) for c in SITE_CASES])
def test_every_site_list_survives_hostile_parameters(world, name, persona):
    client = logged_in(world, persona)
    user = world["users"][persona]
    filters = LISTS[name].filterset(user=user, params={}).filters
    names = [*filters, PAGE_PARAM, "page", "ordering"]
    page = reverse(f"site:{name}")
    downloads = [reverse(f"site:{name}_{kind}") for kind in ("csv", "xlsx")]
    failures: list = []
    followed: set[str] = set()
    for param in names:
        for value in VALUES:
            response = answer(client, page, {param: value}, failures, followed)
            if response.status_code not in (200, 400):
                failures.append((page, param, value, response.status_code))
        for value in (HUGE,):  # a download reads the same FilterSet as the page
            for url in downloads:
                response = answer(client, url, {param: value}, failures, followed)
                if response.status_code not in (200, 400):
                    failures.append((url, param, value, response.status_code))
                else:
                    b"".join(response.streaming_content) if response.streaming else response.content
    assert not failures, "\n".join(map(repr, failures))


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("projects", {"year": HUGE}, "year"),
        ("projects", {"year": "٢٠٠١"}, "year"),
        ("projects", {"year": "²"}, "year"),
        ("projects", {"amount_min": HUGE}, "amount_min"),
        ("projects", {"amount_max": "-" + HUGE}, "amount_max"),
        ("observations", {"theme": "١"}, "theme"),
        ("observations", {"theme": HUGE}, "theme"),
    ],
)
def test_a_number_out_of_range_or_not_in_ascii_digits_is_explained(world, name, params, field):
    """The value is said to be wrong next to its field and filters nothing; the list shows what
    it would without it."""
    client = logged_in(world, "superuser")
    unfiltered = client.get(reverse(f"site:{name}")).context["page"].paginator.count
    response = client.get(reverse(f"site:{name}"), params)
    assert response.status_code == 200
    assert f'id="id_{field}-fel"' in response.content.decode()
    assert response.context["page"].paginator.count == unfiltered > 0


def _site_paths_with_numbers():
    """Every address of the site with a number in its path, the number made huge."""
    for pattern in site_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        converters = pattern.pattern.converters
        if not any(type(c).__name__ == "IntConverter" for c in converters.values()):
            continue
        kwargs = {
            name: HUGE if type(converter).__name__ == "IntConverter" else "04"
            for name, converter in converters.items()
        }
        yield pattern.name, kwargs


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_huge_number_in_a_site_address_is_not_found(world, persona):
    client = logged_in(world, persona)
    names = []
    for name, kwargs in _site_paths_with_numbers():
        names.append(name)
        url = reverse(f"site:{name}", kwargs=kwargs)
        response = client.get(url)
        assert response.status_code in (404, 405), (url, response.status_code)
    assert "board" in names
    assert client.get(f"/omgang/{HUGE}/").status_code == 404


ADD_CASES = [model for model in REGISTERED if admin.site._registry[model].has_add_permission]


@pytest.mark.parametrize("model", ADD_CASES, ids=[m._meta.label_lower for m in ADD_CASES])
def test_an_add_form_ignores_starting_values_nothing_can_take(world, model):
    """The add form takes starting values from the address (?owner=12); one the database
    cannot take gives the empty form, never a server error."""
    client = logged_in(world, "superuser")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    if client.get(url).status_code != 200:
        return  # no add form for this model (written by the system only)
    fields = [f.name for f in model._meta.get_fields() if f.concrete and not f.auto_created]
    failures: list = []
    for name in fields:
        for value in VALUES:
            response = client.get(url, {name: value})
            if response.status_code >= 500:
                failures.append((name, value, response.status_code))
            elif response.status_code == 302:
                assert response["Location"] == url
    assert not failures, "\n".join(map(repr, failures))
