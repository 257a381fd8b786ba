"""The register's detail pages as each persona sees them: a project with its financing by year and
source and its history, an organisation with what it owns, leads, takes part in and finances, a
partnership, a cluster; another county's answering exactly as a missing one; a fixed number of
queries however many financing lines, members, actors and links there are."""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import (
    ClusterLink,
    FinancingLine,
    OrganisationKind,
    PartnershipMember,
    Project,
)
from core import formats
from followup.models import ReportStatus
from tests import builders

pytestmark = pytest.mark.django_db

D, OUT = FinancingLine.Kind.DECIDED, FinancingLine.Kind.OUTCOME


class _Tables(HTMLParser):
    """Every table of a page, by its class: rows of cell texts (th and td alike)."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table, self._row, self._cell = None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(attrs.get("class") or "", [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(response) -> dict[str, list[list[str]]]:
    assert response.status_code == 200, response.status_code
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def kr(value) -> str:
    """An amount as the pages write it (core.formats, Swedish), spaces as the table reads them."""
    return " ".join(formats.amount(Decimal(value)).split())


# (year, source, kind, amount, financier?, note) of Södermanland's project: several sources,
# years and both kinds, a decided and an outcome line sharing a row, two lines summed into one,
# 0 and 0,01 kr.
LINES = [
    (2001, "stat-regional-utveckling", D, "100000", "lead", ""),
    (2001, "stat-regional-utveckling", OUT, "40000.50", "lead", ""),
    (2001, "kommun", D, "0", None, ""),
    (2001, "privat", D, "250000", "owner", "Medfinansiering i arbetstid"),
    (2002, "eu-strukturfonder", D, "0.01", None, ""),
    (2002, "privat", OUT, "125000", "owner", ""),
    (2003, "landsting", D, "12345.67", None, "Första beslutet"),
    (2003, "landsting", D, "1000", None, "Tilläggsbeslut"),
]


@pytest.fixture
def register():
    """Södermanland's project in a partnership and a cluster, its owner also owning a project in
    Östergötland, and Östergötland's own partnership and cluster."""
    agreement = builders.agreement(county_code="04")
    area = builders.priority_area(agreement_obj=agreement, number=2, name="Kompetens")
    measure = builders.measure(area=area, number=3, name="Tungfordon")
    owner = builders.organisation(name="Eskilstuna Verkstad AB", org_number="5560125790")
    lead = builders.lead_body("04")
    partnership = builders.partnership(county_code="04", name="Sörmlands tillväxtpartnerskap")
    municipality = builders.organisation(
        name="Eskilstuna kommun", kind_code=OrganisationKind.MUNICIPALITY
    )
    builders.member(
        partnership_obj=partnership, organisation_obj=lead, role=PartnershipMember.Role.CHAIR
    )
    builders.member(partnership_obj=partnership, organisation_obj=owner)
    builders.member(partnership_obj=partnership, organisation_obj=municipality)
    cluster = builders.cluster(
        county_code="04",
        name="Tunga fordon",
        strengths="Starka underleverantörer",
        lock_in_risk="Liten: kunderna finns i hela världen",
    )
    actors = [
        builders.cluster_actor(
            cluster_obj=cluster,
            organisation_obj=owner,
            in_working_group=True,
            part="Leder arbetsgruppen",
        ),  # fmt: skip
        builders.cluster_actor(
            cluster_obj=cluster,
            organisation_obj=lead,
            in_working_group=True,
            part="Kartlägger kompetensbehoven",
        ),  # fmt: skip
        builders.cluster_actor(cluster_obj=cluster, organisation_obj=municipality),
    ]
    builders.cluster_link(
        from_actor=actors[0], to_actor=actors[1], description="Från korn till limpa"
    )
    builders.cluster_link(
        from_actor=actors[1], to_actor=actors[2], direction=ClusterLink.Direction.HORIZONTAL,
        goods=False, knowledge=True, description="Forskningssamarbete",
    )  # fmt: skip
    project = builders.project(
        measure_obj=measure,
        reference_number="304-0100-01",
        title="Kompetens för tunga fordon",
        owner=owner,
        partnership=partnership,
        cluster=cluster,
        status=Project.Status.ONGOING,
    )
    for year, code, kind, amount, financier, note in LINES:
        builders.financing_line(
            project_obj=project, year=year, source_obj=builders.source(code), kind=kind,
            amount=amount, financier={"lead": lead, "owner": owner}.get(financier), note=note,
        )  # fmt: skip
    measure_05 = builders.measure(
        area=builders.priority_area(agreement_obj=builders.agreement(county_code="05"))
    )
    other = builders.project(
        measure_obj=measure_05, reference_number="501-0009-01", title="Östgötskt projekt",
        owner=owner,
    )  # fmt: skip
    builders.financing_line(
        project_obj=other, amount="777000", source_obj=builders.source("privat"), financier=owner
    )
    partnership_05 = builders.partnership(county_code="05", name="Östgötskt partnerskap")
    builders.member(partnership_obj=partnership_05, organisation_obj=owner)
    cluster_05 = builders.cluster(county_code="05", name="Östgötskt kluster")
    builders.cluster_actor(cluster_obj=cluster_05, organisation_obj=owner, part="Östgötsk roll")
    return {
        "project": project, "owner": owner, "lead": lead, "partnership": partnership,
        "cluster": cluster, "other": other, "partnership_05": partnership_05,
        "cluster_05": cluster_05,
    }  # fmt: skip


def _sum(kind, year=None) -> Decimal:
    return sum(
        (Decimal(a) for y, _c, k, a, _f, _n in LINES if k == kind and year in (None, y)),
        Decimal(0),
    )


# --- a project ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator_04", "reviewer", "administrator"])
def test_a_project_shows_its_owner_measure_partnership_cluster_and_financing(
    client, personas, register, persona
):
    client.force_login(personas[persona])
    project = register["project"]
    response = client.get(reverse("site:project", args=[project.pk]))
    html = response.content.decode()
    assert "<h1>Kompetens för tunga fordon" in html
    for name, key in (("organisation", "owner"), ("partnership", "partnership"),
                      ("cluster", "cluster")):  # fmt: skip
        url = reverse(f"site:{name}", args=[register[key].pk])
        assert f'<a href="{url}">{register[key].name}</a>' in html
    assert "2.3 Tungfordon" in html and "2. Kompetens" in html
    assert "Pågående" in html

    rows = tables(response)["financing-table"]
    assert rows[0] == ["År", "Källa", "Finansiär", "Beslutat", "Utfall", "Anmärkning"]
    lead = register["lead"].name
    assert rows[1:] == [
        ["2001", "Anslaget för regionala utvecklingsinsatser", lead, "100 000", "40 000,50", "–"],
        ["Kommunala medel", "–", "0", "–", "–"],
        ["Privata medel", "Eskilstuna Verkstad AB", "250 000", "–", "Medfinansiering i arbetstid"],
        ["Summa 2001", kr(_sum(D, 2001)), kr(_sum(OUT, 2001)), ""],
        ["2002", "EU:s strukturfonder", "–", "0,01", "–", "–"],
        ["Privata medel", "Eskilstuna Verkstad AB", "–", "125 000", "–"],
        ["Summa 2002", kr(_sum(D, 2002)), kr(_sum(OUT, 2002)), ""],
        ["2003", "Landsting/region", "–", "13 345,67", "–", "Första beslutet; Tilläggsbeslut"],
        ["Summa 2003", kr(_sum(D, 2003)), kr(_sum(OUT, 2003)), ""],
        ["Totalt", kr(_sum(D)), kr(_sum(OUT)), ""],
    ]
    assert kr(_sum(D)) == "363 345,68" and kr(_sum(OUT)) == "165 000,50"
    # The total is the register's own sum of the project's lines.
    assert project.totals.decided == _sum(D) and project.totals.outcome == _sum(OUT)


def test_a_project_without_financing_says_so(client, reviewer, register):
    project = builders.project(measure_obj=register["project"].measure, title="Utan pengar")
    client.force_login(reviewer)
    html = client.get(reverse("site:project", args=[project.pk])).content.decode()
    assert "Projektet har inga finansieringsrader." in html


def _normalised(response, path: str) -> str:
    """The page as it would read at any address: the address itself (the language menu returns
    there, print shows it) and what differs per response (CSRF token, CSP nonce) left out."""
    html = response.content.decode().replace(path, "")
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


@pytest.mark.parametrize(
    ("name", "key"),
    [("site:project", "project"), ("site:partnership", "partnership"), ("site:cluster", "cluster")],
)
def test_another_countys_object_answers_exactly_like_a_missing_one(
    client, coordinator_05, register, name, key
):
    client.force_login(coordinator_05)
    other_path = reverse(name, args=[register[key].pk])
    missing_path = reverse(name, args=[999_999])
    other, missing = client.get(other_path), client.get(missing_path)
    assert other.status_code == missing.status_code == 404
    assert _normalised(other, other_path) == _normalised(missing, missing_path)
    hidden = register[key].title if key == "project" else register[key].name
    assert hidden not in other.content.decode()


@pytest.mark.parametrize("persona", ["coordinator_04_reviewer", "coordinator_04_05"])
def test_two_roles_read_both_counties_objects(client, register, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for name, key in (("site:project", "other"), ("site:partnership", "partnership_05"),
                      ("site:cluster", "cluster_05"), ("site:project", "project")):  # fmt: skip
        assert client.get(reverse(name, args=[register[key].pk])).status_code == 200


def test_the_project_history_names_what_changed_from_what_to_what(client, coordinator_04, register):
    project = register["project"]
    project.status = Project.Status.FINISHED
    project.title = "Kompetens för tunga fordon och bussar"
    project._change_reason = ""
    project.save()
    client.force_login(coordinator_04)
    response = client.get(reverse("site:project", args=[project.pk]))
    html = response.content.decode()
    history = html[html.index('id="historik"') :]
    assert "Status: Pågående → Avslutat" in history
    assert "Projektnamn: Kompetens för tunga fordon → Kompetens för tunga fordon och bussar" in (
        history
    )
    assert history.index("Ändrat") < history.index("Registrerat")  # the newest first


def test_a_moved_project_shows_only_the_versions_of_the_users_county(
    client, coordinator_04, reviewer, register
):
    """A project moved from Östergötland to Södermanland: the audit trail written while it was
    Östergötland's is not Södermanland's coordinator's to read (as in the admin)."""
    project = register["other"]
    project.description = "Östgötsk hemlighet"
    project.save()
    project.county = builders.county("04")
    project.agreement = register["project"].agreement
    project.measure = register["project"].measure
    project.description = "Flyttad till Sörmland"
    project.save()
    client.force_login(coordinator_04)
    html = client.get(reverse("site:project", args=[project.pk])).content.decode()
    assert 'id="historik"' in html and "Flyttad till Sörmland" in html
    assert "Östgötsk hemlighet" not in html
    client.force_login(reviewer)
    html = client.get(reverse("site:project", args=[project.pk])).content.decode()
    assert "Beskrivning: Östgötsk hemlighet → Flyttad till Sörmland" in html


# --- an organisation ----------------------------------------------------------------------------


def _project_rows(response) -> list[str]:
    return [row[0] for row in tables(response)["list-table"][1:-1]]


@pytest.mark.parametrize(
    ("persona", "projects"),
    [
        ("coordinator_04", ["304-0100-01"]),
        ("coordinator_05", ["501-0009-01"]),
        ("reviewer", ["501-0009-01", "304-0100-01"]),  # the largest decided amount first
        ("coordinator_04_05", ["501-0009-01", "304-0100-01"]),
    ],
)
def test_an_organisation_lists_what_the_persona_may_see(
    client, register, persona, projects, request
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("site:organisation", args=[register["owner"].pk]))
    html = response.content.decode()
    assert "<h1>Eskilstuna Verkstad AB" in html and "556012-5790" in html
    assert _project_rows(response) == projects
    sees_05 = "501-0009-01" in projects
    sees_04 = "304-0100-01" in projects
    assert ("Östgötskt partnerskap" in html) is sees_05
    assert ("Östgötskt kluster" in html and "Östgötsk roll" in html) is sees_05
    assert ("Sörmlands tillväxtpartnerskap" in html) is sees_04
    assert ("Leder arbetsgruppen" in html) is sees_04
    # Its financing as financier, summed by year and source over the projects the persona sees.
    rows = tables(response)["financing-table"]
    decided_2001 = (Decimal("250000") if sees_04 else 0) + (Decimal("777000") if sees_05 else 0)
    expected = [["2001", "Privata medel", kr(decided_2001), "–"],
                ["Summa 2001", kr(decided_2001), "0"]]  # fmt: skip
    if sees_04:
        expected += [["2002", "Privata medel", "–", "125 000"], ["Summa 2002", "0", "125 000"]]
    expected.append(["Totalt", kr(decided_2001), "125 000" if sees_04 else "0"])
    assert rows[1:] == expected
    total = tables(response)["list-table"][-1]
    decided = (_sum(D) if sees_04 else 0) + (Decimal("777000") if sees_05 else 0)
    assert total[1:] == [kr(decided), kr(_sum(OUT) if sees_04 else 0)]


def test_an_organisation_names_the_agreements_it_leads(client, reviewer, register):
    client.force_login(reviewer)
    html = client.get(reverse("site:organisation", args=[register["lead"].pk])).content.decode()
    assert "Regionalt tillväxtavtal Södermanland 2000–2003" in html
    assert "Kartlägger kompetensbehoven" in html and "Ordförande" in html


def test_a_coordinator_is_told_the_organisation_page_is_their_countys(
    client, coordinator_04, reviewer, register
):
    url = reverse("site:organisation", args=[register["owner"].pk])
    client.force_login(coordinator_04)
    assert "för de län du har behörighet till" in client.get(url).content.decode()
    client.force_login(reviewer)
    assert "för de län du har behörighet till" not in client.get(url).content.decode()


# --- a partnership and a cluster ----------------------------------------------------------------


def test_a_partnership_lists_its_members_chair_first_and_its_projects(
    client, coordinator_04, register
):
    client.force_login(coordinator_04)
    response = client.get(reverse("site:partnership", args=[register["partnership"].pk]))
    members = tables(response)["compact"]
    rows = [row[:3] for row in members[1:]]
    assert rows[0] == [register["lead"].name, "Länsstyrelse", "Ordförande"]
    assert sorted(rows[1:]) == [
        ["Eskilstuna Verkstad AB", "Företag", "Ledamot"],
        ["Eskilstuna kommun", "Kommun", "Ledamot"],
    ]
    assert _project_rows(response) == ["304-0100-01"]
    html = response.content.decode()
    assert reverse("site:organisation", args=[register["owner"].pk]) in html


def test_a_cluster_draws_its_network_with_assessment_actors_and_links(client, reviewer, register):
    client.force_login(reviewer)
    response = client.get(reverse("site:cluster", args=[register["cluster"].pk]))
    html = response.content.decode()
    assert '<svg class="chart' in html and "Nätverk i klustret Tunga fordon" in html
    assert "Starka underleverantörer" in html and "Risk för geografisk inlåsning" in html
    assert "3 aktörer, 2 i arbetsgruppen" in html
    assert "1 vertikala och 1 horisontella länkar" in html
    compact = tables(response)["compact"]
    actors = [row for row in compact if len(row) == 4]
    assert ["Eskilstuna Verkstad AB", "Företag", "Ja", "Leder arbetsgruppen"] in actors
    assert ["Eskilstuna kommun", "Kommun", "Nej", "–"] in actors
    links = [row for row in compact if len(row) == 5]
    assert links[1:] == [
        ["Eskilstuna Verkstad AB", register["lead"].name, "Vertikal (i förädlingskedjan)",
         "varor", "Från korn till limpa"],
        [register["lead"].name, "Eskilstuna kommun", "Horisontell (relaterade företag, forskning)",
         "kunskap", "Forskningssamarbete"],
    ]  # fmt: skip
    assert _project_rows(response) == ["304-0100-01"]


# --- links to the pages ---------------------------------------------------------------------------


def test_list_rows_link_to_the_project_and_organisation_pages(client, coordinator_04, register):
    client.force_login(coordinator_04)
    project, owner = register["project"], register["owner"]
    projects = client.get(reverse("site:projects")).content.decode()
    assert f'<a href="{reverse("site:project", args=[project.pk])}">{project.title}</a>' in projects
    owner_link = f'<a href="{reverse("site:organisation", args=[owner.pk])}">{owner.name}</a>'
    assert owner_link in projects
    organisations = client.get(reverse("site:organisations") + "?q=Eskilstuna").content.decode()
    assert owner_link in organisations


def test_the_county_page_links_evidence_partnerships_and_clusters_the_user_may_open(
    client, coordinator_04, reviewer, register
):
    """Evidence cited, partnerships and clusters link to their pages; a cluster led by another
    county that Södermanland shares in is listed, linked only for those who may open it."""
    round_obj = builders.follow_up_round(year=2001)
    register["cluster_05"].other_counties.add(builders.county("04"))
    report = builders.county_report(round_obj=round_obj, county_code="04")
    observation = builders.observation(report=report)
    observation.projects.add(register["project"])
    observation.clusters.add(register["cluster"])
    builders.set_status(report, ReportStatus.SUBMITTED)
    url = reverse("site:county", args=[2001, "04"])

    def link(name, key):
        obj = register[key]
        label = obj.name if key != "project" else f"{obj.reference_number} {obj.title}"
        return f'<a href="{reverse(name, args=[obj.pk])}">{label}</a>'

    for user, shared_linked in ((coordinator_04, False), (reviewer, True)):
        client.force_login(user)
        html = client.get(url).content.decode()
        evidence = html[html.index('id="iakttagelser"') : html.index('id="nyckeltal"')]
        assert link("site:project", "project") in evidence
        assert link("site:cluster", "cluster") in evidence
        register_part = html[html.index('id="partnerskap"') :]
        assert link("site:partnership", "partnership") in register_part
        assert link("site:cluster", "cluster") in register_part
        assert "Östgötskt kluster" in register_part  # shared with Södermanland: listed
        assert (link("site:cluster", "cluster_05") in register_part) is shared_linked


# --- queries ------------------------------------------------------------------------------------


def _grow(register) -> None:
    """Many more financing lines, members, actors, links and projects for every page."""
    project, owner = register["project"], register["owner"]
    for year in (2001, 2002, 2003):
        for code in ("stat-nutek", "landsting", "kommun", "privat", "ovrigt"):
            for kind in (D, OUT):
                builders.financing_line(
                    project_obj=project, year=year, kind=kind, financier=owner,
                    source_obj=builders.source(code),
                )  # fmt: skip
    cluster = register["cluster"]
    actors = list(cluster.actors.all())
    for i in range(6):
        organisation = builders.organisation()
        builders.member(partnership_obj=register["partnership"], organisation_obj=organisation)
        actors.append(builders.cluster_actor(cluster_obj=cluster, organisation_obj=organisation))
        builders.cluster_link(from_actor=actors[-2], to_actor=actors[-1])
        more = builders.project(measure_obj=project.measure, owner=owner,
                                partnership=register["partnership"], cluster=cluster)  # fmt: skip
        builders.financing_line(project_obj=more, amount=str(1000 * i), financier=owner)
        builders.member(partnership_obj=register["partnership_05"], organisation_obj=organisation)


def _pages(register) -> dict[str, str]:
    return {
        "project": reverse("site:project", args=[register["project"].pk]),
        "organisation": reverse("site:organisation", args=[register["owner"].pk]),
        "partnership": reverse("site:partnership", args=[register["partnership"].pk]),
        "cluster": reverse("site:cluster", args=[register["cluster"].pk]),
    }


def _count(client, pages) -> dict[str, int]:
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, name
        counts[name] = len(queries)
    return counts


# Measured: 9 (project) to 13 (organisation) of the page's own, with a coordinator's counties,
# the menu's round and the session's save besides.
MAX_QUERIES = 17


@pytest.mark.parametrize("persona", ["coordinator_04", "reviewer", "coordinator_04_reviewer"])
def test_detail_pages_run_as_many_queries_for_many_lines_members_and_actors_as_for_few(
    client, django_assert_max_num_queries, register, persona, request
):
    builders.follow_up_round(year=2001)  # the breadcrumbs link to the county page in it
    client.force_login(request.getfixturevalue(persona))
    pages = _pages(register)
    small = _count(client, pages)
    _grow(register)
    large = _count(client, pages)
    assert large == small
    for url in pages.values():
        with django_assert_max_num_queries(MAX_QUERIES):
            client.get(url)
