"""Logging in and out of the review site, in Swedish."""

import pytest

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
