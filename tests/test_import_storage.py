"""Where an upload waits between the preview and the confirmation, as the settings make it: a
folder every app server shares (IMPORT_UPLOAD_DIR), or an S3-compatible bucket through
django-storages (IMPORT_STORAGE=s3) — here moto's S3 in the test's own process, reached through
boto3 exactly as a real store would be. And the cache: Redis with REDIS_URL, else the database.

tests/test_two_servers.py previews on one app server and confirms on another.
"""

import runpy
import socket
from importlib import import_module

import boto3
import pytest
from django.contrib.sessions.backends import db as db_sessions
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from moto import mock_aws

from agreements.imports import uploads
from agreements.models import Project
from tests import builders
from tests import import_builders as ib

SETTINGS = "config/settings.py"
BUCKET = "uppfoljning-importer"


def settings_with(monkeypatch, **env) -> dict:
    """config/settings.py as it reads the environment ``env`` (run afresh, not imported)."""
    monkeypatch.setenv("SECRET_KEY", "test-only-key-never-used-outside-the-test-suite")
    for name in ("IMPORT_STORAGE", "IMPORT_S3_BUCKET", "IMPORT_S3_ENDPOINT_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS)


def test_by_default_uploads_wait_in_a_private_folder(monkeypatch, tmp_path):
    made = settings_with(monkeypatch, IMPORT_UPLOAD_DIR=str(tmp_path / "delad"))

    imports = made["STORAGES"]["imports"]
    assert imports["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert imports["OPTIONS"]["location"] == tmp_path / "delad"
    assert imports["OPTIONS"]["file_permissions_mode"] == 0o600


def test_s3_needs_a_bucket_and_nothing_else_is_a_storage(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="IMPORT_S3_BUCKET"):
        settings_with(monkeypatch, IMPORT_STORAGE="s3")
    with pytest.raises(ImproperlyConfigured, match="filesystem or s3"):
        settings_with(monkeypatch, IMPORT_STORAGE="nfs")


def test_the_cache_is_redis_with_redis_url_and_otherwise_the_database(monkeypatch):
    assert settings_with(monkeypatch)["CACHES"]["default"]["BACKEND"] == (
        "django.core.cache.backends.db.DatabaseCache"
    )
    redis = settings_with(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/15")["CACHES"]["default"]
    assert redis == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
    }
    # Sessions stay in the database whatever the cache: Django's database sessions (sliding
    # their idle timeout without rewriting their data, core/sessions.py).
    engine = import_module(settings_with(monkeypatch)["SESSION_ENGINE"])
    assert issubclass(engine.SessionStore, db_sessions.SessionStore)
    assert (
        import_module(
            settings_with(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/15")["SESSION_ENGINE"]
        ).SessionStore
        is engine.SessionStore
    )


@pytest.mark.django_db
def test_the_database_cache_has_its_table_after_migrate():
    cache = caches["default"]
    cache.set("pröva", {"län": "04"}, 30)
    assert cache.get("pröva") == {"län": "04"}


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_the_redis_cache_from_redis_url_keeps_values(monkeypatch, settings):
    settings.CACHES = settings_with(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/15")["CACHES"]
    cache = caches["default"]
    cache.set("pröva", {"län": "04"}, 30)
    assert cache.get("pröva") == {"län": "04"}
    cache.delete("pröva")


@pytest.fixture
def s3_imports(monkeypatch, settings):
    """The imports storage as IMPORT_STORAGE=s3 makes it, against moto's S3."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    made = settings_with(
        monkeypatch, IMPORT_STORAGE="s3", IMPORT_S3_BUCKET=BUCKET, IMPORT_S3_REGION="eu-north-1"
    )
    assert made["STORAGES"]["imports"]["BACKEND"] == "storages.backends.s3.S3Storage"
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-north-1")
        s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
        )
        settings.STORAGES = {**settings.STORAGES, "imports": made["STORAGES"]["imports"]}
        yield s3


def objects(s3) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


@pytest.mark.django_db
def test_an_import_waits_in_the_s3_bucket_between_preview_and_confirmation(
    client, s3_imports, coordinator_04
):
    builders.follow_up_round(year=2001)
    ib.county_world("04")
    client.force_login(coordinator_04)
    book = ib.template("04")
    ib.new_project(book, reference_number="04-0100", owner="556012-5790")

    preview = client.post(reverse("site:county_import", args=[2001, "04"]), {"file": ib.save(book)})

    token = preview.context["token"]
    assert token and objects(s3_imports) == [f"imports/{token}.xlsx"]
    assert uploads.waiting() == [f"{token}.xlsx"]
    head = s3_imports.head_object(Bucket=BUCKET, Key=f"imports/{token}.xlsx")
    assert head["ContentLength"] > 1000

    saved = client.post(reverse("site:county_import_confirm", args=[2001, "04"]), {"token": token})

    assert saved.status_code == 302
    assert Project.objects.filter(reference_number="04-0100").count() == 1
    assert objects(s3_imports) == []
    # Confirmed again (a second click, or another server): the preview is gone, nothing more.
    again = client.post(reverse("site:county_import_confirm", args=[2001, "04"]), {"token": token})
    assert again.status_code == 302 and again["Location"].endswith("/importera/")
    assert Project.objects.filter(reference_number="04-0100").count() == 1


@pytest.mark.django_db
def test_a_file_gone_from_the_bucket_is_a_preview_gone(s3_imports):
    with pytest.raises(uploads.Gone):
        uploads.local_copy("x" * 43)
