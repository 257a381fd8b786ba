"""English throughout: with English chosen (the language menu, as a user does it) every page of
the site, and the lists' downloads, name the reference data in English — themes, kinds of actor,
financing sources and their categories, partnership levels and kinds, counties ("Södermanland
County") — and no Swedish name of it is left; in Swedish nothing changes. Administrators edit
the English names in the admin."""

import io
import re

import openpyxl
import pytest
from django.utils import translation

from agreements.models import (
    County,
    FinancingSource,
    Organisation,
    OrganisationKind,
    Partnership,
)
from agreements.reference import load_reference_data
from followup.models import ReportStatus, Theme
from followup.reference import load_themes
from tests import builders
from tests.admin_forms import page_form_data

pytestmark = pytest.mark.django_db

REFERENCE_MODELS = (Theme, OrganisationKind, FinancingSource, County)


def choose(client, language: str) -> None:
    """Choose ``language`` in the menu, as a user does (Django's set_language)."""
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302


def swedish_labels() -> list[str]:
    """The Swedish labels of the choices that are reference data too."""
    with translation.override("sv"):
        return [
            str(label)
            for choices in (FinancingSource.Category, Partnership.Level, Partnership.Kind)
            for _value, label in choices.choices
        ]


def english_labels() -> list[str]:
    with translation.override("en"):
        return [
            str(label)
            for choices in (FinancingSource.Category, Partnership.Level, Partnership.Kind)
            for _value, label in choices.choices
        ]


def names(language_field: str) -> list[str]:
    return [
        name
        for model in REFERENCE_MODELS
        for name in model.objects.values_list(language_field, flat=True)
    ]


def swedish_reference_names_in(text: str) -> set[str]:
    """The Swedish reference names ``text`` holds, once the English names are taken out (a
    Swedish name may stand inside an English one: "NUTEK" in "NUTEK (Swedish Business
    Development Agency)"), and the organisations' names, which are names in any language
    ("Länsstyrelsen i Stockholms län")."""
    english = set(names("name_en")) | set(english_labels())
    organisations = set(Organisation.objects.values_list("name", flat=True))
    for name in sorted(english | organisations, key=len, reverse=True):
        text = text.replace(name, " ")
    swedish = (set(names("name")) | set(swedish_labels())) - set(english)
    return {name for name in swedish if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)}


def text_bytes(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def text_of(response) -> str:
    """The response's text, without the soft hyphens set in narrow headers (core.typography)."""
    return text_bytes(response).decode("utf-8-sig").replace("\u00ad", "").replace("&shy;", "")


@pytest.fixture
def register_in_every_kind():
    """The 2001 round with a register that uses every reference row: an actor of every kind
    (with names that are none of them), projects financed from every source, partnerships
    at every level and of both kinds, a cluster; Södermanland's report submitted with an
    observation on every theme, Östergötland's a draft with one. The ids of the rows that
    the detail pages show."""
    round_obj = builders.follow_up_round(year=2001)
    actors = {
        kind.code: builders.organisation(name=f"Aktören {i}", kind_code=kind.code)
        for i, kind in enumerate(OrganisationKind.objects.all(), start=1)
    }
    lead = actors[OrganisationKind.SELF_GOVERNING_BODY]
    lead.county = builders.county("04")
    lead.save()
    agreement = builders.agreement(county_code="04", lead_body=lead)
    area = builders.priority_area(agreement_obj=agreement, name="Tillväxt")
    measure = builders.measure(area=area, name="Nya jobb")
    builders.frame(area=area)
    owners = list(actors.values())
    sources = list(FinancingSource.objects.all())
    for i, source in enumerate(sources):
        project = builders.project(
            measure_obj=measure, title=f"Insats {i}", owner=owners[i % len(owners)]
        )
        builders.financing_line(project_obj=project, source_obj=source)
    for source in sources:  # the last project is financed from every source
        builders.financing_line(project_obj=project, source_obj=source, year=2000)
    for level, kind in zip(
        Partnership.Level.values, [*Partnership.Kind.values, Partnership.Kind.ACTING], strict=True
    ):
        partnership = builders.partnership(
            name=f"Samarbete {level}",
            level=level,
            kind=kind,
            municipality=agreement.county.municipalities.first()
            if level == Partnership.Level.LOCAL
            else None,
        )
        for actor in owners:
            builders.member(partnership_obj=partnership, organisation_obj=actor)
    cluster = builders.cluster(name="Fordonsklustret")
    first, *others = (
        builders.cluster_actor(cluster_obj=cluster, organisation_obj=actor) for actor in owners
    )
    builders.cluster_link(from_actor=first, to_actor=others[0])
    submitted = builders.county_report(round_obj=round_obj, county_code="04", summary="Bra år.")
    for theme in Theme.objects.all():
        builders.observation(report=submitted, theme=theme, text="Arbetet går framåt.")
    builders.set_status(submitted, ReportStatus.SUBMITTED)
    draft = builders.county_report(round_obj=round_obj, county_code="05")
    builders.observation(report=draft, theme=Theme.objects.first(), text="Vi har börjat.")
    return {
        "project": project.pk,
        "organisation": lead.pk,
        "partnership": partnership.pk,
        "cluster": cluster.pk,
    }


PAGES = [
    ("start", "reviewer", "/"),
    ("start", "coordinator_05", "/"),
    ("board", "reviewer", "/omgang/2001/"),
    ("county page", "reviewer", "/omgang/2001/lan/04/"),
    ("county page", "coordinator_05", "/omgang/2001/lan/05/"),
    ("comparison", "reviewer", "/omgang/2001/jamforelse/"),
    ("development", "reviewer", "/lan/04/utveckling/"),
    ("financing", "reviewer", "/omgang/2001/finansiering/"),
    ("projects", "reviewer", "/projekt/"),
    ("observations", "reviewer", "/iakttagelser/"),
    ("organisations", "reviewer", "/organisationer/"),
    ("profile", "reviewer", "/konto/profil/"),
    ("project", "reviewer", "/projekt/{project}/"),
    ("organisation", "reviewer", "/organisationer/{organisation}/"),
    ("partnership", "reviewer", "/partnerskap/{partnership}/"),
    ("cluster", "reviewer", "/kluster/{cluster}/"),
    ("projects as CSV", "reviewer", "/projekt/projekt.csv"),
    ("observations as CSV", "reviewer", "/iakttagelser/iakttagelser.csv"),
    ("organisations as CSV", "reviewer", "/organisationer/organisationer.csv"),
]


@pytest.mark.parametrize(("page", "persona", "url"), PAGES, ids=[f"{p[0]}-{p[1]}" for p in PAGES])
def test_english_pages_name_the_reference_data_in_english(
    client, request, register_in_every_kind, page, persona, url
):
    client.force_login(request.getfixturevalue(persona))
    choose(client, "en")
    response = client.get(url.format(**register_in_every_kind))
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    text = text_of(response)
    assert swedish_reference_names_in(text) == set()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/omgang/2001/", ["Södermanland County", "Östergötland County"]),
        (
            "/omgang/2001/lan/04/",
            [
                "Södermanland County",
                "Cluster work",
                "Local anchoring of the agreement",
                "Self-governing body",  # the lead body's kind, among the members
                "Private individual",
                "Central government",
                "EU Structural Funds",
                "Regional",
                "Sectoral",
                "Operational (carries out the work)",
            ],
        ),
        ("/omgang/2001/jamforelse/", ["Cluster work", "National perspective and risk of lock-in"]),
        ("/lan/04/utveckling/", ["Södermanland County", "Cluster work"]),
        ("/omgang/2001/finansiering/", ["Central government", "County council/region"]),
        (
            "/projekt/",
            ["Södermanland County", "Company", "Private funds", "Labour market policy funds"],
        ),
        ("/iakttagelser/", ["Cluster work", "Södermanland County"]),
        ("/organisationer/", ["Cooperation body", "Södermanland County"]),
        ("/projekt/projekt.csv", ["Södermanland County", "Government agency"]),
        ("/iakttagelser/iakttagelser.csv", ["Södermanland County", "Cluster work"]),
        ("/organisationer/organisationer.csv", ["Södermanland County", "Association"]),
        ("/projekt/{project}/", ["Södermanland County", "Private funds", "Municipal funds"]),
        ("/organisationer/{organisation}/", ["Self-governing body", "Södermanland County"]),
        ("/partnerskap/{partnership}/", ["Södermanland County", "Company", "Association"]),
        ("/kluster/{cluster}/", ["Södermanland County", "Government agency"]),
    ],
)
def test_english_pages_show_the_english_names(
    client, reviewer, register_in_every_kind, url, expected
):
    client.force_login(reviewer)
    choose(client, "en")
    text = text_of(client.get(url.format(**register_in_every_kind)))
    assert [name for name in expected if name not in text] == []


def test_a_coordinators_start_page_names_the_missing_themes_in_english(
    client, coordinator_05, register_in_every_kind
):
    client.force_login(coordinator_05)
    choose(client, "en")
    text = client.get("/").content.decode()
    assert "Östergötland County" in text
    missing = list(Theme.objects.values_list("name_en", flat=True))[1:]
    assert [name for name in missing if name not in text] == []


@pytest.mark.parametrize("url", [url for _page, _persona, url in PAGES])
def test_swedish_pages_keep_the_swedish_names(client, reviewer, register_in_every_kind, url):
    client.force_login(reviewer)
    text = text_of(client.get(url.format(**register_in_every_kind)))
    english_only = set(names("name_en")) - set(names("name"))
    assert [name for name in english_only if name in text] == []


def test_swedish_county_page_reads_as_before(client, reviewer, register_in_every_kind):
    client.force_login(reviewer)
    choose(client, "sv")
    text = client.get("/omgang/2001/lan/04/").content.decode()
    for name in (
        "Södermanlands län",
        "Klusterarbete",
        "Självstyrelseorgan",
        "Privatperson",
        "Staten",
        "Sektoriellt",
    ):
        assert name in text


def test_the_filters_offer_english_choices(client, reviewer, register_in_every_kind):
    client.force_login(reviewer)
    choose(client, "en")
    projects = client.get("/projekt/").content.decode()
    assert '<option value="04">04 Södermanland County</option>' in projects
    assert '<option value="privat">Private funds</option>' in projects
    assert '<option value="foretag">Company</option>' in projects
    observations = client.get("/iakttagelser/").content.decode()
    cluster_work = Theme.objects.get(code="klusterarbete")
    assert f'<option value="{cluster_work.pk}">Cluster work</option>' in observations


def test_a_row_without_an_english_name_reads_its_swedish_one(client, reviewer):
    kind = OrganisationKind.objects.create(code="stiftelse", name="Stiftelse", sort_order=140)
    Organisation.objects.create(name="Aktören Ny", kind=kind)
    client.force_login(reviewer)
    choose(client, "en")
    page = client.get("/organisationer/").content.decode()
    assert "<td>Stiftelse</td>" in page
    download = text_of(client.get("/organisationer/organisationer.csv"))
    assert "Aktören Ny;Stiftelse;" in download


@pytest.mark.parametrize(
    "url", ["/omgang/2001/lan/04/sammanstallning.xlsx", "/omgang/2001/sammanstallning.xlsx"]
)
def test_the_workbooks_stay_swedish_when_english_is_chosen(
    client, reviewer, register_in_every_kind, url
):
    """The county and national workbooks are written in Swedish (their headings, sentences and
    the register's words alike) whatever language the site is read in."""
    client.force_login(reviewer)
    choose(client, "en")
    response = client.get(url)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(text_bytes(response)))
    text = "\n".join(
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    )
    assert "Södermanland" in text
    assert "Klusterarbete" in text
    assert "Staten" in text
    english = (set(names("name_en")) | set(english_labels())) - set(names("name"))
    assert {n for n in english if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)} == set()


# --- reference data and the admin -----------------------------------------------------------


def test_every_reference_row_has_its_english_name_from_the_files():
    assert County.objects.get(code="04").name_en == "Södermanland County"
    assert County.objects.get(code="14").name_en == "Västra Götaland County"
    assert County.objects.get(code="04").short_name == "Södermanland"
    assert Theme.objects.get(code="klusterarbete").name_en == "Cluster work"
    assert OrganisationKind.objects.get(code="foretag").name_en == "Company"
    assert FinancingSource.objects.get(code="privat").name_en == "Private funds"
    for model in REFERENCE_MODELS:
        assert not model.objects.filter(name_en="").exists(), model


def test_loading_again_gives_a_row_without_an_english_name_the_files_and_keeps_an_edited_one():
    """A database made before the English names gets them on its next migrate (the loaders
    run after every migrate); an English name an administrator has written is kept."""
    Theme.objects.filter(code="klusterarbete").update(name_en="")
    OrganisationKind.objects.filter(code="foretag").update(name_en="")
    FinancingSource.objects.filter(code="privat").update(name_en="Private money")
    County.objects.filter(code="04").update(name_en="")

    load_reference_data()
    load_themes()

    assert Theme.objects.get(code="klusterarbete").name_en == "Cluster work"
    assert OrganisationKind.objects.get(code="foretag").name_en == "Company"
    assert FinancingSource.objects.get(code="privat").name_en == "Private money"
    assert County.objects.get(code="04").name_en == "Södermanland County"  # facts: the file's


def test_str_and_display_name_follow_the_active_language():
    theme = Theme.objects.get(code="klusterarbete")
    assert str(theme) == theme.display_name == "Klusterarbete"
    with translation.override("en"):
        assert str(theme) == theme.display_name == "Cluster work"
        assert str(County.objects.get(code="04")) == "Södermanland County"


@pytest.mark.parametrize(
    ("model", "code"),
    [
        (Theme, "klusterarbete"),
        (OrganisationKind, "foretag"),
        (FinancingSource, "privat"),
    ],
)
def test_an_administrator_edits_the_english_name_in_the_admin(client, administrator, model, code):
    row = model.objects.get(code=code)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{row.pk}/change/"
    client.force_login(administrator)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="name_en"' in page.content.decode()
    data = page_form_data(page) | {"name_en": "A new English name"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row.refresh_from_db()
    assert row.name_en == "A new English name"

    client.force_login(builders.user("ny-granskare", role="reviewer"))
    choose(client, "en")
    assert "A new English name" in text_of(
        client.get("/projekt/" if model is not Theme else "/iakttagelser/")
    )


def test_the_admin_requires_an_english_name_on_a_new_kind(client, administrator):
    client.force_login(administrator)
    response = client.post(
        "/admin/agreements/organisationkind/add/",
        {"code": "stiftelse", "name": "Stiftelse", "name_en": "", "sort_order": "140"},
    )
    assert response.status_code == 200
    assert "name_en" in response.context["adminform"].form.errors
    assert not OrganisationKind.objects.filter(code="stiftelse").exists()
