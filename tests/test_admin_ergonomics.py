"""Entering the chapter in the admin as a coordinator would: an error about one field stands at
that field, not above the form."""

import datetime

import pytest
from django.contrib.auth.models import Group

from agreements.models import Organisation, Partnership, PartnershipMember, Project
from core import access
from core.roles import Role
from followup.models import CountyReport, Observation, Theme, User
from tests import builders
from tests.admin_forms import page_form_data

pytestmark = pytest.mark.django_db


def errors_of(response):
    form = response.context["adminform"].form
    return form.errors, form.non_field_errors()


def test_a_local_partnership_without_a_municipality_is_told_so_at_the_municipality(
    client, coordinator_04
):
    client.force_login(coordinator_04)
    page = client.get("/admin/agreements/partnership/add/")
    data = page_form_data(page) | {
        "county": str(builders.county("04").pk),
        "name": "Lokalt partnerskap Eskilstuna",
        "level": Partnership.Level.LOCAL,
        "kind": Partnership.Kind.ACTING,
        "municipality": "",
    }
    response = client.post("/admin/agreements/partnership/add/", data)
    assert response.status_code == 200
    errors, top = errors_of(response)
    assert errors["municipality"] == ["Ett lokalt partnerskap måste ha en kommun."]
    assert not top
    assert not Partnership.objects.filter(name="Lokalt partnerskap Eskilstuna").exists()


def test_a_project_ending_before_it_starts_is_told_so_at_the_end_date(client, coordinator_04):
    area = builders.priority_area(agreement_obj=builders.agreement(county_code="04"))
    project = builders.project(measure_obj=builders.measure(area=area))
    client.force_login(coordinator_04)
    url = f"/admin/agreements/project/{project.pk}/change/"
    data = page_form_data(client.get(url)) | {"start_date": "2002-01-01", "end_date": "2001-12-31"}
    response = client.post(url, data)
    assert response.status_code == 200
    errors, top = errors_of(response)
    assert "end_date" in errors and not top
    project.refresh_from_db()
    assert str(project.end_date) == "2002-12-31"  # unchanged
    assert Project.objects.count() == 1


def test_a_partnerships_members_are_listed_chair_first(client, coordinator_04, reviewer):
    partnership = builders.partnership(county_code="04", name="Regionala partnerskapet")
    for name, role in (
        ("Aaa Ledamot AB", PartnershipMember.Role.MEMBER),
        ("Bbb Sekretariat AB", PartnershipMember.Role.SECRETARIAT),
        ("Zzz Ordförande AB", PartnershipMember.Role.CHAIR),
        ("Ccc Vice AB", PartnershipMember.Role.VICE_CHAIR),
    ):
        builders.member(
            partnership_obj=partnership,
            organisation_obj=builders.organisation(name=name),
            role=role,
        )
    expected = ["Zzz Ordförande AB", "Ccc Vice AB", "Aaa Ledamot AB", "Bbb Sekretariat AB"]
    assert [m.organisation.name for m in partnership.members.all()] == expected

    client.force_login(coordinator_04)
    page = client.get(f"/admin/agreements/partnership/{partnership.pk}/change/")
    (members,) = [f for f in page.context["inline_admin_formsets"] if f.formset.prefix == "members"]
    shown = [form.instance.organisation.name for form in members.formset.initial_forms]
    assert shown == expected

    builders.follow_up_round(year=2001)
    client.force_login(reviewer)
    county = client.get("/omgang/2001/lan/04/").content.decode()
    positions = [county.index(name) for name in expected]
    assert positions == sorted(positions)


def add_user(client, **fields):
    data = {
        "username": "nyanvandare",
        "usable_password": "true",
        "password1": "ett-riktigt-bra-losen-42",
        "password2": "ett-riktigt-bra-losen-42",
        "first_name": "Ny",
        "last_name": "Användare",
        "email": "ny@example.se",
    } | fields
    return client.post("/admin/followup/user/add/", data)


def test_a_new_users_role_and_counties_are_on_the_add_page(client, administrator):
    client.force_login(administrator)
    page = client.get("/admin/followup/user/add/").content.decode()
    assert 'name="role"' in page and 'name="counties"' in page

    response = add_user(client, role=Role.COORDINATOR, counties=[builders.county("04").pk])
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="nyanvandare")
    assert list(user.groups.all()) == [Group.objects.get(name=Role.COORDINATOR)]
    assert [c.code for c in user.counties.all()] == ["04"]
    assert user.is_staff and not user.is_superuser


@pytest.mark.parametrize(
    ("role", "counties", "message"),
    [
        ("Regional samordnare", False, "En regional samordnare behöver minst ett län."),
        ("Departementets handläggare", True, "Bara regionala samordnare har län"),
    ],
)
def test_a_role_that_does_not_fit_the_counties_is_told_so_at_the_counties(
    client, administrator, role, counties, message
):
    client.force_login(administrator)
    response = add_user(client, role=role, counties=[builders.county("04").pk] if counties else [])
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in errors["counties"][0]
    assert not User.objects.filter(username="nyanvandare").exists()


def test_a_new_report_starts_with_a_row_for_each_theme_of_its_round(client, coordinator_04):
    round_obj = builders.follow_up_round(year=2001)
    themes = list(round_obj.themes.order_by("sort_order", "name"))
    client.force_login(coordinator_04)
    page = client.get("/admin/followup/countyreport/add/")
    assert page.context["adminform"].form.initial["round"] == round_obj.pk
    (observations,) = [
        f for f in page.context["inline_admin_formsets"] if f.formset.model is Observation
    ]
    rows = observations.formset.forms
    assert [form.initial.get("theme") for form in rows] == [theme.pk for theme in themes]

    # Two themes written, the other rows left as they came: only the two are saved.
    data = page_form_data(page, extra_rows=True) | {
        "round": str(round_obj.pk),
        "county": str(builders.county("04").pk),
        "summary": "",
    }
    prefix = observations.formset.prefix
    for index, text in (
        (0, "Kommunerna känner till avtalet."),
        (5, "Ett kluster för tunga fordon."),
    ):
        data[f"{prefix}-{index}-text"] = text
        data[f"{prefix}-{index}-assessment"] = "3"
    response = client.post("/admin/followup/countyreport/add/", data)
    assert response.status_code == 302
    report = CountyReport.objects.get()
    assert sorted(
        Observation.objects.filter(report=report).values_list("theme__code", flat=True)
    ) == sorted([themes[0].code, themes[5].code])

    # Back on the page: a row for each theme still open, none for the two written.
    page = client.get(f"/admin/followup/countyreport/{report.pk}/change/")
    (observations,) = [
        f for f in page.context["inline_admin_formsets"] if f.formset.model is Observation
    ]
    extra = [form.initial.get("theme") for form in observations.formset.extra_forms]
    assert extra == [t.pk for t in themes if t not in (themes[0], themes[5])]
    assert Theme.objects.count() == len(themes)


def test_an_organisation_of_no_home_county_is_kept_by_whoever_registered_it(
    client, coordinator_04, coordinator_05, administrator
):
    client.force_login(coordinator_04)
    page = client.get("/admin/agreements/organisation/add/")
    assert "utan hemlän den som registrerade den" in page.content.decode()  # the rule, said
    data = page_form_data(page) | {
        "name": "Nordiska Fordonsklustret ek. för.",
        "kind": str(builders.kind().pk),
        "county": "",
        "municipality": "",
    }
    assert client.post("/admin/agreements/organisation/add/", data).status_code == 302
    org = Organisation.objects.get(name="Nordiska Fordonsklustret ek. för.")
    assert (org.county, org.created_by) == (None, coordinator_04)

    assert access.can_edit(coordinator_04, org)
    assert not access.can_edit(coordinator_05, org)
    assert access.can_edit(administrator, org)

    url = f"/admin/agreements/organisation/{org.pk}/change/"
    data = page_form_data(client.get(url)) | {"name": "Nordiska Fordonsklustret ekonomisk förening"}
    assert client.post(url, data).status_code == 302
    org.refresh_from_db()
    assert org.name == "Nordiska Fordonsklustret ekonomisk förening"

    client.force_login(coordinator_05)
    refused = client.post(url, data | {"name": "Kapat namn"})
    assert refused.status_code == 403
    org.refresh_from_db()
    assert org.name == "Nordiska Fordonsklustret ekonomisk förening"

    registered_by_admin = builders.organisation(name="Utan hemlän AB")
    assert not access.can_edit(coordinator_04, registered_by_admin)


# --- One product with the site, lists that fit ---------------------------------------------------


def test_every_admin_page_carries_the_sites_header_and_a_way_back_to_it(client, coordinator_04):
    client.force_login(coordinator_04)
    for url in ("/admin/", "/admin/agreements/project/", "/admin/agreements/project/add/"):
        content = client.get(url).content.decode()
        assert '<div id="site-name"><a href="/">Tillväxtavtal – uppföljning</a></div>' in content
        assert '<a href="/">Till granskningssidan</a>' in content
        assert "followup/admin.css" in content
        # Light, like the site: no dark theme, no toggle that would half-apply it.
        assert "dark_mode.css" not in content and "theme-toggle" not in content


def test_the_project_list_shows_owner_status_start_and_amount(client, coordinator_04):
    area = builders.priority_area(agreement_obj=builders.agreement(county_code="04"))
    project = builders.project(
        measure_obj=builders.measure(area=area), start_date=datetime.date(2001, 3, 15)
    )
    client.force_login(coordinator_04)
    response = client.get("/admin/agreements/project/")
    row = response.content.decode().split(f"/admin/agreements/project/{project.pk}/change/")[1]
    row = row.split("</tr>")[0]
    assert project.title in row and f"Åtgärd {project.measure}" in row
    assert project.owner.name in row
    assert project.get_status_display() in row
    assert "2001-03-15" in row
    assert "field-decided_total" in row


def test_a_coordinator_of_one_county_is_not_shown_a_county_column(
    client, coordinator_04, coordinator_04_05, reviewer
):
    def columns(user):
        client.force_login(user)
        return client.get("/admin/agreements/project/").context["cl"].list_display

    assert "county_short_name" not in columns(coordinator_04)
    assert "county_short_name" in columns(coordinator_04_05)
    assert "county_short_name" in columns(reviewer)
