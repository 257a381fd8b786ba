"""Import of projects from Excel on the review site, as a coordinator does it: the county page's
links, the template, upload → preview → confirm or cancel; refused files; who may see the pages.

The steps are the admin's (agreements.imports.flow); tests/test_import_access.py has the admin's
pages and the service, tests/test_import_hostile.py and test_import_bad_rows.py every bad file.
"""

import io
import secrets

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from agreements.imports import columns as cols
from agreements.imports import uploads
from agreements.imports.services import CHANGE_REASON
from agreements.models import Project
from core.roles import Role
from tests import builders
from tests import import_builders as ib
from tests.conftest import _make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_upload_dir")]

YEAR = 2001
GONE = "Förhandsgranskningen finns inte längre"


@pytest.fixture
def world():
    builders.follow_up_round(year=YEAR)
    return {"04": ib.county_world("04"), "05": ib.county_world("05")}


def import_url(code="04"):
    return reverse("site:county_import", args=[YEAR, code])


def confirm_url(code="04"):
    return reverse("site:county_import_confirm", args=[YEAR, code])


def template_url(code="04"):
    return reverse("site:import_template", args=[code])


def county_url(code="04"):
    return reverse("site:county", args=[YEAR, code])


def new_project_file(code="04", reference_number=None):
    book = ib.template(code)
    owner = "556012-5790" if code == "04" else "556036-0793"
    ib.new_project(book, reference_number=reference_number or f"{code}-0100", owner=owner)
    return ib.save(book)


def upload(client, file, code="04"):
    return client.post(import_url(code), {"file": file})


def waiting_files():
    return uploads.waiting()


# --- The county page and the template ------------------------------------------------------------


def test_the_county_page_offers_the_template_and_the_import_to_its_coordinator(
    client, world, coordinator_04
):
    client.force_login(coordinator_04)

    content = client.get(county_url()).content.decode()

    assert "Ladda ned mall (Excel)" in content and template_url() in content
    assert "Importera projekt från Excel" in content and import_url() in content


@pytest.mark.parametrize("persona", ["reviewer", "coordinator_05"])
def test_the_county_page_offers_no_import_to_others(client, world, personas, persona):
    client.force_login(personas[persona])

    response = client.get(county_url("04"))

    content = response.content.decode()
    assert response.status_code == (200 if persona == "reviewer" else 404)
    assert import_url() not in content and template_url() not in content
    assert "Importera projekt från Excel" not in content


def test_the_template_is_the_countys_own_with_its_projects(client, world, coordinator_04):
    client.force_login(coordinator_04)

    response = client.get(template_url())

    assert response.status_code == 200
    assert "importmall-projekt-04-S%C3%B6dermanland.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book[cols.PROJECTS].cell(2, 2).value == "04-0001"


def test_the_import_page_says_what_file_to_upload_and_how_large(client, world, coordinator_04):
    client.force_login(coordinator_04)

    response = client.get(import_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert 'enctype="multipart/form-data"' in content and "csrfmiddlewaretoken" in content
    assert '<label for="id_file">Ifylld importmall (.xlsx)</label>' in content
    assert 'aria-describedby="id_file_helptext"' in content
    assert "Största tillåtna storlek är 10,0 MB." in content
    assert template_url() in content
    assert not waiting_files()


# --- Upload → preview → confirm ------------------------------------------------------------------


def test_a_coordinator_uploads_previews_and_confirms(client, world, coordinator_04):
    client.force_login(coordinator_04)
    book = ib.template()
    existing = world["04"]["projects"][0]
    row = ib.row_of(book[cols.PROJECTS], "id", existing.pk)
    ib.set_cell(book, cols.PROJECTS, row, "title", "Nytt namn från Excel")
    ib.new_project(book, reference_number="04-0100")
    before = ib.register_state()

    preview = upload(client, ib.save(book))

    assert preview.status_code == 200
    content = preview.content.decode()
    assert "Förhandsgranskning: mall.xlsx till Södermanlands län" in content
    counts = {sheet: numbers for sheet, *numbers in preview.context["counts"]}
    assert counts[cols.PROJECTS] == [1, 1, 0]
    assert counts[cols.FINANCING] == [0, 0, 1]
    assert (
        '<tr><th scope="row">Projekt</th><td class="num">1</td><td class="num">1</td>'
        '<td class="num">0</td></tr>'
    ) in content
    assert "Spara importen" in content and confirm_url() in content
    assert ib.register_state() == before  # the preview writes nothing
    token = preview.context["token"]

    done = client.post(confirm_url(), {"token": token, "confirm": "1"})

    assert done.status_code == 302
    assert done["Location"] == county_url()
    page = client.get(done["Location"]).content.decode()
    assert "Importen är sparad i Södermanlands län. Projekt: nya 1, ändrade 1." in page
    created = Project.objects.get(reference_number="04-0100")
    existing.refresh_from_db()
    assert existing.title == "Nytt namn från Excel"
    for project, kind in ((created, "+"), (existing, "~")):
        record = project.history.latest()
        assert (record.history_type, record.history_user) == (kind, coordinator_04)
        assert record.history_change_reason == CHANGE_REASON
    assert not uploads.exists(token)


def test_a_preview_is_saved_once(client, world, coordinator_04):
    client.force_login(coordinator_04)
    token = upload(client, new_project_file()).context["token"]
    client.post(confirm_url(), {"token": token, "confirm": "1"})

    again = client.post(confirm_url(), {"token": token, "confirm": "1"}, follow=True)

    assert again.redirect_chain == [(import_url(), 302)]
    assert GONE in again.content.decode()
    assert Project.objects.filter(reference_number="04-0100").count() == 1


def test_cancel_saves_nothing_and_removes_the_file(client, world, coordinator_04):
    client.force_login(coordinator_04)
    token = upload(client, new_project_file()).context["token"]

    response = client.post(confirm_url(), {"token": token, "cancel": "1"}, follow=True)

    assert response.redirect_chain == [(county_url(), 302)]
    assert "Importen är avbruten. Ingenting har sparats." in response.content.decode()
    assert not uploads.exists(token)
    assert not Project.objects.filter(reference_number="04-0100").exists()


def test_an_invalid_file_shows_every_error_with_its_place_and_saves_nothing(
    client, world, coordinator_04
):
    client.force_login(coordinator_04)
    book = ib.template()
    row = ib.new_project(book, municipality="9999", owner="Ingen AB")
    before = ib.register_state()

    preview = upload(client, ib.save(book))

    content = preview.content.decode()
    assert preview.status_code == 200
    assert "Filen har 2 fel." in content
    places = {(p.sheet, p.row, p.column) for p in preview.context["result"].problems}
    assert places == {(cols.PROJECTS, row, "Kommun"), (cols.PROJECTS, row, "Projektägare")}
    for problem in preview.context["result"].problems:
        cells = (
            f"<td>{problem.sheet}</td>\n"
            f'            <td class="nowrap">{problem.row}</td>\n'
            f"            <td>{problem.column} ({problem.letter})</td>\n"
            f"            <td>{problem.message}</td>"
        )
        assert cells in content
    assert "Okänd kommun ”9999”" in content and "Okänd organisation ”Ingen AB”" in content
    assert "Spara importen" not in content and preview.context["token"] is None
    assert not waiting_files()
    assert ib.register_state() == before


def test_another_countys_file_is_refused(client, world, coordinator_04):
    client.force_login(coordinator_04)
    before = ib.register_state()

    preview = upload(client, new_project_file("05"))

    content = preview.content.decode()
    assert "Filen gäller Östergötlands län, men du importerar till Södermanlands län." in content
    assert preview.context["token"] is None and "Spara importen" not in content
    assert not waiting_files()
    assert ib.register_state() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"hej, det ar ingen arbetsbok", "Filen är inte en Excel-arbetsbok (.xlsx)."),
        (b"", "Den skickade filen är tom."),
    ],
)
def test_a_broken_file_is_refused_with_the_reason(client, world, coordinator_04, data, message):
    client.force_login(coordinator_04)
    before = ib.register_state()
    file = io.BytesIO(data)
    file.name = "mall.xlsx"

    response = upload(client, file)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context.get("token") is None
    assert not waiting_files()
    assert ib.register_state() == before


def test_a_hostile_file_is_refused(client, world, coordinator_04):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><worksheet '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData>'
        b"</worksheet>"
    )
    file = ib.rezip(new_project_file(), replace={"xl/worksheets/sheet2.xml": laughs})
    client.force_login(coordinator_04)
    before = ib.register_state()

    response = upload(client, file)

    assert "Filen innehåller otillåten XML" in response.content.decode()
    assert response.context["token"] is None
    assert ib.register_state() == before


def test_a_file_over_the_size_limit_is_refused_by_the_form(client, world, coordinator_04, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(coordinator_04)

    response = upload(client, new_project_file())

    content = response.content.decode()
    assert response.status_code == 200
    assert "Filen är för stor" in content and "Största tillåtna storlek är 0,0 MB." in content
    assert 'aria-invalid="true"' in content
    assert not waiting_files()
    assert not Project.objects.filter(reference_number="04-0100").exists()


def test_a_register_changed_since_the_preview_is_shown_again(client, world, coordinator_04):
    client.force_login(coordinator_04)
    book = ib.template()
    project = world["04"]["projects"][0]
    row = ib.row_of(book[cols.PROJECTS], "id", project.pk)
    ib.set_cell(book, cols.PROJECTS, row, "title", "Ny")
    token = upload(client, ib.save(book)).context["token"]
    project.refresh_from_db()
    project.description = "Ändrad av någon annan under tiden"
    project.save()

    response = client.post(confirm_url(), {"token": token, "confirm": "1"})

    assert response.status_code == 200
    assert "Registret har ändrats sedan förhandsgranskningen" in response.content.decode()
    project.refresh_from_db()
    assert project.title != "Ny"
    client.post(confirm_url(), {"token": response.context["token"], "confirm": "1"})
    project.refresh_from_db()
    assert project.title == "Ny"


# --- Confirm only what was previewed -------------------------------------------------------------


@pytest.mark.parametrize("token", ["", "../../etc/passwd", "x" * 43, secrets.token_urlsafe(32)])
def test_confirm_without_a_preview_is_refused(client, world, coordinator_04, token):
    client.force_login(coordinator_04)
    before = ib.register_state()

    response = client.post(confirm_url(), {"token": token, "confirm": "1"}, follow=True)

    assert response.redirect_chain == [(import_url(), 302)]
    assert GONE in response.content.decode()
    assert ib.register_state() == before


def test_a_token_from_another_session_saves_nothing(client, world, coordinator_04):
    client.force_login(coordinator_04)
    token = upload(client, new_project_file()).context["token"]
    other = Client()
    other.force_login(coordinator_04)

    response = other.post(confirm_url(), {"token": token, "confirm": "1"}, follow=True)

    assert GONE in response.content.decode()
    assert not Project.objects.filter(reference_number="04-0100").exists()


def test_a_preview_confirmed_on_another_countys_page_saves_nothing(
    client, world, django_user_model
):
    both = _make_user(
        django_user_model, "samordnare0405", role=Role.COORDINATOR, counties=["04", "05"]
    )
    client.force_login(both)
    token = upload(client, new_project_file("04"), code="04").context["token"]

    response = client.post(confirm_url("05"), {"token": token, "confirm": "1"})

    assert response.status_code == 404
    assert not Project.objects.filter(reference_number="04-0100").exists()
    assert not uploads.exists(token)


def test_get_never_changes_anything(client, world, coordinator_04):
    client.force_login(coordinator_04)
    token = upload(client, new_project_file()).context["token"]

    assert client.get(confirm_url(), {"token": token, "confirm": "1"}).status_code == 405
    assert client.get(import_url(), {"token": token, "confirm": "1"}).status_code == 200

    assert not Project.objects.filter(reference_number="04-0100").exists()
    assert uploads.exists(token)


def test_posts_need_the_csrf_token(world, coordinator_04):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator_04)

    assert upload(client, new_project_file()).status_code == 403
    assert client.post(confirm_url(), {"token": "x" * 43, "confirm": "1"}).status_code == 403
    assert not waiting_files()


# --- Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["reviewer", "coordinator_05"])
def test_others_get_the_answer_of_a_missing_page(client, world, personas, persona):
    client.force_login(personas[persona])
    before = ib.register_state()

    for code in ("04", "99"):  # Södermanland, and a county that does not exist
        assert client.get(import_url(code)).status_code == 404, code
        assert upload(client, new_project_file("04"), code=code).status_code == 404, code
        response = client.post(confirm_url(code), {"token": "x" * 43, "confirm": "1"})
        assert response.status_code == 404, code
        assert client.get(template_url(code)).status_code == 404, code

    assert not waiting_files()
    assert ib.register_state() == before


def test_a_user_without_a_role_is_refused_and_an_anonymous_one_sent_to_log_in(
    client, world, staff_without_role
):
    login = reverse("site:login")
    for url in (import_url(), template_url()):
        assert client.get(url)["Location"].startswith(login)
    assert client.post(confirm_url(), {"token": "x" * 43})["Location"].startswith(login)
    client.force_login(staff_without_role)
    assert client.get(import_url()).status_code == 403
    assert upload(client, new_project_file()).status_code == 403
    assert client.get(template_url()).status_code == 403
    assert not waiting_files()
    assert not Project.objects.filter(reference_number="04-0100").exists()


def test_an_administrator_imports_into_any_county(client, world, administrator):
    client.force_login(administrator)
    assert "Importera projekt från Excel" in client.get(county_url("05")).content.decode()
    token = upload(client, new_project_file("05"), code="05").context["token"]

    response = client.post(confirm_url("05"), {"token": token, "confirm": "1"})

    assert response["Location"] == county_url("05")
    project = Project.objects.get(reference_number="05-0100")
    assert project.history.get().history_user == administrator
