"""Logging in and out of the review site, in Swedish."""

import pytest
from django.conf import global_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import override_settings

from config import settings as production

# What production hashes with (the suite uses MD5 for speed, config/test_settings.py).
PRODUCTION_HASHERS = getattr(production, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)

pytestmark = pytest.mark.django_db


def test_login_page_is_swedish_and_accessible(client):
    page = client.get("/konto/logga-in/").content.decode()
    assert '<html lang="sv">' in page
    assert '<label for="id_username">Användarnamn</label>' in page
    assert '<label for="id_password">Lösenord</label>' in page


def test_wrong_password_says_so_in_swedish(client, coordinator_04):
    response = client.post(
        "/konto/logga-in/", {"username": "samordnare04", "password": "fel-lösenord"}
    )
    assert "Fel användarnamn eller lösenord" in response.content.decode()


def test_login_takes_the_user_to_the_start_page(client, coordinator_04):
    response = client.post(
        "/konto/logga-in/", {"username": "samordnare04", "password": "not-a-real-password"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_start_page_needs_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_logout_is_post_only_and_ends_the_session(client, coordinator_04):
    client.force_login(coordinator_04)
    assert client.get("/konto/logga-ut/").status_code == 405
    response = client.post("/konto/logga-ut/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_user_without_role_is_told_what_to_do(client, staff_without_role):
    client.force_login(staff_without_role)
    assert "Ditt konto har ingen roll ännu" in client.get("/").content.decode()


def test_a_pbkdf2_password_is_rehashed_with_argon2id_at_the_next_login(client, coordinator_04):
    with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):
        # As stored before Argon2id came first (fewer iterations than Django's, to be quick).
        coordinator_04.password = PBKDF2PasswordHasher().encode(
            "not-a-real-password", "somesalt1234", iterations=1000
        )
        coordinator_04.save(update_fields=["password"])

        response = client.post(
            "/konto/logga-in/", {"username": "samordnare04", "password": "not-a-real-password"}
        )

        assert response.status_code == 302 and response["Location"] == "/"
        coordinator_04.refresh_from_db()
        assert coordinator_04.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
        client.post("/konto/logga-ut/")
        again = client.post(
            "/konto/logga-in/", {"username": "samordnare04", "password": "not-a-real-password"}
        )
        assert again.status_code == 302 and again["Location"] == "/"


def test_an_argon2_hash_with_djangos_parameters_is_made_anew_with_ours(client, coordinator_04):
    """Argon2 at Django's own defaults (100 MiB, 8 lanes) costs as much CPU as PBKDF2: such a
    hash is replaced by one with OWASP's profile at the next login."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):
        coordinator_04.password = Argon2PasswordHasher().encode(
            "not-a-real-password", "somesalt1234"
        )
        coordinator_04.save(update_fields=["password"])
        assert "m=102400,t=2,p=8" in coordinator_04.password

        response = client.post(
            "/konto/logga-in/", {"username": "samordnare04", "password": "not-a-real-password"}
        )

        assert response.status_code == 302
        coordinator_04.refresh_from_db()
        assert coordinator_04.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
