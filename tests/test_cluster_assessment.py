"""The cluster assessment leaves the admin: the report's Södermanland example — a working group
for heavy vehicles, each party's part in it, the links between actors and the county's
assessment (description, strengths, weaknesses, planned measures, risk of geographic lock-in) —
is on the county page and in the county workbook's summary and its *Kluster* sheet."""

import io

import openpyxl
import pytest

from agreements.models import ClusterLink, OrganisationKind
from followup.exports.county import write_county_workbook
from tests import builders

pytestmark = pytest.mark.django_db

ASSESSMENT = {
    "description": "Arbetsgrupp för tunga fordon: företag, länsstyrelsen, ALMI, länsarbetsnämnden "
    "och Eskilstuna kommun går tillsammans igenom klustrets länkar.",
    "strengths": "Starka underleverantörer kring de stora tillverkarna.",
    "weaknesses": "Brist på ingenjörer och svetsare.",
    "planned_measures": "Kompetensutveckling för underleverantörerna.",
    "lock_in_risk": "Klustret kan bli en isolerad ”ö”; kontakter utanför länet behövs.",
}
HEADINGS = {
    "description": "Beskrivning",
    "strengths": "Styrkor",
    "weaknesses": "Svagheter",
    "planned_measures": "Planerade åtgärder",
    "lock_in_risk": "Risk för geografisk inlåsning",
}
PART = "Identifierar företagens behov av arbetskraft och kompetensutveckling."
LINK = "Leveranser av hytter <b>och</b> chassin"


@pytest.fixture
def heavy_vehicles():
    builders.follow_up_round(year=2001)
    builders.agreement(county_code="04")
    cluster = builders.cluster(
        county_code="04", name="Tunga fordon", delimitation="teknik", **ASSESSMENT
    )
    agency = builders.cluster_actor(
        cluster_obj=cluster,
        organisation_obj=builders.organisation(
            name="Länsarbetsnämnden i Södermanlands län",
            kind_code=OrganisationKind.STATE_AGENCY,
        ),
        in_working_group=True,
        part=PART,
    )
    maker = builders.cluster_actor(
        cluster_obj=cluster, organisation_obj=builders.organisation(name="Hyttverken AB")
    )
    builders.cluster_link(
        from_actor=maker,
        to_actor=agency,
        direction=ClusterLink.Direction.VERTICAL,
        description=LINK,
    )
    builders.cluster(county_code="04", name="Livsmedel", delimitation="geografi")  # unassessed
    return cluster


def test_the_county_page_shows_the_assessment_each_part_and_each_link(client, reviewer,
                                                                      heavy_vehicles):  # fmt: skip
    client.force_login(reviewer)
    page = client.get("/omgang/2001/lan/04/").content.decode()
    start = page.index('id="kluster"')
    section = page[start : page.index("</section>", start)]
    for field, heading in HEADINGS.items():
        assert f"<dt>{heading}</dt>" in section
        assert ASSESSMENT[field] in section
    assert PART in section
    assert f"({builders.kind(OrganisationKind.STATE_AGENCY).name})" in section  # the actor's kind
    assert "Leveranser av hytter &lt;b&gt;och&lt;/b&gt; chassin" in section  # escaped, shown
    assert "Ingen bedömning av klustret är registrerad." in section  # Livsmedel


def test_the_county_workbook_has_the_assessment_on_its_summary_and_its_own_sheet(heavy_vehicles):
    output = io.BytesIO()
    write_county_workbook(
        output,
        county=builders.county("04"),
        round_obj=builders.FollowUpRound.objects.get(),
        show_report=False,
    )
    book = openpyxl.load_workbook(io.BytesIO(output.getvalue()))
    summary = list(book["Sammanställning"].iter_rows(values_only=True))
    pairs = {row[0]: row[1] for row in summary if row[0] in HEADINGS.values()}
    assert pairs == {HEADINGS[field]: text for field, text in ASSESSMENT.items()}
    unassessed = [row[0] for row in summary if str(row[0]).startswith("Ingen bedömning")]
    assert unassessed == ["Ingen bedömning av klustret är registrerad."]  # Livsmedel

    sheet = book["Kluster"]
    header, *rows = sheet.iter_rows(values_only=True)
    assert header == ("Kluster", "Avgränsning", "Ansvarigt län", *HEADINGS.values())
    assert rows == [
        ("Livsmedel", "Geografisk närhet", "Södermanland", None, None, None, None, None),
        ("Tunga fordon", "Teknik", "Södermanland", *ASSESSMENT.values()),
    ]
    actors = list(book["Klusteraktörer"].iter_rows(values_only=True))
    assert actors[1][:2] == ("Tunga fordon", "Länsarbetsnämnden i Södermanlands län")
    assert actors[1][-1] == PART
    links = list(book["Klusterlänkar"].iter_rows(values_only=True))
    assert links[1][-1] == LINK
