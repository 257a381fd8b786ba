"""Nothing of the register stays in the browser: every page and download says
``Cache-Control: no-store`` (after a logout, the back button and the cache hold nothing);
static files keep WhiteNoise's far-future caching.

The addresses come from the access matrix (``tests/test_access_matrix.py``), which fails when a
URL is added without a row there: a new page or download is checked here without a change.
"""

import json

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests import test_access_matrix
from tests.test_access_matrix import (
    CUSTOM_URLS,
    OK,
    REGISTERED,
    SITE_URLS,
    admin_url,
    client_for,
    has_version_pages,
    latest_version_shown_to_reviewers,
    superuser_client,
    version_url,
)

pytestmark = pytest.mark.django_db

world = test_access_matrix.world  # the matrix's data: two rows of every model, as a fixture

PERSONAS = ("coordinator_04", "coordinator_05", "reviewer", "coordinator_04_reviewer")


def assert_no_store(response, what):
    cache_control = response.get("Cache-Control", "")
    directives = {part.strip() for part in cache_control.split(",")}
    assert {"no-store", "private"} <= directives, (what, response.status_code, cache_control)
    assert "public" not in directives, what


def _persona_shown(outcomes) -> str | None:
    """A persona who is shown the page (200), if any."""
    return next((p for p in PERSONAS if outcomes.get(p) in (OK, 200)), None)


@pytest.mark.parametrize("name", sorted(SITE_URLS))
def test_every_page_and_download_says_no_store(client, world, name):
    method, build, outcomes = SITE_URLS[name]
    persona = _persona_shown(outcomes) or "coordinator_04"
    client = client_for(client, world, persona)
    response = getattr(client, method)(build(world, persona))
    if _persona_shown(outcomes):
        assert response.status_code == 200, (name, persona)
    assert_no_store(response, name)


def test_downloads_say_no_store(client, world):
    """The lists' files, the workbooks and the import template, streamed or not."""
    client = client_for(client, world, "coordinator_04")
    downloads = [
        reverse("site:projects_csv") + "?county=04",
        reverse("site:observations_xlsx"),
        reverse("site:county_xlsx", args=[2001, "04"]),
        reverse("site:import_template", args=["04"]),
        reverse("admin:agreements_project_import_template"),
    ]
    for url in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get("Content-Disposition", "").startswith("attachment"), url
        assert_no_store(response, url)
    report = world["04"]["followup.countyreport"]
    for name, spec in CUSTOM_URLS.items():
        if name.endswith("_export"):
            response = client.post(
                reverse(name, args=[report.pk]), {**spec["posts"][0], "status": report.status}
            )
            assert response.status_code == 200, name
            assert_no_store(response, name)


@pytest.mark.parametrize("label", sorted(REGISTERED))
def test_every_admin_page_says_no_store(world, label):
    model = REGISTERED[label]
    obj = world["04"][label]
    client = superuser_client(world)
    urls = [admin_url(model, "changelist"), admin_url(model, "add")] + [
        admin_url(model, view, obj.pk) for view in ("change", "history", "delete")
    ]
    if has_version_pages(model) and hasattr(model, "history"):
        urls.append(version_url(model, obj.pk, latest_version_shown_to_reviewers(obj).history_id))
    for url in urls:
        response = client.get(url)
        # The lists and records are shown; adding or deleting a record the system writes is not.
        assert response.status_code == 200 or "/add/" in url or "/delete/" in url, url
        assert_no_store(response, url)


def test_error_pages_and_the_login_say_no_store(client, world):
    assert_no_store(client.get(reverse("site:login")), "login")
    assert_no_store(client.get(reverse("health")), "health")
    client = client_for(client, world, "coordinator_04")
    assert_no_store(client.get("/finns-inte/"), "404")
    assert_no_store(client.get(reverse("site:county", args=[2001, "05"])), "another county")


def test_static_files_keep_their_caching(tmp_path, world):
    """A hashed static file served by WhiteNoise is cached for ever, even for a logged-in user."""
    hashed = "site/site.0123456789ab.css"
    (tmp_path / "site").mkdir()
    (tmp_path / hashed).write_text("body { color: black; }\n")
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"site/site.css": hashed}, "version": "1.1", "hash": "0"})
    )
    storage = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": storage},
        },
    ):
        client = client_for(Client(), world, "coordinator_04")  # a new client: WhiteNoise anew
        response = client.get(f"/static/{hashed}")
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        assert "immutable" in cache_control and "max-age=315360000" in cache_control
        assert "no-store" not in cache_control and "private" not in cache_control
