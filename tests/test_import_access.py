"""Who may import where — through the service and through the admin pages, as a person would:
upload, read the preview, confirm or cancel."""

import io

import openpyxl
import pytest
from django.urls import reverse

from agreements.imports import columns as cols
from agreements.imports import uploads
from agreements.imports.services import ImportRefused, projects_import
from agreements.models import Project
from tests import builders
from tests import import_builders as ib

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_upload_dir")]

IMPORT_URL = "admin:agreements_project_import"
TEMPLATE_URL = "admin:agreements_project_import_template"


@pytest.fixture
def world():
    return {"04": ib.county_world("04"), "05": ib.county_world("05")}


def new_project_file(code="04", reference_number=None):
    book = ib.template(code)
    owner = "556012-5790" if code == "04" else "556036-0793"
    measure = "1.1 Företagsutveckling"
    ib.new_project(
        book, reference_number=reference_number or f"{code}-0100", owner=owner, measure=measure
    )
    return ib.save(book)


# --- The service ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["reviewer", "staff_without_role", "coordinator_05"])
def test_only_the_countys_coordinator_or_an_administrator_may_import(world, personas, persona):
    before = ib.register_state()
    with pytest.raises(
        ImportRefused, match="Du får inte importera projekt till Södermanlands län."
    ):
        projects_import(
            county=builders.county("04"),
            user=personas[persona],
            file=new_project_file("04"),
            dry_run=False,
        )
    assert ib.register_state() == before


def test_an_administrator_imports_into_any_county(world, administrator):
    result = projects_import(
        county=builders.county("05"), user=administrator, file=new_project_file("05"), dry_run=False
    )
    assert result.written
    assert (
        Project.objects.get(reference_number="05-0100").history.get().history_user == administrator
    )


# --- The admin pages -----------------------------------------------------------------------------


def upload(client, file, county_code="04"):
    return client.post(
        reverse(IMPORT_URL), {"county": builders.county(county_code).pk, "file": file}
    )


def test_a_coordinator_uploads_previews_and_confirms(client, world, coordinator_04):
    client.force_login(coordinator_04)
    before = ib.register_state()

    preview = upload(client, new_project_file("04"))

    assert preview.status_code == 200
    content = preview.content.decode()
    assert "Förhandsgranskning" in content and "Spara importen" in content
    assert preview.context["result"].counts[cols.PROJECTS]["create"] == 1
    assert ib.register_state() == before  # the preview writes nothing
    token = preview.context["token"]

    done = client.post(reverse(IMPORT_URL), {"token": token, "confirm": "1"})

    assert done.status_code == 302
    assert done["Location"] == reverse("admin:agreements_project_changelist")
    project = Project.objects.get(reference_number="04-0100")
    assert project.history.get().history_user == coordinator_04
    assert not uploads.exists(token)
    again = client.post(reverse(IMPORT_URL), {"token": token, "confirm": "1"}, follow=True)
    assert "Förhandsgranskningen finns inte längre" in again.content.decode()
    assert Project.objects.filter(reference_number="04-0100").count() == 1


def test_the_preview_lists_every_error_and_offers_no_save(client, world, coordinator_04):
    client.force_login(coordinator_04)
    book = ib.template()
    ib.new_project(book, municipality="9999", owner="Ingen AB")

    preview = upload(client, ib.save(book))

    content = preview.content.decode()
    assert "Filen har 2 fel." in content
    assert "Okänd kommun ”9999”" in content and "Okänd organisation ”Ingen AB”" in content
    assert "Spara importen" not in content
    assert preview.context["token"] is None
    assert not uploads.waiting()


def test_a_file_for_another_county_is_refused_in_the_preview(client, world, administrator):
    client.force_login(administrator)
    preview = upload(client, new_project_file("05"), county_code="04")
    assert "Filen gäller Östergötlands län, men du importerar till Södermanlands län." in (
        preview.content.decode()
    )
    assert preview.context["token"] is None


def test_cancel_removes_the_waiting_file(client, world, coordinator_04):
    client.force_login(coordinator_04)
    token = upload(client, new_project_file("04")).context["token"]

    response = client.post(reverse(IMPORT_URL), {"token": token, "cancel": "1"})

    assert response.status_code == 302
    assert not uploads.exists(token)
    assert not Project.objects.filter(reference_number="04-0100").exists()


def test_a_coordinator_cannot_choose_another_county(client, world, coordinator_05):
    client.force_login(coordinator_05)
    page = client.get(reverse(IMPORT_URL))
    assert list(page.context["form"].fields["county"].queryset) == [builders.county("05")]

    response = upload(client, new_project_file("04"), county_code="04")

    assert response.status_code == 200
    assert "county" in response.context["form"].errors
    assert not Project.objects.filter(reference_number="04-0100").exists()


def test_a_token_from_another_session_saves_nothing(client, world, coordinator_04, coordinator_05):
    client.force_login(coordinator_04)
    token = upload(client, new_project_file("04")).context["token"]
    client.logout()
    client.force_login(coordinator_05)

    response = client.post(reverse(IMPORT_URL), {"token": token, "confirm": "1"}, follow=True)

    assert "Förhandsgranskningen finns inte längre" in response.content.decode()
    assert not Project.objects.filter(reference_number="04-0100").exists()


@pytest.mark.parametrize("token", ["../../etc/passwd", "x" * 43, ""])
def test_a_forged_token_saves_nothing(client, world, coordinator_04, token):
    client.force_login(coordinator_04)
    response = client.post(reverse(IMPORT_URL), {"token": token, "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse(IMPORT_URL)


def test_a_register_changed_since_the_preview_is_shown_again(client, world, coordinator_04):
    client.force_login(coordinator_04)
    book = ib.template()
    project = world["04"]["projects"][0]
    ib.set_cell(
        book, cols.PROJECTS, ib.row_of(book[cols.PROJECTS], "id", project.pk), "title", "Ny"
    )
    token = upload(client, ib.save(book)).context["token"]
    project.refresh_from_db()
    project.description = "Ändrad av någon annan under tiden"
    project.save()

    response = client.post(reverse(IMPORT_URL), {"token": token, "confirm": "1"})

    assert response.status_code == 200
    assert "Registret har ändrats sedan förhandsgranskningen" in response.content.decode()
    project.refresh_from_db()
    assert project.title != "Ny"
    assert response.context["result"].changes[0].fields == ["projektnamn", "beskrivning"]
    # Confirming the new preview saves it (the other person's edit is in the file's terms).
    client.post(reverse(IMPORT_URL), {"token": response.context["token"], "confirm": "1"})
    project.refresh_from_db()
    assert project.title == "Ny"


@pytest.mark.parametrize("persona", ["reviewer", "staff_without_role"])
def test_reviewers_and_users_without_a_role_have_no_import(client, world, personas, persona):
    client.force_login(personas[persona])
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert upload(client, new_project_file("04")).status_code == 403
    assert client.get(reverse(TEMPLATE_URL), {"lan": "04"}).status_code == 403
    assert not Project.objects.filter(reference_number="04-0100").exists()


def test_the_changelist_offers_import_to_coordinators_only(client, world, coordinator_04, reviewer):
    changelist = reverse("admin:agreements_project_changelist")
    client.force_login(coordinator_04)
    content = client.get(changelist).content.decode()
    assert reverse(IMPORT_URL) in content and reverse(TEMPLATE_URL) in content
    client.force_login(reviewer)
    assert reverse(IMPORT_URL) not in client.get(changelist).content.decode()


def test_the_template_download_is_the_coordinators_own_county(client, world, coordinator_04):
    client.force_login(coordinator_04)

    response = client.get(reverse(TEMPLATE_URL))

    assert response.status_code == 200
    assert "importmall-projekt-04-S%C3%B6dermanland.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book[cols.PROJECTS].cell(2, 2).value == "04-0001"
    other = client.get(reverse(TEMPLATE_URL), {"lan": "05"})
    missing = client.get(reverse(TEMPLATE_URL), {"lan": "99"})
    assert other.status_code == missing.status_code == 404
