"""The API as machines and people use it: personal tokens (made, used, revoked, throttled,
hashed at rest, last use recorded, logged without the token), the same rows and rules as the
site, cursor pages at a fixed number of queries, and a schema without warnings in both
languages. Which persona may open which endpoint is in tests/test_access_matrix.py."""

import datetime
import logging
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from agreements.models import FinancingLine, OrganisationKind, Project
from followup.models import (
    ApiThrottleWindow,
    ApiToken,
    FollowUpRound,
    NationalConclusion,
    ReportStatus,
    Theme,
)
from followup.services.reports import (
    county_report_approve,
    county_report_return,
    county_report_submit,
)
from followup.services.tokens import api_token_create, api_token_revoke
from tests import builders

pytestmark = pytest.mark.django_db

PROJECTS = reverse("api:project-list")


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def county_register(code: str, *, projects: int = 1, mark: str = "", start_year: int = 2000):
    """An agreement with a measure and ``projects`` projects of varied status and amounts."""
    agreement = builders.agreement(county_code=code, start_year=start_year, end_year=2003)
    area = builders.priority_area(agreement_obj=agreement)
    measure = builders.measure(area=area)
    statuses = list(Project.Status.values)
    made = []
    for n in range(projects):
        project = builders.project(
            measure_obj=measure,
            title=f"Projekt {mark} {n}",
            status=statuses[n % len(statuses)],
        )
        for year, amount, kind in (
            (2000, "0.00", FinancingLine.Kind.DECIDED),
            (2001, "9999999999999.99", FinancingLine.Kind.DECIDED),
            (2001, "12345.67", FinancingLine.Kind.OUTCOME),
        ):
            builders.financing_line(project_obj=project, year=year, amount=amount, kind=kind)
        made.append(project)
    return made


# --- tokens --------------------------------------------------------------------------------------


def test_a_token_is_made_on_the_profile_shown_once_and_stored_only_as_a_digest(
    client, coordinator_04
):
    client.force_login(coordinator_04)
    response = client.post(reverse("site:api_token_new"), {"name": "Ärendesystemet"})
    assert response.status_code == 200
    raw = re.search(r'value="(tva_[A-Za-z0-9_-]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=coordinator_04)
    assert token.name == "Ärendesystemet"
    assert raw.startswith(token.prefix) and len(raw) > len(token.prefix) + 30
    # Nowhere in the database: not in the token's row, nor anywhere else in it.
    assert raw not in str(list(ApiToken.objects.values()))
    assert token.digest != raw and len(token.digest) == 64
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM followup_apitoken WHERE digest = %s", [raw])
        assert cursor.fetchone()[0] == 0
    # The profile page lists it by its beginning, never whole again.
    page = client.get(reverse("site:profile")).content.decode()
    assert "Ärendesystemet" in page and token.prefix in page and raw not in page


def test_a_token_reads_the_api_and_its_last_use_is_recorded(client, coordinator_04):
    token, raw = api_token_create(user=coordinator_04, name="R")
    assert token.last_used_at is None
    response = client.get(PROJECTS, **bearer(raw))
    assert response.status_code == 200
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < datetime.timedelta(seconds=5)
    # Within the minute it is not written again (no write on every request).
    first = token.last_used_at
    client.get(PROJECTS, **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == first


def test_a_revoked_token_is_refused_and_says_so_on_the_profile(client, coordinator_04):
    token, raw = api_token_create(user=coordinator_04, name="Gammal")
    client.force_login(coordinator_04)
    response = client.post(reverse("site:api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    response = client.get(PROJECTS, **bearer(raw))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {"detail": "Ogiltig API-nyckel."}
    response = client.get(PROJECTS)
    assert response.json()["detail"].startswith("Inloggning krävs")
    client.force_login(coordinator_04)
    assert "Återkallad" in client.get(reverse("site:profile")).content.decode()


def test_a_token_of_someone_else_is_not_revoked_from_ones_own_profile(
    client, coordinator_04, coordinator_05
):
    token, raw = api_token_create(user=coordinator_05, name="Östgötanyckel")
    client.force_login(coordinator_04)
    assert client.post(reverse("site:api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize(
    "header",
    [
        "Bearer tva_finnsinte",
        "Bearer",
        "Bearer två ord",
        "Bearer " + "tva_" + "x" * 5000,
        "Bearer tva_\u00e5\u00e4\u00f6",
    ],
)
def test_a_wrong_token_answers_401(client, coordinator_04, header):
    api_token_create(user=coordinator_04, name="Rätt")
    response = client.get(PROJECTS, HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
    assert response.status_code == 401


def test_the_token_of_a_deactivated_user_is_refused(client, coordinator_04):
    _token, raw = api_token_create(user=coordinator_04, name="R")
    coordinator_04.is_active = False
    coordinator_04.save()
    assert client.get(PROJECTS, **bearer(raw)).status_code == 401


def test_a_token_of_a_user_without_a_role_is_refused(client, staff_without_role):
    _token, raw = api_token_create(user=staff_without_role, name="R")
    response = client.get(PROJECTS, **bearer(raw))
    assert response.status_code == 403
    assert response.json() == {"detail": "Du har inte behörighet till API:et."}


def test_the_api_answers_in_english_when_english_is_chosen(client, reviewer):
    _token, raw = api_token_create(user=reviewer, name="R")
    client.cookies["django_language"] = "en"
    response = client.get(reverse("api:project-detail", args=[999999]), **bearer(raw))
    assert response.json() == {"detail": "Not found."}
    response = client.get(PROJECTS + "?year=abc", **bearer(raw))
    assert response.json() == {"year": ["Enter a number."]}


def test_the_sites_form_errors_keep_djangos_swedish_wording(client, coordinator_04):
    """DRF's catalogue is not installed: it would change "Detta fält måste fyllas i."."""
    client.force_login(coordinator_04)
    response = client.post(reverse("site:api_token_new"), {"name": ""})
    assert "Detta fält måste fyllas i." in response.content.decode()


def test_a_user_holds_a_bounded_number_of_tokens(client, coordinator_04, settings):
    settings.API_TOKENS_PER_USER = 2
    client.force_login(coordinator_04)
    for name in ("Ett", "Två"):
        assert client.post(reverse("site:api_token_new"), {"name": name}).status_code == 200
    response = client.post(reverse("site:api_token_new"), {"name": "Tre"})
    assert response.status_code == 400
    assert "Återkalla en som inte används" in response.content.decode()
    # A revoked one makes room.
    api_token_revoke(token=ApiToken.objects.get(name="Ett"), by=coordinator_04)
    assert client.post(reverse("site:api_token_new"), {"name": "Tre"}).status_code == 200


def test_a_token_name_is_one_line_of_visible_text(client, coordinator_04):
    client.force_login(coordinator_04)
    response = client.post(reverse("site:api_token_new"), {"name": "Nyckel\u202e"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_each_token_is_throttled_on_its_own_counted_in_the_database(
    client, coordinator_04, reviewer, settings
):
    settings.API_THROTTLE_RATE = "3/min"
    _one, first = api_token_create(user=coordinator_04, name="Ett")
    _two, second = api_token_create(user=coordinator_04, name="Två")
    answers = [client.get(PROJECTS, **bearer(first)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get(PROJECTS, **bearer(first))
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("För många anrop. Försök igen om ")
    # Another token of the same user, and another user's session, count on their own.
    assert client.get(PROJECTS, **bearer(second)).status_code == 200
    client.force_login(reviewer)
    assert client.get(PROJECTS).status_code == 200
    # The counts are rows in the database (shared by every worker and server), one per caller.
    windows = dict(ApiThrottleWindow.objects.values_list("key", "requests"))
    assert windows == {f"token:{_one.pk}": 5, f"token:{_two.pk}": 1, f"user:{reviewer.pk}": 1}


def test_a_new_window_starts_the_count_again_and_drops_the_old(coordinator_04):
    from followup.services.tokens import api_throttle_hit

    start = timezone.now().replace(second=0, microsecond=0)
    assert [api_throttle_hit(key="token:1", window_start=start) for _ in range(3)] == [1, 2, 3]
    later = start + datetime.timedelta(minutes=1)
    assert api_throttle_hit(key="token:1", window_start=later) == 1
    assert list(ApiThrottleWindow.objects.values_list("window_start", "requests")) == [(later, 1)]


def test_every_call_is_in_the_security_log_without_the_token(client, coordinator_04, caplog):
    caplog.set_level(logging.INFO, logger="core.security")
    client.force_login(coordinator_04)
    client.post(reverse("site:api_token_new"), {"name": "Loggad"})
    client.logout()
    token = ApiToken.objects.get(name="Loggad")
    _other, raw = api_token_create(user=coordinator_04, name="Andra")
    client.get(PROJECTS, **bearer(raw))
    client.get(PROJECTS, HTTP_AUTHORIZATION="Bearer tva_fel")
    api_token_revoke(token=token, by=coordinator_04)
    lines = [record.getMessage() for record in caplog.records if record.name == "core.security"]
    assert any(f"api-token-created user=samordnare04 token={token.pk}" in line for line in lines)
    assert any(
        f"api status=200 user=samordnare04 token={_other.pk}" in line
        and "path=/api/v1/projects/" in line
        for line in lines
    )
    assert any("api status=401 user=- token=-" in line for line in lines)
    assert any(f"api-token-revoked user=samordnare04 token={token.pk}" in line for line in lines)
    assert not any("tva_" in line for line in lines)


# --- the same rows and rules as the site -----------------------------------------------------


def test_a_coordinators_token_lists_only_the_own_countys_projects(client, coordinator_04):
    own = county_register("04", projects=2, mark="Sörmland")
    county_register("05", projects=2, mark="Östergötland")
    _token, raw = api_token_create(user=coordinator_04, name="R")
    rows = client.get(PROJECTS, **bearer(raw)).json()["results"]
    assert sorted(row["id"] for row in rows) == sorted(p.pk for p in own)
    # Another county's code filters nothing in, as on the site.
    assert client.get(PROJECTS + "?county=05", **bearer(raw)).json()["results"] == []


def test_projects_read_back_as_stored_with_their_financing(client, reviewer):
    (project,) = county_register("04", projects=1)
    _token, raw = api_token_create(user=reviewer, name="R")
    (row,) = client.get(PROJECTS, **bearer(raw)).json()["results"]
    assert row["reference_number"] == project.reference_number
    assert row["county"] == "04"
    assert Decimal(row["decided_total"]) == Decimal("9999999999999.99")
    assert Decimal(row["outcome_total"]) == Decimal("12345.67")
    lines = {
        (line["year"], line["kind"], Decimal(line["amount"])) for line in row["financing_lines"]
    }
    assert lines == {
        (2000, "beslutat", Decimal("0")),
        (2001, "beslutat", Decimal("9999999999999.99")),
        (2001, "utfall", Decimal("12345.67")),
    }
    assert {line["source"] for line in row["financing_lines"]} == {"stat-regional-utveckling"}


@pytest.mark.parametrize(
    "query",
    [
        "?year=abc",
        "?year=٢٠٠١",
        "?year=99999999999999999999",
        "?amount_min=-1",
        "?amount_max=1e400",
        "?status=finns-inte",
        "?municipality=%00",
        "?source=finns-inte",
        "?measure=1.5",
    ],
)
def test_a_bad_filter_value_answers_400_with_its_message(client, reviewer, query):
    county_register("04")
    _token, raw = api_token_create(user=reviewer, name="R")
    response = client.get(PROJECTS + query, **bearer(raw))
    assert response.status_code == 400
    assert response.json()  # the field and what is wrong with it


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/projects/?q=%00",
        "/api/v1/organisations/?q=a%00b",
        "/api/v1/observations/?q=%00",
        "/api/v1/municipalities/?county=%00",
        "/api/v1/projects/?cursor=%00",
        "/api/v1/projects/?cursor=cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5",
        "/api/v1/projects/?page_size=99999999999999999999999",
    ],
)
def test_no_value_in_the_address_gives_a_server_error(client, reviewer, url):
    county_register("04")
    _token, raw = api_token_create(user=reviewer, name="R")
    response = client.get(url, **bearer(raw))
    assert response.status_code in (200, 400, 404)
    assert client.get(PROJECTS, **bearer(raw)).status_code == 200  # the connection still works


def test_the_sites_filters_narrow_the_api_list(client, reviewer):
    projects = county_register("04", projects=6)
    county_register("05", projects=2)
    _token, raw = api_token_create(user=reviewer, name="R")

    def ids(query):
        rows = client.get(PROJECTS + query, **bearer(raw)).json()["results"]
        return sorted(row["id"] for row in rows)

    ongoing = sorted(p.pk for p in projects if p.status == Project.Status.ONGOING)
    assert ids("?county=04&status=pagaende") == ongoing
    assert ids(f"?q={projects[0].reference_number}") == [projects[0].pk]
    assert len(ids("?county=04&amount_min=1&year=2001")) == 6
    assert ids("?amount_min=99999999999999") == []


def test_cursor_pages_walk_every_row_once(client, reviewer):
    made = county_register("04", projects=7) + county_register("05", projects=3)
    _token, raw = api_token_create(user=reviewer, name="R")
    seen, url = [], PROJECTS + "?page_size=3"
    while url:
        page = client.get(url, **bearer(raw)).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert seen == sorted(p.pk for p in made)
    page = client.get(PROJECTS + "?page_size=100000", **bearer(raw)).json()
    assert len(page["results"]) == 10  # capped at 500, all ten here


LISTS = [
    "api:project-list",
    "api:organisation-list",
    "api:agreement-list",
    "api:partnership-list",
    "api:cluster-list",
    "api:report-list",
    "api:observation-list",
    "api:conclusion-list",
    "api:municipality-list",
    "api:round-list",
]


def _grow(n: int, *, year: int) -> None:
    """``n`` of everything each list shows, in two counties, in a round of ``year``."""
    round_obj = builders.follow_up_round(year=year)
    for theme in Theme.objects.all()[:n]:
        NationalConclusion.objects.create(round=round_obj, theme=theme, text="Slutsats")
    for code in ("04", "05"):
        projects = county_register(code, projects=n, mark=code, start_year=year - 1)
        partnership = builders.partnership(county_code=code)
        for _ in range(n):
            builders.member(partnership_obj=partnership)
        cluster = builders.cluster(county_code=code)
        actors = [builders.cluster_actor(cluster_obj=cluster) for _ in range(n + 1)]
        for left, right in zip(actors, actors[1:], strict=False):
            builders.cluster_link(from_actor=left, to_actor=right)
        report = builders.county_report(round_obj=round_obj, county_code=code)
        for theme in Theme.objects.all()[:n]:
            observation = builders.observation(report=report, theme=theme)
            observation.projects.add(*projects)
        builders.set_status(report, ReportStatus.APPROVED)


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_the_same_number_of_queries_at_any_size(
    client, reviewer, name, django_assert_max_num_queries, settings
):
    # The throttle's first request in a new minute inserts its window instead of updating it:
    # counted apart (test_each_token_is_throttled_on_its_own_counted_in_the_database).
    settings.API_THROTTLE_RATE = ""
    _token, raw = api_token_create(user=reviewer, name="R")
    _grow(1, year=2001)
    client.get(reverse(name), **bearer(raw))  # the first use of the token writes its last use
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse(name), **bearer(raw)).status_code == 200
    _grow(6, year=2002)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(reverse(name), **bearer(raw))
        assert response.status_code == 200
    assert len(response.json()["results"]) >= 2
    assert len(large.captured_queries) == len(small.captured_queries)


# --- reports as the site shows them -------------------------------------------------------------


@pytest.fixture
def returned_report(coordinator_04, reviewer):
    """Södermanland's report, submitted, returned, and changed by the county since."""
    round_obj = builders.follow_up_round(year=2001)
    report = builders.county_report(round_obj=round_obj, county_code="04", summary="Inskickad")
    for theme in Theme.objects.all():
        builders.observation(report=report, theme=theme, text=f"Inskickad {theme.code}")
    county_report_submit(report=report, user=coordinator_04)
    county_report_return(report=report, user=reviewer, comment="Komplettera")
    report.refresh_from_db()
    report.summary = "Kompletteras"
    report.save()
    first = report.observations.order_by("pk").first()
    first.text = "Kompletteras just nu"
    first.save()
    return report


def test_the_ministry_reads_a_returned_report_as_submitted(
    client, returned_report, reviewer, coordinator_04
):
    url = reverse("api:report-detail", args=[returned_report.pk])
    _token, raw = api_token_create(user=reviewer, name="R")
    content = client.get(url, **bearer(raw)).json()["content"]
    assert content["as_submitted"] is True
    assert content["summary"] == "Inskickad"
    assert "Kompletteras just nu" not in str(content)
    assert len(content["observations"]) == Theme.objects.count()
    _token, own = api_token_create(user=coordinator_04, name="R")
    content = client.get(url, **bearer(own)).json()["content"]
    assert content["as_submitted"] is False
    assert content["summary"] == "Kompletteras"
    assert "Kompletteras just nu" in str(content)


def test_an_approved_report_gives_its_frozen_figures_and_evidence(client, coordinator_04, reviewer):
    (project,) = county_register("04", projects=1)
    round_obj = builders.follow_up_round(year=2001)
    report = builders.county_report(round_obj=round_obj, county_code="04")
    for theme in Theme.objects.all():
        observation = builders.observation(report=report, theme=theme)
        observation.projects.add(project)
    county_report_submit(report=report, user=coordinator_04)
    county_report_approve(report=report, user=reviewer)
    old_title = project.title
    project.title = "Bytt namn efter godkännandet"
    project.save()
    _token, raw = api_token_create(user=reviewer, name="R")
    body = client.get(reverse("api:report-detail", args=[report.pk]), **bearer(raw)).json()
    assert body["status"] == ReportStatus.APPROVED
    figures = body["frozen_figures"]
    assert figures["projects"]["total"] == 1
    assert Decimal(figures["by_category"]["stat"]["beslutat"]) == Decimal("9999999999999.99")
    cited = body["content"]["observations"][0]["evidence"]
    assert cited == [
        {"kind": "project", "id": project.pk, "name": f"{project.reference_number} {old_title}"}
    ]
    assert [event["action"] for event in body["events"]] == ["skicka-in", "godkann"]


def test_the_reviewer_never_reads_a_draft(client, reviewer):
    round_obj = builders.follow_up_round(year=2001)
    draft = builders.county_report(round_obj=round_obj, county_code="05", summary="Utkast")
    builders.observation(report=draft, text="Hemligt utkast")
    _token, raw = api_token_create(user=reviewer, name="R")
    for name in ("api:report-list", "api:observation-list"):
        response = client.get(reverse(name), **bearer(raw))
        assert response.json()["results"] == []
    response = client.get(reverse("api:report-detail", args=[draft.pk]), **bearer(raw))
    assert response.status_code == 404
    assert response.json() == {"detail": "Hittades inte."}  # no model named, in Swedish


# --- the schema ---------------------------------------------------------------------------------


def test_the_schema_is_generated_without_warnings_and_validates(tmp_path):
    call_command(
        "spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml")
    )
    assert "/api/v1/projects/" in (tmp_path / "schema.yaml").read_text()


def test_the_schema_describes_fields_in_swedish_and_english(client):
    both = client.get(reverse("api:schema") + "?format=json").json()
    project = both["components"]["schemas"]["Project"]["properties"]
    assert project["reference_number"]["description"] == (
        "Unikt inom länet, t.ex. 301-1234-00.\n\nEnglish: Unique within the county, e.g. "
        "301-1234-00."
    )
    assert both["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    english = client.get(reverse("api:schema") + "?format=json&lang=en").json()
    described = english["components"]["schemas"]["Project"]["properties"]["reference_number"]
    assert described["description"] == "Unique within the county, e.g. 301-1234-00."


def test_the_documentation_page_has_no_inline_script_or_style(client):
    page = client.get(reverse("api:docs")).content.decode()
    assert "<style" not in page
    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", page))
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    script = client.get(reverse("api:docs") + "?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_private_persons_are_named_in_the_api_to_those_with_a_role(client, reviewer):
    """The API is the register as the site shows it (open data withholds them:
    tests/test_open_data.py)."""
    person = builders.organisation(name="Anna Andersson", kind_code=OrganisationKind.PRIVATE_PERSON)
    _token, raw = api_token_create(user=reviewer, name="R")
    url = reverse("api:organisation-detail", args=[person.pk])
    assert client.get(url, **bearer(raw)).json()["name"] == "Anna Andersson"


def _as_json_schema(node):
    """OpenAPI 3.0's schema objects as JSON Schema: ``nullable`` as a null type, references to
    the components as references to ``$defs``."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _as_json_schema(value) for key, value in node.items()}
    if isinstance(node.get("$ref"), str):
        node["$ref"] = node["$ref"].replace("#/components/schemas/", "#/$defs/")
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


def test_every_answer_matches_the_published_schema(client, superuser, coordinator_04, settings):
    """What a client generated from the schema expects: every list and detail, with empty
    relations and every report status, validates against the schema's own response."""
    import jsonschema

    settings.API_THROTTLE_RATE = ""  # several hundred calls

    _grow(2, year=2001)
    person = builders.organisation(kind_code=OrganisationKind.PRIVATE_PERSON)  # no county
    projects = county_register("17", projects=2, start_year=2000)
    Project.objects.filter(pk=projects[0].pk).update(municipality=None, partnership=None)
    builders.financing_line(project_obj=projects[0], financier=person)
    NationalConclusion.objects.create(
        round=FollowUpRound.objects.get(year=2001), theme=None, text="Helheten"
    )
    draft = builders.county_report(round_obj=FollowUpRound.objects.get(year=2001), county_code="17")
    builders.observation(report=draft, assessment=None)
    schema = client.get(reverse("api:schema") + "?format=json").json()
    definitions = _as_json_schema(schema["components"]["schemas"])

    def check(path, body):
        for template, operations in schema["paths"].items():
            if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
                response = operations["get"]["responses"]["200"]["content"]["application/json"]
                validator = jsonschema.Draft202012Validator(
                    {**_as_json_schema(response["schema"]), "$defs": definitions}
                )
                errors = [
                    f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)
                ]
                assert errors == [], (path, errors[:5])
                return
        raise AssertionError(f"{path} is not in the schema")

    for user in (superuser, coordinator_04):
        _token, raw = api_token_create(user=user, name="Schemat")
        for name in sorted(n for n in API_BASENAMES):
            path = reverse(f"api:{name}-list")
            response = client.get(path + "?page_size=500", **bearer(raw))
            assert response.status_code == 200, path
            check(path, response.json())
            for row in response.json()["results"][:40]:
                key = row.get("id", row.get("code", row.get("year")))
                detail = reverse(f"api:{name}-detail", args=[key])
                answer = client.get(detail, **bearer(raw))
                assert answer.status_code == 200, detail
                check(detail, answer.json())


API_BASENAMES = (
    "county",
    "municipality",
    "organisation-kind",
    "financing-source",
    "theme",
    "round",
    "organisation",
    "agreement",
    "partnership",
    "project",
    "cluster",
    "report",
    "observation",
    "conclusion",
)
