"""The interface is Swedish, whatever language the browser asks for; English only by choice."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_admin_is_swedish_even_for_an_english_browser(superuser_client):
    response = superuser_client.get("/admin/agreements/project/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    page = response.content.decode()
    assert response["Content-Language"] == "sv"
    assert "Välj projekt att ändra" in page
    assert "Select" not in page


def test_english_when_chosen(superuser_client):
    superuser_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = superuser_client.get("/admin/agreements/project/").content.decode()
    assert "Select project to change" in page


def test_choosing_a_language_through_set_language(superuser_client):
    response = superuser_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert response.status_code == 302
    assert superuser_client.get("/admin/").headers["Content-Language"] == "en"


def test_an_unknown_language_falls_back_to_swedish(superuser_client):
    superuser_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert superuser_client.get("/admin/").headers["Content-Language"] == "sv"
