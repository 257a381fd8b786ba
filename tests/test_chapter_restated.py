"""The report chapter's own statements, restated from data entered as the counties and the
ministry would enter it (``../shared/reference/report-chapter4.txt``, 4.1–4.3):

- six counties work with clusters: Södermanland, Östergötland, Skåne, Värmland, Stockholm and
  Västra Götaland;
- Östergötland and Södermanland deepen their contacts with local partnerships;
- the financing is reported with its shares;
- the ministry's closing conclusions stand first.

Coordinators submit through the workflow service, the reviewer approves; then the national
workbook is written and read back as a reader would read it.
"""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Group

from agreements.models import FinancingLine, Municipality, Partnership
from core.roles import Role
from followup.exports.national import write_national_workbook
from followup.models import NationalConclusion, Theme
from followup.services.reports import county_report_approve, county_report_submit
from tests import builders

pytestmark = pytest.mark.django_db

CLUSTER_COUNTIES = {"04": 4, "05": 3, "12": 4, "17": 3, "01": 3, "14": 3}  # code → assessment
LOCAL_PARTNERSHIPS = {"04": "0484", "05": "0580"}  # Eskilstuna, Linköping
CLOSING = (
    "Det regionala tillväxtavtalets idé förefaller ännu vara främmande för många lokala aktörer "
    "och projektägare."
)


def coordinator(code: str, django_user_model):
    user = django_user_model.objects.create_user(f"samordnare{code}", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.COORDINATOR))
    user.counties.set([builders.county(code)])
    return user


@pytest.fixture
def chapter(django_user_model, reviewer):
    round_obj = builders.follow_up_round(year=2001)
    for code, municipality in LOCAL_PARTNERSHIPS.items():
        partnership = builders.partnership(
            county_code=code,
            level=Partnership.Level.LOCAL,
            municipality=Municipality.objects.get(code=municipality),
        )
        builders.member(partnership_obj=partnership)
    for code, level in CLUSTER_COUNTIES.items():
        agreement = builders.agreement(county_code=code)
        area = builders.priority_area(agreement_obj=agreement)
        project = builders.project(measure_obj=builders.measure(area=area))
        for source, amount in (("stat-regional-utveckling", "750000"), ("privat", "250000")):
            builders.financing_line(
                project_obj=project, amount=amount, source_obj=builders.source(source)
            )
        builders.financing_line(project_obj=project, amount="1", kind=FinancingLine.Kind.OUTCOME)
        builders.cluster(county_code=code, name=f"Kluster i {code}")
        report = builders.county_report(round_obj=round_obj, county_code=code, summary="Klart.")
        for theme in Theme.objects.all():
            builders.observation(
                report=report,
                theme=theme,
                assessment=level if theme.code == "klusterarbete" else 2,
                text=f"Iakttagelse om {theme.name}.",
            )
        county_report_submit(report=report, user=coordinator(code, django_user_model))
        if code != "14":
            county_report_approve(report=report, user=reviewer)
    NationalConclusion.objects.create(round=round_obj, theme=None, text=CLOSING)
    output = io.BytesIO()
    result = write_national_workbook(output, round_obj=round_obj)
    return result, openpyxl.load_workbook(io.BytesIO(output.getvalue()), data_only=True)


def texts(sheet) -> list[str]:
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def test_the_chapters_statements_come_back_from_the_workbook(chapter):
    result, book = chapter
    conclusions = texts(book["Slutsatser"])
    # The ministry's closing conclusion first, before anything counted.
    assert conclusions.index(CLOSING) < conclusions.index("Länens rapportering")
    assert conclusions.index("Departementets samlade slutsatser") < conclusions.index(CLOSING)

    cluster = "Södermanland, Skåne, Stockholm, Östergötland, Västra Götaland och Värmland arbetar "
    assert f"{cluster}med kluster." in " ".join(conclusions)
    assert "Lokala partnerskap finns i 2 av 21 län: Södermanland och Östergötland." in " ".join(
        conclusions
    )
    assert (
        "Registrerade kluster finns i 6 av 21 län: Stockholm, Södermanland, Östergötland, Skåne, "
        "Västra Götaland och Värmland." in " ".join(conclusions)
    )
    assert "6 av 21 län har rapporterat beslut om finansiering." in " ".join(conclusions)
    assert (
        "Den beslutade finansieringen uppgår till 6 miljoner kronor, varav staten 75 % och privata "
        "medel 25 %." in conclusions
    )
    # The fifteen counties without a report are named once, not under each of the eight themes.
    assert sum("Bedömningar saknas ännu från" in text for text in conclusions) == 1
    assert result.not_yet_assessed.startswith("Bedömningar saknas ännu från Uppsala, Jönköping")


def test_the_register_sheet_has_each_countys_lead_body_agreement_partnerships_and_clusters(
    chapter,
):
    _result, book = chapter
    sheet = book["Register"]
    header, *rows = sheet.iter_rows(values_only=True)
    by_county = {row[0]: dict(zip(header, row, strict=False)) for row in rows if row[0]}
    sodermanland = by_county["Södermanland"]
    assert sodermanland["Ansvarig organisation"] == "Länsstyrelsen i Södermanlands län"
    assert sodermanland["Typ av organisation"] == "Länsstyrelse"
    assert (sodermanland["Avtal"], sodermanland["Period"]) == (
        "Regionalt tillväxtavtal",
        "2000–2003",
    )
    assert (sodermanland["Lokala partnerskap"], sodermanland["Medlemmar i partnerskapen"]) == (1, 1)
    assert (sodermanland["Kluster"], sodermanland["Klustrens namn"]) == (1, "Kluster i 04")
    assert by_county["Gotland"]["Ansvarig organisation"] == "Inget avtal i kraft"
    country = by_county["Hela landet"]
    assert (country["Lokala partnerskap"], country["Kluster"]) == (2, 6)
    assert sum(by_county[name]["Kluster"] or 0 for name in by_county if name != "Hela landet") == 6


def test_a_theme_rephrased_in_the_admin_reads_so_in_the_sentences(chapter, superuser_client):
    theme = Theme.objects.get(code="klusterarbete")
    response = superuser_client.get(f"/admin/followup/theme/{theme.pk}/change/")
    assert "arbetar med kluster" in response.content.decode()  # from the reference data
    response = superuser_client.post(
        f"/admin/followup/theme/{theme.pk}/change/",
        {
            "code": theme.code,
            "name": theme.name,
            "name_en": theme.name_en,
            "description": theme.description,
            "sort_order": theme.sort_order,
            "is_active": "on",
            "phrase": "utvecklar kluster",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    output = io.BytesIO()
    result = write_national_workbook(output, round_obj=builders.FollowUpRound.objects.get())
    assert result.theme_statements["Klusterarbete"][0].endswith("Värmland utvecklar kluster.")


def test_a_reviewer_writes_the_conclusion_on_the_whole_round_once(client, reviewer):
    round_obj = builders.follow_up_round(year=2001)
    client.force_login(reviewer)
    form = client.get("/admin/followup/nationalconclusion/add/").content.decode()
    assert "Omgången som helhet" in form  # what no theme means, said in the theme's list

    def write(text):
        return client.post(
            "/admin/followup/nationalconclusion/add/",
            {"round": round_obj.pk, "theme": "", "text": text},
        )

    assert write(CLOSING).status_code == 302
    conclusion = NationalConclusion.objects.get(theme=None)
    assert (conclusion.text, conclusion.written_by) == (CLOSING, reviewer)
    second = write("En till.")
    assert second.status_code == 200
    assert "Omgången har redan en samlad slutsats." in second.content.decode()
    assert NationalConclusion.objects.count() == 1
