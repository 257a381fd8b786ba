"""The interface is Swedish, whatever language the browser asks for; English only by choice,
from a menu that names each language in itself."""

import re

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


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_language_menu_names_each_language_in_itself(client, language):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get("/konto/logga-in/").content.decode()
    options = re.findall(r'<option value="(\w+)" lang="(\w+)"( selected)?>([^<]+)</option>', page)
    assert [(value, lang, name) for value, lang, _selected, name in options] == [
        ("sv", "sv", "Svenska"),
        ("en", "en", "English"),
    ]
    assert [value for value, _lang, selected, _name in options if selected] == [language]
