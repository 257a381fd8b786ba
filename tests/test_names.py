"""Look-alike names: a name or title is one line of visible text, stored composed (NFC), and a
second organisation with the same name — or the same organisationsnummer — is not made
silently, whichever way it is written (admin form and inline, model save, Excel import)."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from agreements.imports import columns as cols
from agreements.imports.services import projects_import
from agreements.models import (
    FinancingSource,
    Organisation,
    Project,
)
from agreements.models.fields import NameRefused
from followup.models import Theme
from tests import builders
from tests import import_builders as ib
from tests.admin_forms import page_form_data

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # right-to-left override: "Eskilstuna" + RLO + "anummok" reads "Eskilstuna kommun"
ZWSP = "\u200b"  # zero-width space
INVISIBLE = "Texten innehåller ett osynligt tecken eller ett styrtecken"
ONE_LINE = "Texten ska stå på en rad: radbrytningar och tabbtecken är inte tillåtna."
# "Mälardalens högskola" typed with combining diaeresis (NFD), as some systems paste it.
DECOMPOSED = unicodedata.normalize("NFD", "Mälardalens högskola")
COMPOSED = "Mälardalens högskola"


def add_url():
    return reverse("admin:agreements_organisation_add")


def change_url(org):
    return reverse("admin:agreements_organisation_change", args=[org.pk])


def new_organisation(client, **values):
    data = {
        "name": "Nytt Bolag AB",
        "kind": builders.kind().pk,
        "org_number": "",
        "county": builders.county("04").pk,
        "municipality": "",
    } | values
    return client.post(add_url(), data)


def form_errors(response, field):
    return " ".join(response.context["adminform"].form.errors.get(field, []))


# --- characters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (f"Eskilstuna {RLO}anummok", f"{INVISIBLE} (U+202E, tecken 12)."),
        (f"Eskilstuna{ZWSP} kommun", f"{INVISIBLE} (U+200B, tecken 11)."),
        ("Eskilstuna kommun\u2066", f"{INVISIBLE} (U+2066, tecken 18)."),
        ("Eskilstuna\u00adkommun", f"{INVISIBLE} (U+00AD, tecken 11)."),
        ("Eskilstuna kommun\ufe0f", f"{INVISIBLE} (U+FE0F, tecken 18)."),
        ("Eskilstuna\u2800kommun", f"{INVISIBLE} (U+2800, tecken 11)."),
        ("Eskilstuna kommun\ufffc", f"{INVISIBLE} (U+FFFC, tecken 18)."),
        ("Eskilstuna kommun\U0001d159", f"{INVISIBLE} (U+1D159, tecken 18)."),
        ("Eskilstuna\tkommun", ONE_LINE),
        ("Eskilstuna\nkommun", ONE_LINE),
    ],
)
def test_the_admin_refuses_hidden_characters_in_a_name(superuser_client, name, message):
    response = new_organisation(superuser_client, name=name)

    assert response.status_code == 200
    assert form_errors(response, "name").startswith(message)
    assert not Organisation.objects.filter(name__startswith="Eskilstuna").exists()


def test_a_coordinator_is_refused_too_and_the_message_is_on_the_page(client, coordinator_04):
    client.force_login(coordinator_04)
    response = new_organisation(client, name=f"Nytt{ZWSP} Bolag AB")

    assert response.status_code == 200
    assert "(U+200B, tecken 5)" in response.content.decode()
    assert not Organisation.objects.filter(name__startswith="Nytt").exists()


def test_an_inline_row_is_refused(superuser_client):
    agreement = builders.agreement(county_code="04")
    area = builders.priority_area(agreement_obj=agreement, name="Näringsliv")
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    data = page_form_data(superuser_client.get(url))
    prefix = next(key for key, value in data.items() if value == "Näringsliv")
    data[prefix] = f"Närings{RLO}vil"

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert "(U+202E, tecken 8)" in response.content.decode()
    area.refresh_from_db()
    assert area.name == "Näringsliv"


def test_a_name_is_stored_composed_and_with_single_spaces(superuser_client):
    response = new_organisation(superuser_client, name=f"{DECOMPOSED}\u00a0 i  Västerås")

    assert response.status_code == 302
    assert Organisation.objects.get(name__endswith="Västerås").name == (
        "Mälardalens högskola i Västerås"
    )


@pytest.fixture
def name_fields():
    """Each model's name or title, with a saved object to write it on."""
    agreement = builders.agreement(county_code="04")
    area = builders.priority_area(agreement_obj=agreement)
    measure = builders.measure(area=area)
    project = builders.project(measure_obj=measure)
    return [
        (project.owner, "name"),
        (project, "title"),
        (project, "reference_number"),
        (area, "name"),
        (measure, "name"),
        (builders.partnership(county_code="04"), "name"),
        (builders.cluster(county_code="04"), "name"),
        (FinancingSource.objects.first(), "name"),
        (Theme.objects.first(), "name"),
        (builders.follow_up_round(year=2001), "title"),
    ]


def test_every_name_and_title_is_refused_by_full_clean_and_by_save(name_fields):
    for obj, field in name_fields:
        model = type(obj)
        stored = getattr(obj, field)
        setattr(obj, field, f"X{RLO}Y")

        with pytest.raises(ValidationError) as error:
            obj.full_clean()
        assert " ".join(error.value.message_dict[field]).startswith(INVISIBLE), model
        with transaction.atomic(), pytest.raises(NameRefused) as refused:
            obj.save()
        assert INVISIBLE in refused.value.message, model

        assert getattr(model.objects.get(pk=obj.pk), field) == stored, model


def test_every_name_and_title_is_stored_composed_by_save_and_bulk_create(name_fields):
    for obj, field in name_fields:
        setattr(obj, field, f"  {DECOMPOSED}\u00a0 {obj.pk}  ")
        obj.save()
        assert getattr(type(obj).objects.get(pk=obj.pk), field) == f"{COMPOSED} {obj.pk}"

    [org] = Organisation.objects.bulk_create([Organisation(name=DECOMPOSED, kind=builders.kind())])
    assert Organisation.objects.get(pk=org.pk).name == COMPOSED


# --- the same organisation twice (admin) ------------------------------------------------------


@pytest.fixture
def eskilstuna():
    return builders.organisation(
        name="Eskilstuna kommun",
        kind_code="kommun",
        county=builders.county("04"),
        org_number="212000-0290",
    )


@pytest.mark.parametrize(
    "typed",
    [
        "Eskilstuna kommun",
        "  ESKILSTUNA   kommun ",
        "Eskilstuna\u00a0kommun",
        "Ｅｓｋｉｌｓｔｕｎａ kommun",  # full-width letters
    ],
)
def test_a_second_organisation_with_the_same_name_is_asked_about(
    superuser_client, eskilstuna, typed
):
    response = new_organisation(superuser_client, name=typed)

    assert response.status_code == 200
    message = form_errors(response, "name")
    assert message.startswith("Det finns redan en organisation med namnet ”")
    assert f'<a href="{change_url(eskilstuna)}">Eskilstuna kommun</a>' in message
    assert "(Kommun, 212000-0290, Södermanland)" in message
    assert message.endswith("Kryssa i ”Spara ändå” om det är en annan organisation.")
    page = response.content.decode()
    assert f'<a href="{change_url(eskilstuna)}">Eskilstuna kommun</a>' in page  # a link
    assert 'type="checkbox" name="confirm_same_name"' in page
    assert Organisation.objects.filter(name__icontains="eskilstuna").count() == 1


def test_the_same_name_is_saved_once_confirmed(superuser_client, eskilstuna):
    asked = new_organisation(superuser_client, name="Eskilstuna kommun")
    assert 'type="checkbox" name="confirm_same_name"' in asked.content.decode()

    response = new_organisation(superuser_client, name="Eskilstuna kommun", confirm_same_name="on")

    assert response.status_code == 302
    assert Organisation.objects.filter(name="Eskilstuna kommun").count() == 2


def test_the_names_in_the_message_are_shown_as_text(superuser_client):
    builders.organisation(name="Bolaget <b>AB</b>")

    response = new_organisation(superuser_client, name="bolaget <b>ab</b>")

    page = response.content.decode()
    assert "”bolaget &lt;b&gt;ab&lt;/b&gt;”" in page
    assert ">Bolaget &lt;b&gt;AB&lt;/b&gt;</a>" in page
    assert "<b>" not in page


def test_the_confirmation_is_not_offered_before_a_name_is_found_taken(superuser_client):
    page = superuser_client.get(add_url()).content.decode()

    assert 'type="hidden" name="confirm_same_name"' in page
    assert 'type="checkbox" name="confirm_same_name"' not in page


def test_a_taken_org_number_is_refused_naming_the_holder(superuser_client, eskilstuna):
    response = new_organisation(
        superuser_client, name="Kommunen", org_number="2120000290", confirm_same_name="on"
    )

    assert response.status_code == 200
    assert form_errors(response, "org_number") == (
        "Det finns redan en organisation med organisationsnumret 212000-0290: "
        f'<a href="{change_url(eskilstuna)}">Eskilstuna kommun</a> '
        "(Kommun, 212000-0290, Södermanland)."
    )
    assert not Organisation.objects.filter(name="Kommunen").exists()


def test_a_rename_to_a_taken_name_is_asked_about_but_not_every_save_of_a_twin(
    superuser_client, eskilstuna
):
    other = builders.organisation(name="Torshälla stad", county=builders.county("04"))
    data = page_form_data(superuser_client.get(change_url(other)))

    response = superuser_client.post(change_url(other), data | {"name": "eskilstuna kommun"})

    assert response.status_code == 200
    assert form_errors(response, "name").startswith("Det finns redan en organisation med namnet")
    other.refresh_from_db()
    assert other.name == "Torshälla stad"

    # A twin from before (made when this was not asked) is not asked about at every save.
    twin = builders.organisation(name="Eskilstuna kommun", kind_code="kommun")
    data = page_form_data(superuser_client.get(change_url(twin)))
    response = superuser_client.post(change_url(twin), data | {"org_number": "556012-5790"})
    assert response.status_code == 302
    twin.refresh_from_db()
    assert twin.org_number == "556012-5790"


def test_another_countys_coordinator_is_pointed_to_the_shared_organisation(
    client, coordinator_05, eskilstuna
):
    client.force_login(coordinator_05)

    response = new_organisation(client, name="Eskilstuna kommun", county=builders.county("05").pk)

    assert f'<a href="{change_url(eskilstuna)}">' in form_errors(response, "name")
    # Organisations are shared: the one pointed to is one this coordinator may read.
    assert client.get(change_url(eskilstuna)).status_code == 200


# --- the Excel import ------------------------------------------------------------------------


@pytest.fixture
def world():
    return ib.county_world("04", projects=1)


def refused(user, book):
    before = ib.register_state()
    result = projects_import(
        county=builders.county("04"), user=user, file=ib.save(book), dry_run=False
    )
    assert not result.ok and not result.written
    assert ib.register_state() == before, "a refused file changed the register"
    return result.problems


def imported(user, book):
    result = projects_import(
        county=builders.county("04"), user=user, file=ib.save(book), dry_run=False
    )
    assert result.ok, [str(p) for p in result.problems]
    return result


def test_the_import_refuses_a_hidden_character_in_an_organisation_name(world, coordinator_04):
    book = ib.template()
    row = ib.append(book, cols.ORGANISATIONS, name=f"Nytt{ZWSP} Bolag AB", kind=ib.company_kind())

    [problem] = refused(coordinator_04, book)

    assert (problem.sheet, problem.row, problem.column) == (cols.ORGANISATIONS, row, "Namn")
    assert problem.message.startswith(f"{INVISIBLE} (U+200B, tecken 5).")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("title", f"Projekt {RLO}tfarK", f"{INVISIBLE} (U+202E, tecken 9)."),
        ("title", "Projekt\tKraft", ONE_LINE),
        ("reference_number", f"04-0100{ZWSP}", f"{INVISIBLE} (U+200B, tecken 8)."),
    ],
)
def test_the_import_refuses_a_hidden_character_in_a_project(
    world, coordinator_04, key, value, message
):
    book = ib.template()
    row = ib.new_project(book, **{key: value})

    problems = refused(coordinator_04, book)

    header = next(c.header for c in cols.COLUMNS[cols.PROJECTS] if c.key == key)
    assert [(p.sheet, p.row, p.column) for p in problems][0] == (cols.PROJECTS, row, header)
    assert problems[0].message.startswith(message)


def test_the_import_finds_the_organisation_however_its_name_is_composed(world, coordinator_04):
    existing = builders.organisation(name=COMPOSED, kind_code="hogskola")
    book = ib.template()
    ib.new_project(book, owner=DECOMPOSED)

    imported(coordinator_04, book)

    assert Project.objects.get(reference_number="04-0100").owner == existing
    assert Organisation.objects.filter(name__startswith="M").count() == 1


def test_the_import_does_not_make_a_look_alike_of_an_organisation(world, coordinator_04):
    builders.organisation(name=COMPOSED, kind_code="hogskola")
    book = ib.template()
    row = ib.append(book, cols.ORGANISATIONS, name=DECOMPOSED, kind=ib.company_kind())

    [problem] = refused(coordinator_04, book)

    assert (problem.row, problem.column) == (row, "Namn")
    assert problem.message.startswith("Det finns redan en organisation som heter")


def test_the_import_stores_a_new_name_composed(world, coordinator_04):
    book = ib.template()
    ib.append(book, cols.ORGANISATIONS, name=DECOMPOSED, kind=ib.company_kind())
    ib.new_project(book, title=f"{DECOMPOSED}s  projekt", owner=DECOMPOSED)

    imported(coordinator_04, book)

    project = Project.objects.get(reference_number="04-0100")
    assert project.owner.name == COMPOSED
    assert project.title == f"{COMPOSED}s projekt"
