"""The access matrix: every model registered in the admin and every other URL, for every persona.

Personas: the coordinators of Södermanland (04) and Östergötland (05), the ministry reviewer, a
staff user without a role, and an anonymous visitor. Actions: the list (which rows), view, add,
change (GET and a forged POST), delete (page, POST and the bulk action), history, autocomplete.

Another county's object must answer exactly like an object that does not exist (same status and
same redirect); a refused write must leave the row unchanged in the database. A model newly
registered in the admin, or a new URL, fails here until it has a row in the tables below.
"""

import json
import re

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from agreements.models import FinancingSource, Municipality, OrganisationKind, Project
from core import access
from core.raw_load import raw_load
from core.roles import Role, ensure_role_groups
from followup.models import (
    ApiThrottleWindow,
    CountyReport,
    NationalConclusion,
    Notice,
    Observation,
    ReportStatus,
    ReviewComment,
    ReviewEvent,
    Theme,
    User,
)
from followup.models.statuses import WITH_THE_MINISTRY
from followup.services.reports import county_report_return, county_report_submit
from followup.services.tokens import api_token_create
from tests import builders
from tests.admin_forms import page_form_data
from tests.conftest import _make_user
from tests.test_admin_pages import _project_post, admin_url

pytestmark = pytest.mark.django_db

PERSONAS = [
    "coordinator_04",
    "coordinator_05",
    "reviewer",
    "staff_without_role",
    "anonymous",
    # Two roles at once: each may do what either role may, and nothing more.
    "coordinator_04_reviewer",
    "coordinator_04_05",
]
COUNTIES_OF = {
    "coordinator_04": ("04",),
    "coordinator_05": ("05",),
    "coordinator_04_reviewer": ("04",),
    "coordinator_04_05": ("04", "05"),
}
REVIEWERS = ("reviewer", "coordinator_04_reviewer")
NONEXISTENT = 999999

# Words put into the names and texts of one county's rows; the other county never sees them.
# A draft's content is marked too: the reviewer never sees it.
MARK = {"04": "Sörmlandsmärke", "05": "Östgötamärke"}
DRAFT_MARK = "Utkastmärke"
# What Södermanland writes in its report after the ministry returned it: the county's own work
# until it submits again, never shown to the reviewer (who reads the report as submitted).
WORK_MARK = "Kompletteringsmärke"

# --- Outcomes ---------------------------------------------------------------------------------
OK = "200"  # the page is shown
DENIED = "403"  # permission denied
MISSING = "missing"  # the same answer as for an id that does not exist; nothing changes
SAVED = "saved"  # the forged POST is a valid edit of one's own row: saved (302) and changed
LOGIN = "login"  # a redirect to a login page (the admin's or the site's)
# List outcomes: which rows the changelist (and an autocomplete on the model) shows.
OWN = "own county"
ALL = "all rows"
SUBMITTED = "all but drafts"
WITH_MINISTRY = "submitted or approved"
OWN_OR_SUBMITTED = "own county's and the others' but drafts"


def row(*, list, view, add, post, delete, history):
    """One persona's outcomes; object actions are (Södermanland's object, Östergötland's)."""
    return {
        "list": list,
        "view": view,
        "add": add,
        "post": post,
        "delete": delete,
        "history": history,
    }


def both(outcome):
    return (outcome, outcome)


ANONYMOUS = row(
    list=LOGIN,
    view=both(LOGIN),
    add=LOGIN,
    post=both(LOGIN),
    delete=both(LOGIN),
    history=both(LOGIN),
)
# A role-less staff user has no model permissions; a history page of rows they cannot see
# answers like a missing object (404 for audited models, Django's redirect otherwise).
NO_ROLE = row(
    list=DENIED,
    view=both(DENIED),
    add=DENIED,
    post=both(DENIED),
    delete=both(DENIED),
    history=both(MISSING),
)

# The register: each county's own, read by the reviewer.
REGISTER = {
    "coordinator_04": row(
        list=OWN,
        view=(OK, MISSING),
        add=OK,
        post=(SAVED, MISSING),
        delete=(OK, MISSING),
        history=(OK, MISSING),
    ),
    "coordinator_05": row(
        list=OWN,
        view=(MISSING, OK),
        add=OK,
        post=(MISSING, SAVED),
        delete=(MISSING, OK),
        history=(MISSING, OK),
    ),
    "reviewer": row(
        list=ALL,
        view=both(OK),
        add=DENIED,
        post=both(DENIED),
        delete=both(DENIED),
        history=both(OK),
    ),
    "staff_without_role": NO_ROLE,
    "anonymous": ANONYMOUS,
    # A reviewer reads Östergötland's register; only Södermanland's is theirs to change.
    "coordinator_04_reviewer": row(
        list=ALL,
        view=both(OK),
        add=OK,
        post=(SAVED, DENIED),
        delete=(OK, DENIED),
        history=both(OK),
    ),
    "coordinator_04_05": row(
        list=OWN, view=both(OK), add=OK, post=both(SAVED), delete=both(OK), history=both(OK)
    ),
}
# Reports and their observations: Södermanland's report is returned (with the county after a
# review), Östergötland's a draft.
REPORTS = {
    **REGISTER,
    "reviewer": row(
        list=SUBMITTED,
        view=(OK, MISSING),
        add=DENIED,
        post=(DENIED, MISSING),
        delete=(DENIED, MISSING),
        history=(OK, MISSING),
    ),
    # Being a reviewer too shows no other county's draft.
    "coordinator_04_reviewer": row(
        list=OWN_OR_SUBMITTED,
        view=(OK, MISSING),
        add=OK,
        post=(SAVED, MISSING),
        delete=(OK, MISSING),
        history=(OK, MISSING),
    ),
}
# Observations: the reviewer reads a returned report's as submitted (its history), not live.
OBSERVATIONS = {
    **REPORTS,
    "reviewer": row(
        list=WITH_MINISTRY,
        view=both(MISSING),
        add=DENIED,
        post=both(MISSING),
        delete=both(MISSING),
        history=(OK, MISSING),
    ),
}
# Review events are written by the workflow only: read like the reports they belong to.
REVIEW_EVENTS = {
    persona: {
        **outcomes,
        "add": DENIED,
        "post": tuple(DENIED if o == SAVED else o for o in outcomes["post"]),
        "delete": tuple(DENIED if o == OK else o for o in outcomes["delete"]),
    }
    if persona in COUNTIES_OF
    else outcomes
    for persona, outcomes in REPORTS.items()
}
READ_ONLY = row(
    list=ALL,
    view=both(OK),
    add=DENIED,
    post=both(DENIED),
    delete=both(DENIED),
    history=both(OK),
)


def _own_read_only(counties: tuple[str, ...]) -> dict:
    mine = tuple(OK if code in counties else MISSING for code in ("04", "05"))
    refused = tuple(DENIED if code in counties else MISSING for code in ("04", "05"))
    return row(list=OWN, view=mine, add=DENIED, post=refused, delete=refused, history=mine)


# The e-mail sent about a county (written by the system): its coordinators and the ministry
# read it; nobody changes it.
NOTICES = {
    "coordinator_04": _own_read_only(("04",)),
    "coordinator_05": _own_read_only(("05",)),
    "reviewer": READ_ONLY,
    "staff_without_role": NO_ROLE,
    "anonymous": ANONYMOUS,
    "coordinator_04_reviewer": READ_ONLY,
    "coordinator_04_05": _own_read_only(("04", "05")),
}
# Reference data, rounds and themes: shared reading, changed by administrators only.
SHARED = {
    "coordinator_04": READ_ONLY,
    "coordinator_05": READ_ONLY,
    "reviewer": READ_ONLY,
    "staff_without_role": NO_ROLE,
    "anonymous": ANONYMOUS,
    "coordinator_04_reviewer": READ_ONLY,
    "coordinator_04_05": READ_ONLY,
}
# Organisations are shared reading; a coordinator adds them and keeps those of their county.
ORGANISATIONS = {
    **SHARED,
    "coordinator_04": {**READ_ONLY, "add": OK, "post": (SAVED, DENIED)},
    "coordinator_05": {**READ_ONLY, "add": OK, "post": (DENIED, SAVED)},
    "coordinator_04_reviewer": {**READ_ONLY, "add": OK, "post": (SAVED, DENIED)},
    "coordinator_04_05": {**READ_ONLY, "add": OK, "post": both(SAVED)},
}
# The ministry writes the national conclusions; coordinators read them.
CONCLUSIONS = {
    **SHARED,
    "reviewer": row(
        list=ALL,
        view=both(OK),
        add=OK,
        post=both(SAVED),
        delete=both(OK),
        history=both(OK),
    ),
}
CONCLUSIONS["coordinator_04_reviewer"] = CONCLUSIONS["reviewer"]
# Users and groups are the administrators' business only.
NOBODY_BUT_ADMINISTRATORS = {
    "coordinator_04": NO_ROLE,
    "coordinator_05": NO_ROLE,
    "reviewer": NO_ROLE,
    "staff_without_role": NO_ROLE,
    "anonymous": ANONYMOUS,
    "coordinator_04_reviewer": NO_ROLE,
    "coordinator_04_05": NO_ROLE,
}
# Groups have a plain Django admin: the object is found, then permission is refused.
GROUPS = {
    persona: {**outcomes, "history": both(DENIED)} if outcomes is NO_ROLE else outcomes
    for persona, outcomes in NOBODY_BUT_ADMINISTRATORS.items()
}

EXPECTED: dict[str, dict[str, dict]] = {
    "agreements.agreement": REGISTER,
    "agreements.priorityarea": REGISTER,
    "agreements.measure": REGISTER,
    "agreements.financialframe": REGISTER,
    "agreements.partnership": REGISTER,
    "agreements.partnershipmember": REGISTER,
    "agreements.project": REGISTER,
    "agreements.financingline": REGISTER,
    "agreements.cluster": REGISTER,
    "agreements.clusteractor": REGISTER,
    "agreements.clusterlink": REGISTER,
    "followup.countyreport": REPORTS,
    "followup.observation": OBSERVATIONS,
    "followup.reviewevent": REVIEW_EVENTS,
    # The review's comments: read like the review events (written on the county's page).
    "followup.reviewcomment": REVIEW_EVENTS,
    "followup.notice": NOTICES,
    "agreements.county": SHARED,
    "agreements.municipality": SHARED,
    "agreements.organisationkind": SHARED,
    "agreements.financingsource": SHARED,
    "followup.theme": SHARED,
    "followup.followupround": SHARED,
    "agreements.organisation": ORGANISATIONS,
    "followup.nationalconclusion": CONCLUSIONS,
    "followup.user": NOBODY_BUT_ADMINISTRATORS,
    "auth.group": GROUPS,
    # django-axes' login records: administrators' business (unlocking a user).
    "axes.accessattempt": GROUPS,
    "axes.accesslog": GROUPS,
    "axes.accessfailurelog": GROUPS,
    # Everyone's API tokens (never the token itself) and the API's request counts: the
    # administrators' (revoking a leaked token); each user's own tokens are on their profile.
    "followup.apitoken": GROUPS,
    "followup.apithrottlewindow": GROUPS,
}


def _sent_comment(report, event, author):
    """A comment the event sent to the county, written (its audit record says) while the
    report was with the ministry — on the draft, as a row of the draft."""
    with raw_load(audit=True):
        comment = ReviewComment.objects.create(
            report=report, author=author, text=f"Kommentar {report.county.code}", sent_with=event
        )
    if report.status != ReportStatus.DRAFT:  # (a draft's stays the county's own)
        ReviewComment.history.filter(id=comment.pk).update(report_status=ReportStatus.SUBMITTED)
    return comment


def report_prefix(label: str) -> str:
    """The lookup from the model to its county report ("" for the report itself)."""
    return access.scopes()[label].report.prefix


def lower(model) -> str:
    return model._meta.label_lower


REGISTERED = {lower(model): model for model in admin.site._registry}


# --- Test data ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back at its end; every test runs in
    a savepoint of its own (pytest-django), so what one test changes the next does not see."""
    with django_db_blocker.unblock(), transaction.atomic():
        data = _build_world()
        yield data
        transaction.set_rollback(True)


def _build_world():
    """Two objects of every registered model: Södermanland's and Östergötland's.

    Shared models use rows that exist anyway (reference data, the personas, the role groups).
    """
    personas = {
        "coordinator_04": _make_user(User, "samordnare04", role=Role.COORDINATOR, counties=["04"]),
        "coordinator_05": _make_user(User, "samordnare05", role=Role.COORDINATOR, counties=["05"]),
        "reviewer": _make_user(User, "departementet", role=Role.REVIEWER),
        "staff_without_role": _make_user(User, "utanroll"),
        "coordinator_04_reviewer": _make_user(
            User, "samordnare-och-handlaggare", role=Role.COORDINATOR, counties=["04"]
        ),
        "coordinator_04_05": _make_user(
            User, "samordnare0405", role=Role.COORDINATOR, counties=["04", "05"]
        ),
    }
    personas["coordinator_04_reviewer"].groups.add(ensure_role_groups()[Role.REVIEWER])
    superuser = User.objects.create_superuser(username="admin", password="not-a-real-password")
    objects = {}
    for code in ("04", "05"):
        mark = MARK[code]
        agreement = builders.agreement(county_code=code, description=f"Avtal {mark}")
        area = builders.priority_area(agreement_obj=agreement, name=f"Område {mark}")
        measure = builders.measure(area=area, name=f"Åtgärd {mark}")
        frame = builders.frame(area=area, measure=measure)
        partnership = builders.partnership(
            county_code=code, agreement=agreement, name=f"Partnerskap {mark}"
        )
        member = builders.member(partnership_obj=partnership)
        cluster = builders.cluster(county_code=code, name=f"Kluster {mark}")
        actor = builders.cluster_actor(cluster_obj=cluster)
        other_actor = builders.cluster_actor(cluster_obj=cluster)
        link = builders.cluster_link(
            from_actor=actor, to_actor=other_actor, description=f"Länk {mark}"
        )
        project = builders.project(
            measure_obj=measure,
            title=f"Projekt {mark}",
            description=f"Beskrivning {mark}",
            partnership=partnership,
            cluster=cluster,
        )
        line = builders.financing_line(project_obj=project, note=f"Rad {mark}")
        objects[code] = {
            "agreements.agreement": agreement,
            "agreements.priorityarea": area,
            "agreements.measure": measure,
            "agreements.financialframe": frame,
            "agreements.partnership": partnership,
            "agreements.partnershipmember": member,
            "agreements.cluster": cluster,
            "agreements.clusteractor": actor,
            "agreements.clusterlink": link,
            "agreements.project": project,
            "agreements.financingline": line,
        }

    round_obj = builders.follow_up_round(year=2001)
    later_round = builders.follow_up_round(year=2002)
    # Södermanland's report has been submitted and returned: the reviewer reads it and its
    # county writes it (a submitted one is locked: tests/test_report_lock.py).
    returned = builders.county_report(
        round_obj=round_obj, county_code="04", summary=f"Sammanfattning {MARK['04']}"
    )
    draft = builders.county_report(
        round_obj=round_obj, county_code="05", summary=f"Utkast {MARK['05']} {DRAFT_MARK}"
    )
    approved = builders.county_report(round_obj=later_round, county_code="04")
    approved_observation = builders.observation(report=approved, text="Godkänd iakttagelse")
    builders.set_status(approved, ReportStatus.APPROVED)
    approved.refresh_from_db()
    for code, report in (("04", returned), ("05", draft)):
        text = f"Iakttagelse {MARK[code]}" + (f" {DRAFT_MARK}" if report is draft else "")
        observation = builders.observation(report=report, text=text)
        observation.projects.add(objects[code]["agreements.project"])
        observation.partnerships.add(objects[code]["agreements.partnership"])
        observation.clusters.add(objects[code]["agreements.cluster"])
        for theme in Theme.objects.exclude(pk=observation.theme_id):
            builders.observation(report=report, theme=theme, text=text)
        event = ReviewEvent.objects.create(
            report=report,
            action=ReviewEvent.Action.SUBMIT,
            from_status=ReportStatus.DRAFT,
            to_status=ReportStatus.SUBMITTED,
            actor=personas[f"coordinator_{code}"],
            comment=f"Händelse {MARK[code]}",
        )
        if report is returned:
            county_report_submit(report=report, user=personas["coordinator_04"])
            county_report_return(report=report, user=personas["reviewer"], comment="Komplettera")
            report.refresh_from_db()
            report.summary += f" {WORK_MARK}"
            report.save()
            observation.text += f" {WORK_MARK}"
            observation.save()
        objects[code] |= {
            "followup.countyreport": report,
            "followup.observation": observation,
            "followup.reviewevent": event,
            "followup.reviewcomment": _sent_comment(report, event, personas["reviewer"]),
            "followup.notice": Notice.objects.create(
                round=round_obj,
                county=builders.county(code),
                kind=Notice.Kind.OVERDUE,
                key="20010915-v0",
                recipient=personas[f"coordinator_{code}"],
                address=f"samordnare{code}@example.se",
            ),
        }

    themes = list(Theme.objects.all()[:2])
    groups = ensure_role_groups()
    shared = {
        "agreements.county": [builders.county("04"), builders.county("05")],
        "agreements.municipality": [
            Municipality.objects.filter(county__code=code).first() for code in ("04", "05")
        ],
        "agreements.organisationkind": list(OrganisationKind.objects.all()[:2]),
        "agreements.financingsource": list(FinancingSource.objects.all()[:2]),
        "agreements.organisation": [builders.lead_body("04"), builders.lead_body("05")],
        "followup.theme": themes,
        "followup.followupround": [round_obj, later_round],
        "followup.nationalconclusion": [
            NationalConclusion.objects.create(
                round=round_obj, theme=theme, text="Slutsats", written_by=personas["reviewer"]
            )
            for theme in themes
        ],
        "followup.user": [personas["coordinator_04"], personas["coordinator_05"]],
        "auth.group": [groups[Role.COORDINATOR], groups[Role.REVIEWER]],
        **_login_records(),
        "followup.apitoken": [
            api_token_create(user=personas[persona], name=f"Nyckel {persona}")[0]
            for persona in ("coordinator_04", "coordinator_05")
        ],
        "followup.apithrottlewindow": [
            ApiThrottleWindow.objects.create(
                key=f"token:{NONEXISTENT + n}", window_start=timezone.now(), requests=n
            )
            for n in (1, 2)
        ],
    }
    for audited in shared["agreements.organisation"]:
        audited.save()  # loaded without an audit trail; the matrix opens one version
    for label, (first, second) in shared.items():
        objects["04"][label], objects["05"][label] = first, second
    return {
        "04": objects["04"],
        "05": objects["05"],
        "approved": approved,
        "approved_observation": approved_observation,
        "personas": personas,
        "superuser": superuser,
        "forged": {},
        # Another user's token: nobody revokes it on their own profile.
        "others_token": api_token_create(user=superuser, name="Administratörens nyckel")[0],
    }


def superuser_client(world):
    su_client = Client()
    su_client.force_login(world["superuser"])
    return su_client


def client_for(client, world, persona):
    if persona != "anonymous":
        client.force_login(world["personas"][persona])
    return client


# --- Checking a response ------------------------------------------------------------------------


def answer(response):
    return response.status_code, response.get("Location")


def is_login_redirect(response):
    login_pages = (reverse("admin:login"), reverse("site:login"))
    return response.status_code == 302 and response["Location"].startswith(login_pages)


def check(outcome, response, missing_response=None, *, what=""):
    if outcome == LOGIN:
        assert is_login_redirect(response), (what, answer(response))
    elif outcome == OK:
        assert response.status_code == 200, (what, answer(response))
    elif outcome == DENIED:
        assert response.status_code == 403, (what, answer(response))
    elif outcome == MISSING:
        assert response.status_code != 200 or missing_response.status_code == 200, what
        assert answer(response) == answer(missing_response), what
        # A missing change page redirects to the index; Django's message names the id only.
        assert response.status_code in (302, 403, 404), (what, answer(response))
    else:  # pragma: no cover
        raise AssertionError(f"Unknown outcome {outcome!r}")


def hidden_marks(persona):
    """Words that must not occur on any page this persona is shown."""
    own = COUNTIES_OF.get(persona, ())
    if persona in REVIEWERS:  # every county's register; no other county's draft or work
        return ([] if "05" in own else [DRAFT_MARK]) + ([] if "04" in own else [WORK_MARK])
    return [MARK[code] for code in ("04", "05") if own and code not in own]


def assert_no_leak(persona, response, what):
    if response.status_code != 200 or not hasattr(response, "content"):
        return
    content = response.content.decode()
    for mark in hidden_marks(persona):
        assert mark not in content, f"{persona} sees {mark!r} on {what}"


def snapshot(obj):
    model = type(obj)
    values = model._default_manager.filter(pk=obj.pk).values().first()
    many = {
        field.name: sorted(getattr(obj, field.name).values_list("pk", flat=True))
        for field in model._meta.many_to_many
    }
    return values, many


def expected_rows(model, scope, persona):
    queryset = model._default_manager.all()
    label = lower(model)
    path = access.county_path(model)
    if scope == OWN:
        queryset = queryset.filter(**{f"{path}__code__in": COUNTIES_OF[persona]})
    elif scope == SUBMITTED:
        queryset = queryset.exclude(**{f"{report_prefix(label)}status": ReportStatus.DRAFT})
    elif scope == WITH_MINISTRY:
        prefix = report_prefix(label)
        queryset = queryset.filter(
            **{f"{prefix}status__in": [ReportStatus.SUBMITTED, ReportStatus.APPROVED]}
        )
    elif scope == OWN_OR_SUBMITTED:
        queryset = queryset.filter(
            Q(**{f"{path}__code__in": COUNTIES_OF[persona]})
            | ~Q(**{f"{report_prefix(label)}status": ReportStatus.DRAFT})
        )
    else:
        assert scope == ALL, scope
    return set(queryset.values_list("pk", flat=True))


# --- A forged POST: the change form as an administrator would submit it -------------------------


def _forged_value(field, current):
    if field.choices:
        return next(str(value) for value, _label in field.flatchoices if value != current)
    if isinstance(field, models.BooleanField):
        return None  # toggled by the caller
    if isinstance(field, models.DecimalField):
        return "4242"
    if isinstance(field, models.DateField):
        return "1999-12-31"
    if isinstance(field, (models.CharField, models.TextField)):
        # Each row its own value: two organisations renamed to one name would be asked about
        # as the same organisation twice (agreements/admin/organisations.py).
        return f"FÖRFALSKAT {current}"[: field.max_length].rstrip()
    raise AssertionError(field)


FORGEABLE = (models.TextField, models.CharField, models.BooleanField, models.DecimalField)


def _field_to_forge(model, obj, form):
    """A field to change, with the new value: one on the form if there is one (text first).

    A page that shows everything read-only gets a model field posted all the same.
    """
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key
        and not field.is_relation
        and field.editable
        and isinstance(field, (*FORGEABLE, models.DateField))
    ]

    def rank(field):
        kind = next(
            (i for i, kinds in enumerate(FORGEABLE) if isinstance(field, kinds)), len(FORGEABLE)
        )
        return (field.name not in form.fields, bool(field.choices), field.unique, kind)

    field = min(fields, key=rank)
    if lower(model) in FORGED_FIELDS:
        field = model._meta.get_field(FORGED_FIELDS[lower(model)])
    return field.name, _forged_value(field, getattr(obj, field.attname))


# Where the first text field is one the model empties on save (a reason for "Ej bedömt" is kept
# only with that assessment), the forged POST changes the next one.
FORGED_FIELDS = {"followup.observation": "text"}


def forged_post(superuser_client, model, obj):
    """The change form of ``obj`` as the administrator sees it, with one field changed."""
    response = superuser_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = page_form_data(response)
    name, value = _field_to_forge(model, obj, form)
    if value is None:
        if data.pop(name, None) is None:
            data[name] = "on"
    else:
        data[name] = value
    return data, name


def has_version_pages(model):
    return isinstance(admin.site._registry[model], SimpleHistoryAdmin)


def version_url(model, object_id, version_id):
    opts = model._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[object_id, version_id]
    )


# --- The matrix ---------------------------------------------------------------------------------


def _login_records():
    """Two rows per django-axes model, for usernames no persona has (a persona's own login would
    reset its failed attempts)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    base = {"user_agent": "test", "ip_address": "10.0.0.1", "http_accept": "*/*"}
    rows = {}
    for model, extra in (
        (AccessAttempt, {"get_data": "", "post_data": "", "failures_since_start": 1}),
        (AccessLog, {}),
        (AccessFailureLog, {}),
    ):
        rows[model._meta.label_lower] = [
            model.objects.create(username=name, path_info="/konto/logga-in/", **base, **extra)
            for name in ("okand-a", "okand-b")
        ]
    return rows


def test_every_registered_model_has_a_row_in_the_matrix():
    assert set(EXPECTED) == set(REGISTERED)
    for label, personas in EXPECTED.items():
        assert set(personas) == set(PERSONAS), label


def test_every_county_scoped_model_is_tested_as_one():
    """The county paths and the matrix agree on which models belong to a county."""
    for label, personas in EXPECTED.items():
        scoped = access.county_path(REGISTERED[label]) is not None
        tables = (REGISTER, REPORTS, OBSERVATIONS, REVIEW_EVENTS, NOTICES)
        assert any(personas is rows for rows in tables) == scoped
        reports = any(personas is rows for rows in (REPORTS, OBSERVATIONS, REVIEW_EVENTS))
        assert access.is_report_content(REGISTERED[label]) == reports, label


MATRIX = [(label, persona) for label in sorted(EXPECTED) for persona in PERSONAS]


@pytest.mark.parametrize(("label", "persona"), MATRIX, ids=[f"{m}-{p}" for m, p in MATRIX])
def test_access_matrix(client, world, label, persona):
    model = REGISTERED[label]
    expected = EXPECTED[label][persona]
    objects = (world["04"][label], world["05"][label])
    if label not in world["forged"]:
        su_client = superuser_client(world)
        world["forged"][label] = [forged_post(su_client, model, obj) for obj in objects]
    forged = world["forged"][label]
    client = client_for(client, world, persona)

    def get(url, what):
        response = client.get(url)
        assert_no_leak(persona, response, what)
        return response

    # The list: exactly the rows this persona may read.
    response = get(admin_url(model, "changelist"), "list")
    if expected["list"] in (OWN, ALL, SUBMITTED, OWN_OR_SUBMITTED, WITH_MINISTRY):
        assert response.status_code == 200
        shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
        assert shown == expected_rows(model, expected["list"], persona)
        assert response.context["cl"].result_count == len(shown)
    else:
        check(expected["list"], response, what="list")

    check(expected["add"], get(admin_url(model, "add"), "add"), what="add")

    for index, obj in enumerate(objects):
        where = ("04", "05")[index]
        before = snapshot(obj)

        for action, view in (("view", "change"), ("history", "history")):
            response = get(admin_url(model, view, obj.pk), f"{action} {where}")
            missing = client.get(admin_url(model, view, NONEXISTENT))
            check(expected[action][index], response, missing, what=f"{action} {where}")

        # One version of the audit trail (simple-history's page): as the history page.
        if has_version_pages(model):
            if hasattr(model, "history"):
                version_id = latest_version_shown_to_reviewers(obj).history_id
                outcome = expected["history"][index]
            else:  # the admin has version pages, the model no audit trail: nothing to show
                version_id = 1
                outcome = LOGIN if persona == "anonymous" else MISSING
            response = get(version_url(model, obj.pk, version_id), f"version {where}")
            missing = client.get(version_url(model, NONEXISTENT, NONEXISTENT))
            check(outcome, response, missing, what=f"version {where}")

        # Delete: the confirmation page, the POST and the bulk action.
        outcome = expected["delete"][index]
        response = get(admin_url(model, "delete", obj.pk), f"delete {where}")
        missing = client.get(admin_url(model, "delete", NONEXISTENT))
        check(outcome, response, missing, what=f"delete page {where}")
        if outcome != OK:
            response = client.post(admin_url(model, "delete", obj.pk), {"post": "yes"})
            missing = client.post(admin_url(model, "delete", NONEXISTENT), {"post": "yes"})
            check(outcome, response, missing, what=f"delete POST {where}")
            client.post(
                admin_url(model, "changelist"),
                {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
            )
            assert snapshot(obj) == before, f"{where} object deleted or changed"

        # Change: a forged POST of the whole form with one field changed.
        outcome = expected["post"][index]
        data, field = forged[index]
        response = client.post(admin_url(model, "change", obj.pk), data)
        if outcome == SAVED:
            errors = response.context and response.context["adminform"].form.errors
            assert response.status_code == 302, (f"post {where}", errors)
            assert snapshot(obj) != before
            obj.refresh_from_db()
            assert getattr(obj, field) == type(obj)._meta.get_field(field).to_python(data[field])
        else:
            missing = client.post(admin_url(model, "change", NONEXISTENT), data)
            check(outcome, response, missing, what=f"change POST {where}")
            assert snapshot(obj) == before, f"{where} object changed by a forged POST"


def latest_version_shown_to_reviewers(obj):
    """The newest version of ``obj``; of a report's content, the newest one written while the
    report was with the ministry if there is one (a draft's versions are the county's own:
    test_reviewer_never_sees_the_draft_version_of_a_submitted_report)."""
    versions = obj.history.order_by("-history_id")
    field = {"followup.countyreport": "status", "followup.observation": "report_status"}
    if lower(type(obj)) in field:
        shown = versions.filter(**{f"{field[lower(type(obj))]}__in": WITH_THE_MINISTRY})
        versions = shown if shown.exists() else versions
    return versions.first()


# --- Autocomplete -------------------------------------------------------------------------------


def _autocomplete_fields():
    found = set()
    for model, model_admin in admin.site._registry.items():
        for owner in (model_admin, *model_admin.inlines):
            source = getattr(owner, "model", model) if owner is not model_admin else model
            for field_name in owner.autocomplete_fields:
                found.add((lower(source), field_name))
    return sorted(found)


AUTOCOMPLETE = [
    (source, field, persona) for source, field in _autocomplete_fields() for persona in PERSONAS
]


def test_autocomplete_fields_are_found():
    fields = {(source, field) for source, field, _persona in AUTOCOMPLETE}
    assert ("agreements.project", "measure") in fields
    assert ("followup.observation", "projects") in fields
    assert ("agreements.financingline", "financier") in fields  # from an inline


def autocomplete(client, source, field, page=1, term=""):
    app_label, model_name = source.split(".")
    return client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": app_label,
            "model_name": model_name,
            "field_name": field,
            "term": term,
            "page": page,
        },
    )


@pytest.mark.parametrize(
    ("source", "field", "persona"), AUTOCOMPLETE, ids=["-".join(case) for case in AUTOCOMPLETE]
)
def test_autocomplete_offers_what_the_persona_may_read(client, world, source, field, persona):
    """An autocomplete offers the target's rows exactly as the target's own list does."""
    target = REGISTERED[source]._meta.get_field(field).related_model
    scope = EXPECTED[lower(target)][persona]["list"]
    client = client_for(client, world, persona)
    response = autocomplete(client, source, field)
    if scope not in (OWN, ALL, SUBMITTED, OWN_OR_SUBMITTED, WITH_MINISTRY):
        check(scope, response, what="autocomplete")
        return
    assert response.status_code == 200
    ids, page = set(), 1
    while True:
        body = json.loads(response.content)
        ids |= {int(result["id"]) for result in body["results"]}
        assert not any(
            mark in result["text"] for result in body["results"] for mark in hidden_marks(persona)
        )
        if not body["pagination"]["more"]:
            break
        page += 1
        response = autocomplete(client, source, field, page=page)
    assert ids == expected_rows(target, scope, persona)


# --- Every other URL ----------------------------------------------------------------------------

STANDARD_SUFFIXES = ("changelist", "add", "history", "delete", "change")


def _patterns(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None), pattern


def _other_urls():
    """Named URLs that are not a model admin's standard five pages, and unnamed routes."""
    standard = {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{suffix}"
        for model in admin.site._registry
        for suffix in STANDARD_SUFFIXES
    }
    # An audited model's version pages are in the matrix (test_access_matrix).
    standard |= {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history"
        for model in admin.site._registry
        if has_version_pages(model)
    }
    found = set()
    for name, pattern in _patterns():
        if name is None:
            route = str(pattern.pattern)
            # A model admin's "<id>/" only redirects to its change page.
            if route != "<path:object_id>/":
                found.add(f"route {route!r}")
        elif name not in standard:
            found.add(name)
    return found


def _view_on_site(world, persona, obj_id):
    project = ContentType.objects.get_for_model(Project)
    return reverse("admin:view_on_site", args=[project.pk, obj_id])


def _other_county_project(world, persona):
    code = "04" if COUNTIES_OF.get(persona) == ("05",) else "05"
    return world[code]["agreements.project"].pk


LOGGED_IN = [persona for persona in PERSONAS if persona != "anonymous"]


def everyone(outcome, anonymous=LOGIN):
    return {**dict.fromkeys(LOGGED_IN, outcome), "anonymous": anonymous}


# Pages of the review site: every role; an account without one is refused.
ROLES_ONLY = {**everyone(OK), "staff_without_role": DENIED}

# URL → (method, how to build the path, outcome per persona). Statuses as numbers are exact.
SITE_URLS = {
    "admin:index": ("get", lambda w, p: reverse("admin:index"), everyone(OK)),
    "admin:app_list": (
        "get",
        lambda w, p: reverse("admin:app_list", args=["agreements"]),
        {**everyone(OK), "staff_without_role": 404},
    ),
    "admin:login": ("get", lambda w, p: reverse("admin:login"), everyone(302, anonymous=OK)),
    "admin:logout": ("get", lambda w, p: reverse("admin:logout"), everyone(405, anonymous=302)),
    "admin:password_change": ("get", lambda w, p: reverse("admin:password_change"), everyone(OK)),
    "admin:password_change_done": (
        "get",
        lambda w, p: reverse("admin:password_change_done"),
        everyone(OK),
    ),
    "admin:jsi18n": ("get", lambda w, p: reverse("admin:jsi18n"), everyone(OK)),
    # Without parameters; test_autocomplete_offers_what_the_persona_may_read has the rest.
    "admin:autocomplete": ("get", lambda w, p: reverse("admin:autocomplete"), everyone(DENIED)),
    # Another county's project answers like a missing one (no model has a page on the site).
    "admin:view_on_site": (
        "get",
        lambda w, p: _view_on_site(w, p, _other_county_project(w, p)),
        everyone(MISSING),
    ),
    # Another user's password: the administrators' business only.
    "admin:auth_user_password_change": (
        "get",
        lambda w, p: reverse("admin:auth_user_password_change", args=[w["superuser"].pk]),
        everyone(DENIED),
    ),
    "set_language": ("post", lambda w, p: reverse("set_language"), everyone(302, anonymous=302)),
    # The Excel import, for coordinators and administrators (tests/test_import_access.py).
    "admin:agreements_project_import": (
        "get",
        lambda w, p: reverse("admin:agreements_project_import"),
        {**everyone(DENIED), "coordinator_04": OK, "coordinator_05": OK},
    ),
    "admin:agreements_project_import_template": (
        "get",
        lambda w, p: reverse("admin:agreements_project_import_template"),
        {**everyone(DENIED), "coordinator_04": OK, "coordinator_05": OK},
    ),
    # The health endpoint is public: it says only whether the database answers.
    "health": ("get", lambda w, p: reverse("health"), everyone(OK, anonymous=OK)),
    # The review site: the start page is each person's to-do list (tests/test_todo.py); an
    # account without a role is told what to do. Logging out is POST-only.
    "site:start": ("get", lambda w, p: reverse("site:start"), everyone(OK)),
    "site:login": ("get", lambda w, p: reverse("site:login"), everyone(302, anonymous=OK)),
    "site:logout": ("get", lambda w, p: reverse("site:logout"), everyone(405, anonymous=405)),
    # A round's board and comparisons: every role (each sees what it may; tests/test_site_*.py);
    # the national workbook is for ministry staff.
    "site:board": ("get", lambda w, p: reverse("site:board", args=[2001]), ROLES_ONLY),
    "site:matrix": ("get", lambda w, p: reverse("site:matrix", args=[2001]), ROLES_ONLY),
    "site:financing": ("get", lambda w, p: reverse("site:financing", args=[2001]), ROLES_ONLY),
    "site:national_xlsx": (
        "get",
        lambda w, p: reverse("site:national_xlsx", args=[2001]),
        {**everyone(DENIED), "reviewer": OK},
    ),
    # Östergötland's draft: its own coordinator reads and acts on it; the other county's answers
    # 404 as for a county that does not exist; the reviewer reads the register and the status
    # but never the draft's content, its workbook or a step on it.
    "site:county": (
        "get",
        lambda w, p: reverse("site:county", args=[2001, "05"]),
        {**ROLES_ONLY, "coordinator_04": 404},
    ),
    "site:county_workflow": (
        "post",
        lambda w, p: reverse("site:county_workflow", args=[2001, "05"]),
        {**ROLES_ONLY, "coordinator_04": 404, "coordinator_05": 302, "reviewer": 404},
    ),
    "site:county_xlsx": (
        "get",
        lambda w, p: reverse("site:county_xlsx", args=[2001, "05"]),
        {**ROLES_ONLY, "coordinator_04": 404, "reviewer": 404},
    ),
    # The yearly report (Word): the whole for ministry staff; a county's presentation for the
    # ministry and the county's own coordinators (it never shows a draft's content: the
    # reviewer gets Östergötland's with one line about its draft, tests/test_report_document.py).
    "site:report_docx": (
        "get",
        lambda w, p: reverse("site:report_docx", args=[2001]),
        {**everyone(DENIED), "reviewer": OK},
    ),
    "site:county_docx": (
        "get",
        lambda w, p: reverse("site:county_docx", args=[2001, "05"]),
        {**ROLES_ONLY, "coordinator_04": 404},
    ),
    "site:development": (
        "get",
        lambda w, p: reverse("site:development", args=["05"]),
        {**ROLES_ONLY, "coordinator_04": 404},
    ),
    # Import from Excel into Östergötland: its coordinator only (tests/test_site_import.py);
    # to the other county's coordinator and the reviewer the pages answer 404, as for a county
    # that does not exist. A confirmation without a preview sends back to the upload form.
    "site:county_import": (
        "get",
        lambda w, p: reverse("site:county_import", args=[2001, "05"]),
        {**ROLES_ONLY, "coordinator_04": 404, "reviewer": 404},
    ),
    "site:county_import_confirm": (
        "post",
        lambda w, p: reverse("site:county_import_confirm", args=[2001, "05"]),
        {**ROLES_ONLY, "coordinator_04": 404, "coordinator_05": 302, "reviewer": 404},
    ),
    "site:import_template": (
        "get",
        lambda w, p: reverse("site:import_template", args=["05"]),
        {**ROLES_ONLY, "coordinator_04": 404, "reviewer": 404},
    ),
    # The review's comments on Östergötland's draft: nobody comments a draft (its coordinator is
    # told so); to the others it answers as a report that does not exist (tests/test_comments.py).
    "site:county_comment_add": (
        "post",
        lambda w, p: reverse("site:county_comment_add", args=[2001, "05"]),
        {**ROLES_ONLY, "coordinator_04": 404, "coordinator_05": 302, "reviewer": 404},
    ),
    "site:county_comment": (
        "post",
        lambda w, p: reverse("site:county_comment", args=[2001, "05", NONEXISTENT]),
        {**ROLES_ONLY, "coordinator_04": 404, "coordinator_05": 404, "reviewer": 404},
    ),
    # Each user's own page (e-mail address and messages): everyone logged in, role or not.
    "site:profile": ("get", lambda w, p: reverse("site:profile"), everyone(OK)),
    # "Påminn länet": the ministry's reviewers only (tests/test_notices.py has what it sends);
    # another county answers a coordinator as one that does not exist.
    "site:county_remind": (
        "post",
        lambda w, p: reverse("site:county_remind", args=[2001, "05"]),
        {**everyone(DENIED), "coordinator_04": 404, "reviewer": 302},
    ),
    "route '(?P<url>.*)$'": ("get", lambda w, p: "/admin/finns-inte/", everyone(404)),
    # The national workbook is for ministry staff (tests/test_exports_access.py has the rest).
    "admin:followup_followupround_export": (
        "get",
        lambda w, p: reverse("admin:followup_followupround_export", args=[w["approved"].round_id]),
        {**everyone(DENIED), "reviewer": OK, "staff_without_role": 404},
    ),
    # The filtered lists and their downloads, for every role (tests/test_site_lists*.py has
    # which rows each persona gets); an account without a role is refused.
    "site:projects": (
        "get",
        lambda w, p: reverse("site:projects"),
        {**everyone(OK), "staff_without_role": 403},
    ),
    "site:projects_csv": (
        "get",
        lambda w, p: reverse("site:projects_csv"),
        {**everyone(OK), "staff_without_role": 403},
    ),
    "site:projects_xlsx": (
        "get",
        lambda w, p: reverse("site:projects_xlsx"),
        {**everyone(OK), "staff_without_role": 403},
    ),
    "site:observations": (
        "get",
        lambda w, p: reverse("site:observations"),
        {**everyone(OK), "staff_without_role": 403},
    ),
    "site:observations_csv": (
        "get",
        lambda w, p: reverse("site:observations_csv"),
        {**everyone(OK), "staff_without_role": 403},
    ),
    "site:observations_xlsx": (
        "get",
        lambda w, p: reverse("site:observations_xlsx"),
        {**everyone(OK), "staff_without_role": 403},
    ),
    "site:organisations": (
        "get",
        lambda w, p: reverse("site:organisations"),
        {**everyone(OK), "staff_without_role": 403},
    ),
    "site:organisations_csv": (
        "get",
        lambda w, p: reverse("site:organisations_csv"),
        {**everyone(OK), "staff_without_role": 403},
    ),
    "site:organisations_xlsx": (
        "get",
        lambda w, p: reverse("site:organisations_xlsx"),
        {**everyone(OK), "staff_without_role": 403},
    ),
    # The register's detail pages of Östergötland's objects, scoped as the lists: another
    # county's answers 404 as one that does not exist (tests/test_site_register.py compares the
    # two). An organisation is every role's, but lists only what the persona may see.
    "site:project": (
        "get",
        lambda w, p: reverse("site:project", args=[w["05"]["agreements.project"].pk]),
        {**ROLES_ONLY, "coordinator_04": 404},
    ),
    "site:partnership": (
        "get",
        lambda w, p: reverse("site:partnership", args=[w["05"]["agreements.partnership"].pk]),
        {**ROLES_ONLY, "coordinator_04": 404},
    ),
    "site:cluster": (
        "get",
        lambda w, p: reverse("site:cluster", args=[w["05"]["agreements.cluster"].pk]),
        {**ROLES_ONLY, "coordinator_04": 404},
    ),
    "site:organisation": (
        "get",
        lambda w, p: reverse("site:organisation", args=[w["05"]["agreements.project"].owner_id]),
        ROLES_ONLY,
    ),
}
# The API (/api/v1/, tests/test_api*.py): every role (each sees what it may); a caller without
# a role is refused (403) and an anonymous one asked to authenticate (401, not a redirect). A
# detail of Östergötland's object (its draft report) answers another county's coordinator, and
# the reviewer for the draft, 404 as an object that does not exist (test_api_answers_like_a_
# missing_object compares the two; test_api_urls_with_a_token asks the same with a token).
API_ROLES = {**everyone(OK), "staff_without_role": 403, "anonymous": 401}
NOT_04 = {**API_ROLES, "coordinator_04": 404}
DRAFT_05 = {**NOT_04, "reviewer": 404, "coordinator_04_reviewer": 404}


def _shared(label, field="pk"):
    return lambda w: getattr(w["05"][label], field)


# basename → (Östergötland's object's lookup, a lookup that finds nothing, outcomes)
API_OBJECTS = {
    "county": (lambda w: "05", "99", API_ROLES),
    "municipality": (_shared("agreements.municipality", "code"), "9999", API_ROLES),
    "organisation-kind": (_shared("agreements.organisationkind", "code"), "finns-inte", API_ROLES),
    "financing-source": (_shared("agreements.financingsource", "code"), "finns-inte", API_ROLES),
    "theme": (_shared("followup.theme", "code"), "finns-inte", API_ROLES),
    "round": (lambda w: 2001, 1999, API_ROLES),
    "organisation": (lambda w: w["05"]["agreements.project"].owner_id, NONEXISTENT, API_ROLES),
    "agreement": (_shared("agreements.agreement"), NONEXISTENT, NOT_04),
    "partnership": (_shared("agreements.partnership"), NONEXISTENT, NOT_04),
    "project": (_shared("agreements.project"), NONEXISTENT, NOT_04),
    "cluster": (_shared("agreements.cluster"), NONEXISTENT, NOT_04),
    "report": (_shared("followup.countyreport"), NONEXISTENT, DRAFT_05),
    "observation": (_shared("followup.observation"), NONEXISTENT, DRAFT_05),
    "conclusion": (_shared("followup.nationalconclusion"), NONEXISTENT, API_ROLES),
}


def _api_detail(basename):
    lookup = API_OBJECTS[basename][0]
    return lambda w, p: reverse(f"api:{basename}-detail", args=[lookup(w)])


API_URLS = {
    # The schema and its documentation page are public: they hold no data.
    "api:schema": ("get", lambda w, p: reverse("api:schema"), everyone(OK, anonymous=OK)),
    "api:docs": ("get", lambda w, p: reverse("api:docs"), everyone(OK, anonymous=OK)),
    **{
        f"api:{basename}-list": (
            "get",
            lambda w, p, basename=basename: reverse(f"api:{basename}-list"),
            dict(API_ROLES),
        )
        for basename in API_OBJECTS
    },
    **{
        f"api:{basename}-detail": ("get", _api_detail(basename), dict(outcomes))
        for basename, (_lookup, _missing, outcomes) in API_OBJECTS.items()
    },
}
SITE_URLS |= {
    **API_URLS,
    # Personal API tokens on the profile page: a new one for those with a role (an empty name
    # is refused, 400); nobody revokes another user's token (404, as a token that does not
    # exist).
    "site:api_token_new": (
        "post",
        lambda w, p: reverse("site:api_token_new"),
        {**everyone(400), "staff_without_role": DENIED},
    ),
    "site:api_token_revoke": (
        "post",
        lambda w, p: reverse("site:api_token_revoke", args=[w["others_token"].pk]),
        everyone(404),
    ),
    # Open data: public. World's round 2002 has Södermanland's approved report.
    "site:open_data": ("get", lambda w, p: reverse("site:open_data"), everyone(OK, anonymous=OK)),
    "site:open_data_zip": (
        "get",
        lambda w, p: reverse("site:open_data_zip", args=[2002]),
        everyone(OK, anonymous=OK),
    ),
}

# Views a model admin adds to its standard pages: posted to another county's (or an invisible)
# object, they answer like a missing object and change nothing.
CUSTOM_URLS = {
    "admin:followup_countyreport_workflow": {
        "model": CountyReport,
        "posts": [{"step": step, "comment": "Förfalskat"} for step in ReviewEvent.Action.values],
    },
    # The county workbook of a report the persona may not see answers like a missing one.
    "admin:followup_countyreport_export": {"model": CountyReport, "posts": [{"step": "excel"}]},
}


# The two-role personas where they differ from everyone(...): each may what either role may.
TWO_ROLES = ("coordinator_04_reviewer", "coordinator_04_05")
for _name, _outcomes in {
    "admin:agreements_project_import": dict.fromkeys(TWO_ROLES, OK),
    # Without ?lan= the template is the coordinator's only county's; of two, none is chosen.
    "admin:agreements_project_import_template": {
        "coordinator_04_reviewer": OK,
        "coordinator_04_05": 404,
    },
    "site:national_xlsx": {"coordinator_04_reviewer": OK},
    "site:report_docx": {"coordinator_04_reviewer": OK},
    "admin:followup_followupround_export": {"coordinator_04_reviewer": OK},
    # Östergötland's draft: the coordinator of both counties acts on it; the coordinator of
    # Södermanland who is also a reviewer does not see it.
    "site:county_workflow": {"coordinator_04_reviewer": 404, "coordinator_04_05": 302},
    "site:county_xlsx": {"coordinator_04_reviewer": 404},
    "site:county_import": {"coordinator_04_reviewer": 404},
    "site:county_import_confirm": {"coordinator_04_reviewer": 404, "coordinator_04_05": 302},
    "site:import_template": {"coordinator_04_reviewer": 404},
    "site:county_remind": {"coordinator_04_reviewer": 302},
    "site:county_comment_add": {"coordinator_04_reviewer": 404, "coordinator_04_05": 302},
    "site:county_comment": {"coordinator_04_reviewer": 404, "coordinator_04_05": 404},
}.items():
    SITE_URLS[_name][2].update(_outcomes)


API_CASES = [(name, persona) for name in sorted(API_URLS) for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), API_CASES, ids=["-".join(c) for c in API_CASES])
def test_api_urls_with_a_token(client, world, name, persona):
    """What machines meet: the same outcomes with a personal token as with the session."""
    method, build, outcomes = API_URLS[name]
    headers = {}
    if persona != "anonymous":
        _token, raw = api_token_create(user=world["personas"][persona], name="Matrisen")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    response = getattr(client, method)(build(world, persona), **headers)
    assert_no_leak(persona, response, name)
    outcome = outcomes[persona]
    assert response.status_code == (200 if outcome == OK else outcome), name


MISSING_CASES = [
    (basename, persona)
    for basename, (_lookup, _missing, outcomes) in sorted(API_OBJECTS.items())
    for persona, outcome in outcomes.items()
    if outcome == 404
]


@pytest.mark.parametrize(
    ("basename", "persona"), MISSING_CASES, ids=["-".join(c) for c in MISSING_CASES]
)
def test_api_answers_like_a_missing_object(client, world, basename, persona):
    lookup, missing, _outcomes = API_OBJECTS[basename]
    client = client_for(client, world, persona)
    hidden = client.get(reverse(f"api:{basename}-detail", args=[lookup(world)]))
    absent = client.get(reverse(f"api:{basename}-detail", args=[missing]))
    assert (hidden.status_code, hidden.content) == (absent.status_code, absent.content)


def test_every_url_has_a_row_in_the_matrix():
    assert _other_urls() == set(SITE_URLS) | set(CUSTOM_URLS)


SITE_CASES = [(name, persona) for name in sorted(SITE_URLS) for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), SITE_CASES, ids=["-".join(c) for c in SITE_CASES])
def test_site_urls(client, world, name, persona):
    method, build, outcomes = SITE_URLS[name]
    outcome = outcomes[persona]
    client = client_for(client, world, persona)
    response = getattr(client, method)(build(world, persona))
    assert_no_leak(persona, response, name)
    if isinstance(outcome, int):
        assert response.status_code == outcome, answer(response)
    elif outcome == MISSING:
        missing = client.get(_view_on_site(world, persona, NONEXISTENT))
        check(outcome, response, missing, what=name)
    else:
        check(outcome, response, what=name)


def _invisible_report(world, persona):
    """A report this persona may not see: the other county's, or for the reviewer the draft."""
    code = "04" if persona in ("coordinator_05", "staff_without_role") else "05"
    return world[code]["followup.countyreport"]  # the reviewer: Östergötland's draft


# (The coordinator of both counties sees both reports: no invisible one to post to.)
CUSTOM_CASES = [
    (name, persona)
    for name in sorted(CUSTOM_URLS)
    for persona in PERSONAS
    if persona != "coordinator_04_05"
]


@pytest.mark.parametrize(("name", "persona"), CUSTOM_CASES, ids=["-".join(c) for c in CUSTOM_CASES])
def test_custom_urls_answer_like_a_missing_object(client, world, name, persona):
    spec = CUSTOM_URLS[name]
    obj = _invisible_report(world, persona)
    assert type(obj) is spec["model"]
    client = client_for(client, world, persona)
    before = snapshot(obj)
    for data in spec["posts"]:
        data = {**data, "status": obj.status}
        response = client.post(reverse(name, args=[obj.pk]), data)
        if persona == "anonymous":
            check(LOGIN, response, what=name)
        else:
            missing = client.post(reverse(name, args=[NONEXISTENT]), data)
            check(MISSING, response, missing, what=f"{name} {data['step']}")
        assert snapshot(obj) == before


# --- Reports ------------------------------------------------------------------------------------


def test_reviewer_never_sees_a_draft(client, world):
    client = client_for(client, world, "reviewer")
    draft = world["05"]["followup.countyreport"]
    assert draft.status == ReportStatus.DRAFT

    changelist = client.get(admin_url(CountyReport, "changelist"))
    assert draft not in changelist.context["cl"].queryset
    assert world["04"]["followup.countyreport"] in changelist.context["cl"].queryset
    assert DRAFT_MARK not in changelist.content.decode()
    opened = client.get(admin_url(CountyReport, "change", draft.pk))
    missing = client.get(admin_url(CountyReport, "change", NONEXISTENT))
    assert answer(opened) == answer(missing) == (302, reverse("admin:index"))
    observations = client.get(admin_url(Observation, "changelist"))
    assert DRAFT_MARK not in observations.content.decode()


def test_reviewer_never_sees_the_draft_version_of_a_submitted_report(client, world):
    report = builders.county_report(
        round_obj=world["approved"].round, county_code="05", summary=f"Utkast {DRAFT_MARK}"
    )
    for theme in Theme.objects.all():
        builders.observation(report=report, theme=theme)
    draft_version = report.history.get()
    report.summary = "Inskickad sammanfattning"
    report.save()
    county_report_submit(report=report, user=world["personas"]["coordinator_05"])
    submitted_version = report.history.filter(status=ReportStatus.SUBMITTED).get()
    client = client_for(client, world, "reviewer")

    history = client.get(admin_url(CountyReport, "history", report.pk))
    assert history.status_code == 200
    assert DRAFT_MARK not in history.content.decode()
    shown = client.get(version_url(CountyReport, report.pk, submitted_version.history_id))
    assert shown.status_code == 200
    hidden = client.get(version_url(CountyReport, report.pk, draft_version.history_id))
    missing = client.get(version_url(CountyReport, report.pk, NONEXISTENT))
    assert answer(hidden) == answer(missing) == (404, None)
    assert DRAFT_MARK not in hidden.content.decode()


def test_an_approved_report_is_read_only_for_its_coordinator(client, world):
    report, observation = world["approved"], world["approved_observation"]
    su_client = superuser_client(world)
    report_post, _ = forged_post(su_client, CountyReport, report)
    observation_post, _ = forged_post(su_client, Observation, observation)
    client = client_for(client, world, "coordinator_04")
    before = snapshot(report), snapshot(observation)

    page = client.get(admin_url(CountyReport, "change", report.pk))
    assert page.status_code == 200
    assert "summary" not in page.context["adminform"].form.fields  # shown, not editable
    # A post (from a page opened before the approval) is refused with the reason on the form.
    response = client.post(admin_url(CountyReport, "change", report.pk), report_post)
    assert response.status_code == 200
    assert "godkänd och därmed låst" in response.content.decode()

    page = client.get(admin_url(Observation, "change", observation.pk))
    assert page.status_code == 200
    assert "text" not in page.context["adminform"].form.fields
    url = admin_url(Observation, "change", observation.pk)
    response = client.post(url, observation_post)
    assert response.status_code == 200
    assert "godkänd och därmed låst" in response.content.decode()
    # A delete is refused with the reason, not a bare 403: the report is locked.
    response = client.post(
        admin_url(Observation, "delete", observation.pk), {"post": "yes"}, follow=True
    )
    assert response.redirect_chain[0] == (admin_url(Observation, "change", observation.pk), 302)
    assert "godkänd och därmed låst" in response.content.decode()

    # Nor can an observation be added to it, on its own page.
    response = client.post(
        admin_url(Observation, "add"),
        {
            "report": report.pk,
            "theme": Theme.objects.first().pk,
            "assessment": "3",
            "kind": Observation._meta.get_field("kind").get_default() or "",
            "text": "Tillagd i efterhand",
        },
    )
    assert response.status_code == 200
    assert "report" in response.context["adminform"].form.errors
    assert not Observation.objects.filter(text="Tillagd i efterhand").exists()
    assert (snapshot(report), snapshot(observation)) == before


# --- Forged adds, bulk delete, list filters -----------------------------------------------------


def test_a_project_cannot_be_added_to_another_countys_agreement(client, world):
    client = client_for(client, world, "coordinator_04")
    own_measure = world["04"]["agreements.measure"]
    other_measure = world["05"]["agreements.measure"]
    data = _project_post(
        own_measure,
        amounts=(),
        agreement=other_measure.agreement_id,
        measure=other_measure.pk,
        reference_number="301-9999-01",
    )

    response = client.post(admin_url(Project, "add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "agreement" in errors and "measure" in errors
    assert not Project.objects.filter(reference_number="301-9999-01").exists()


def test_a_forged_county_on_the_add_page_is_ignored(client, world):
    client = client_for(client, world, "coordinator_04")
    measure = world["04"]["agreements.measure"]
    data = _project_post(
        measure, amounts=(), county=builders.county("05").pk, reference_number="301-8888-01"
    )

    response = client.post(admin_url(Project, "add"), data)

    assert response.status_code == 302
    assert Project.objects.get(reference_number="301-8888-01").county.code == "04"


COUNTY_SCOPED = sorted(
    label for label in EXPECTED if access.county_path(REGISTERED[label]) is not None
)


@pytest.mark.parametrize("label", COUNTY_SCOPED)
def test_bulk_delete_of_another_countys_rows_deletes_nothing(client, world, label):
    model = REGISTERED[label]
    own, other = world["04"][label], world["05"][label]
    client = client_for(client, world, "coordinator_04")

    for selected in ([other.pk], [own.pk, other.pk]):
        client.post(
            admin_url(model, "changelist"),
            {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
        )
        assert model._default_manager.filter(pk=other.pk).exists()


def test_project_list_filters_name_only_the_own_county(client, world):
    client = client_for(client, world, "coordinator_04")

    response = client.get(admin_url(Project, "changelist"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Östergötland" not in content
    for label in ("agreements.measure", "agreements.partnership", "agreements.cluster"):
        assert str(world["05"][label]) not in content, label
    assert MARK["05"] not in content


def test_made_up_ids_answer_like_missing_objects(client, world):
    """The reference answers the matrix compares with: a redirect to the index, or 404."""
    client = client_for(client, world, "coordinator_04")
    response = client.get(admin_url(Project, "change", NONEXISTENT))
    assert answer(response) == (302, reverse("admin:index"))
    assert client.get(admin_url(Project, "history", NONEXISTENT)).status_code == 404


# --- Moved to another county ------------------------------------------------------------------

# What else a moved row changes, where the other county's row already holds its place: a
# number in its area, the year of a frame, the period of an agreement, a link's direction.
MOVE_ALSO = {
    "agreements.agreement": lambda other: {"start_year": 1998, "end_year": 1999},
    "agreements.priorityarea": lambda other: {"number": 9},
    "agreements.measure": lambda other: {"number": 9},
    "agreements.financialframe": lambda other: {"year": 1999},
    "agreements.clusterlink": lambda other: {
        "from_actor_id": other.to_actor_id,
        "to_actor_id": other.from_actor_id,
    },
}
REGISTER_LABELS = sorted(label for label, rows in EXPECTED.items() if rows is REGISTER)


def move_to_the_other_county(model, obj, other):
    """``obj`` as a coordinator of both counties would move it: every reference to a row of a
    county (the county itself, the agreement and measure of a project, …) now the ``other``
    row's. Saved through the model, so its audit trail records the move."""
    moved = model._default_manager.get(pk=obj.pk)
    for field in model._meta.concrete_fields:
        target = field.related_model if field.many_to_one else None
        if target is not None and (
            target._meta.label_lower == "agreements.county"
            or access.county_path(target) is not None
        ):
            setattr(moved, field.attname, getattr(other, field.attname))
    for name, value in MOVE_ALSO.get(lower(model), lambda other: {})(other).items():
        setattr(moved, name, value)
    moved.save()
    return moved


def as_seen(client, response, ids):
    """What the user is shown, the object's id in it made one placeholder: the status, and the
    page — or where a redirect leads and the message shown there."""
    if response.status_code in (301, 302):
        followed = client.get(response["Location"])
        shown = [str(message) for message in followed.context["messages"]]
        seen = f"{response.status_code} → {response['Location']} {followed.status_code} {shown}"
    else:
        seen = f"{response.status_code} {response.content.decode()}"
    seen = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", seen)
    seen = re.sub(r'<style nonce="[^"]*">', "<style>", seen)  # a fresh nonce every response
    for pk in ids:
        seen = re.sub(rf"(?<=[/“”\"]){pk}(?=[/“”\"])", "<id>", seen)
    return seen


@pytest.mark.parametrize("label", REGISTER_LABELS)
def test_a_row_moved_to_another_county_answers_like_a_missing_one(client, world, label):
    """Södermanland's row moved to Östergötland: to Södermanland's coordinator, who wrote its
    earlier versions, every page of it answers exactly as a row that never existed."""
    model = REGISTERED[label]
    obj, other = world["04"][label], world["05"][label]
    versions_before = list(obj.history.values_list("history_id", flat=True))
    moved = move_to_the_other_county(model, obj, other)
    assert access.county_id_of(moved) == builders.county("05").pk
    client_05 = client_for(Client(), world, "coordinator_05")
    assert client_05.get(admin_url(model, "change", obj.pk)).status_code == 200
    client = client_for(client, world, "coordinator_04")
    ids = (obj.pk, NONEXISTENT)

    def pages(pk, version):
        yield "change", client.get(admin_url(model, "change", pk))
        yield "history", client.get(admin_url(model, "history", pk))
        yield "delete", client.get(admin_url(model, "delete", pk))
        yield "version", client.get(version_url(model, pk, version))
        yield "delete POST", client.post(admin_url(model, "delete", pk), {"post": "yes"})
        yield "change POST", client.post(admin_url(model, "change", pk), {"title": "Förfalskat"})

    missing = {view: as_seen(client, r, ids) for view, r in pages(NONEXISTENT, NONEXISTENT)}
    for version in versions_before:
        for view, response in pages(obj.pk, version):
            assert response.status_code != 200, (view, version)
            seen = as_seen(client, response, (*ids, version))  # the version's id is in its URL
            assert seen == missing[view], (view, version)
    assert model._default_manager.filter(pk=obj.pk).exists()  # neither changed nor deleted
    listed = client.get(admin_url(model, "changelist")).context["cl"].queryset
    assert not listed.filter(pk=obj.pk).exists()
