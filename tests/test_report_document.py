"""The yearly report as a Word document, read back with python-docx as the ministry would read
it: 21 county chapters in SCB order, a national chapter and the chapter of conclusions, headings
in the styles a table of contents lists, totals equal to the workbooks', no draft's content, text
from users as text (never fields or markup), and who may download what."""

import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from agreements.models import County, Organisation
from core import formats
from followup.exports.national import national_picture, write_national_workbook
from followup.models import NationalConclusion, Observation, ReportStatus, RoundStatus, Theme
from followup.report.write import DRAFT_NOTE, write_report
from followup.services.reports import county_report_approve, county_report_submit
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db
S = ReportStatus
DRAFT_SECRET = "Utkastets hemliga formulering"
GENERAL = "Tillväxtavtalen har förändrat arbetssätten i länen."
CLUSTER_CONCLUSION = "Klusterarbetet behöver en nationell samordning."


@pytest.fixture
def round_2001():
    """Four counties in four states, with registers of different sizes and assessments that
    differ by theme; a general conclusion and one per theme (cluster work)."""
    round_obj = builders.follow_up_round(year=2001)
    exports_builders.register(county_code="04", projects=3)
    exports_builders.register(county_code="05", projects=1, offset=30)
    exports_builders.register(county_code="12", projects=2, offset=60)
    exports_builders.register(county_code="01", projects=1, offset=90)
    exports_builders.report(round_obj=round_obj, county_code="04", status=S.APPROVED, assessment=4)
    exports_builders.report(round_obj=round_obj, county_code="05", status=S.RETURNED, assessment=2)
    exports_builders.report(round_obj=round_obj, county_code="12", status=S.SUBMITTED, assessment=3)
    draft = exports_builders.report(round_obj=round_obj, county_code="01", text=DRAFT_SECRET)
    draft.summary = f"Sammanfattning: {DRAFT_SECRET}"
    draft.save()
    cluster = Theme.objects.get(code="klusterarbete")
    NationalConclusion.objects.create(round=round_obj, theme=None, text=GENERAL)
    NationalConclusion.objects.create(round=round_obj, theme=cluster, text=CLUSTER_CONCLUSION)
    return round_obj


def write(round_obj, county=None) -> Document:
    output = io.BytesIO()
    write_report(output, round_obj=round_obj, county=county)
    return Document(io.BytesIO(output.getvalue()))


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def chapter(document, title: str) -> list[str]:
    """The texts of a chapter (heading 1 to the next heading 1), tables included."""
    body = document.element.body
    texts, inside = [], False
    for element in body.iterchildren():
        tag = element.tag.rsplit("}", 1)[1]
        if tag == "p":
            style = element.find(".//{*}pStyle")
            text = "".join(t.text or "" for t in element.iter("{*}t"))
            if style is not None and style.get(qn("w:val")) == "Heading1":
                if inside:
                    break
                inside = text == title
            if inside:
                texts.append(text)
        elif tag == "tbl" and inside:
            for row in element.iter("{*}tr"):
                texts.append(
                    " | ".join(
                        "".join(t.text or "" for t in c.iter("{*}t")) for c in row.iter("{*}tc")
                    )
                )
    return texts


def table_after(document, caption: str):
    """The rows (cell texts) of the table that follows the paragraph ``caption``."""
    body = list(document.element.body.iterchildren())
    for index, element in enumerate(body):
        if (
            element.tag.endswith("}p")
            and "".join(t.text or "" for t in element.iter("{*}t")) == caption
        ):
            table = body[index + 1]
            return [
                ["".join(t.text or "" for t in cell.iter("{*}t")) for cell in row.iter("{*}tc")]
                for row in table.iter("{*}tr")
            ]
    raise AssertionError(f"no table after {caption!r}")


def test_the_report_has_21_county_chapters_in_scb_order_then_the_nation_and_conclusions(
    round_2001,
):
    document = write(round_2001)
    counties = [county.name for county in County.objects.order_by("code")]
    assert headings(document, 1) == [
        *counties,
        "Hela landet",
        "Sammanfattning och slutsatser",
        "Bilaga: tabeller per län",
    ]
    assert len(counties) == 21
    # the headings are Word's own, which the table of contents lists (levels 1–2)
    assert "Heading 2" in {p.style.name for p in document.paragraphs}
    xml = document.element.xml
    assert re.search(r'<w:instrText[^>]*> TOC \\o "1-2" \\h \\z \\u </w:instrText>', xml)
    settings = document.settings.element.xml
    assert '<w:updateFields w:val="true"/>' in settings
    # the title page: the round, and "draft" while the round is open
    assert document.paragraphs[0].text == "Uppföljning av de regionala tillväxtavtalen 2001"
    assert document.paragraphs[0].style.name == "Title"
    assert DRAFT_NOTE in [p.text for p in document.paragraphs[:6]]


def test_a_closed_rounds_report_is_not_marked_as_a_draft(round_2001):
    round_2001.status = RoundStatus.CLOSED
    round_2001.save()
    document = write(round_2001)
    assert DRAFT_NOTE not in "\n".join(p.text for p in document.paragraphs)


def test_a_draft_county_gets_one_line_and_its_content_never_appears(round_2001):
    document = write(round_2001)
    everything = "\n".join(p.text for p in document.paragraphs) + document.element.xml
    assert DRAFT_SECRET not in everything
    assert chapter(document, "Stockholms län") == [
        "Stockholms län",
        "Länet har inte skickat in sin rapport för uppföljningen 2001.",
    ]
    assert chapter(document, "Gotlands län") == [
        "Gotlands län",
        "Länet har inte lämnat någon rapport för uppföljningen 2001.",
    ]


def test_a_county_chapter_is_the_reports_county_presentation(round_2001):
    text = "\n".join(chapter(write(round_2001), "Södermanlands län"))
    assert "leder arbetet med länets regionalt tillväxtavtal 2000–2003" in text
    assert "godkändes" in text
    for heading in (
        "Nyckeltal",
        "Ram, beslutat och utfall per insatsområde",
        "Finansiering per källa",
        "Partnerskap",
        "Kluster",
        "Iakttagelser per tema",
        "Länets sammanfattning",
    ):
        assert f"\n{heading}\n" in text
    for theme in Theme.objects.all():
        assert f"\n{theme.name}\n" in text
        assert f"Iakttagelse 04 om {theme.name}." in text
    assert "4 – Framträdande (iakttagelse). " in text
    assert "Sammanfattning 04." in text


def test_a_returned_report_reads_as_it_was_submitted(round_2001):
    report = round_2001.reports.get(county__code="05")
    with_text = Observation.objects.filter(report=report)
    from core.raw_load import raw_load

    with raw_load():  # the county rewrites its work after the return
        with_text.update(text="Länets nya arbete efter returen")
    text = "\n".join(chapter(write(round_2001), "Östergötlands län"))
    assert "returnerades" in text
    assert "Iakttagelserna och sammanfattningen återges som de skickades in" in text
    assert "Länets nya arbete efter returen" not in text
    assert "Iakttagelse 05 om Klusterarbete." in text


def test_an_approved_report_keeps_its_frozen_figures_equal_to_the_workbooks(
    round_2001, coordinator_05, reviewer
):
    """Östergötland submitted and approved through the workflow; the register grows after;
    the report and the national workbook both show the figures as submitted."""
    report = exports_builders.report(
        round_obj=builders.follow_up_round(year=2002), county_code="05"
    )
    county_report_submit(report=report, user=coordinator_05)
    report.refresh_from_db()
    county_report_approve(report=report, user=reviewer)
    submitted = exports_builders.decided("05", year=2002)
    exports_builders.add_projects(
        agreement=County.objects.get(code="05").agreements.get(), projects=2, offset=50
    )
    assert exports_builders.decided("05", year=2002) > submitted
    round_2002 = report.round
    document = write(round_2002)
    rows = table_after(document, "Beslutad finansiering och utfall per kategori av källa, kronor")
    assert rows[-1][0] == "Totalt"
    first_total = rows[-1][1]
    # the first such table is Stockholm's (a draft: not shown); find Östergötland's chapter
    text = chapter(document, "Östergötlands län")
    totals = [line for line in text if line.startswith("Totalt | ") and " | 100 % | " in line]
    assert totals[0].split(" | ")[1] == formats.kronor(submitted)
    assert first_total  # every shown county's table ends with its total
    output = io.BytesIO()
    write_national_workbook(output, round_obj=round_2002)
    book = openpyxl.load_workbook(io.BytesIO(output.getvalue()), data_only=True)
    financing = {r[0]: r for r in book["Finansiering per län"].iter_rows(values_only=True)}
    assert Decimal(str(financing["Östergötland"][-1])) == submitted


def test_the_national_tables_total_as_the_national_workbook_does(round_2001):
    document = write(round_2001)
    rows = table_after(
        document, "Beslutad finansiering per län och kategori av källa 2001, miljoner kronor"
    )
    assert rows[0][0] == "Län" and rows[-1][0] == "Hela landet"
    assert len(rows) == 1 + 21 + 1
    output = io.BytesIO()
    write_national_workbook(output, round_obj=round_2001)
    book = openpyxl.load_workbook(io.BytesIO(output.getvalue()), data_only=True)
    financing = {r[0]: r for r in book["Finansiering per län"].iter_rows(values_only=True)}
    workbook_total = Decimal(str(financing["Hela landet"][-1]))
    assert rows[-1][-1] == formats.millions(workbook_total)
    # and each county's row adds up to its total, as the lines in the register do
    lines = {row[0]: row for row in rows[1:-1]}
    for code in ("04", "05", "12", "01"):
        county = County.objects.get(code=code)
        assert lines[county.short_name][-1] == formats.millions(
            Decimal(str(financing[county.short_name][-1]))
        )
    # the figures the report adds itself agree with the sum of the lines (no report froze 05's)
    assert lines["Östergötland"][-1] == formats.millions(exports_builders.decided("05"))


def test_the_conclusions_chapter_has_the_ministrys_words_and_the_workbooks_sentences(round_2001):
    document = write(round_2001)
    text = chapter(document, "Sammanfattning och slutsatser")
    assert text[:3] == [
        "Sammanfattning och slutsatser",
        "Departementets samlade slutsatser",
        GENERAL,
    ]
    picture = national_picture(round_obj=round_2001)
    assert picture.submission in text
    for theme in picture.themes:
        assert theme.name in text
        for sentence in picture.theme_statements[theme.name]:
            assert sentence in text  # the same sentences as the national workbook
    cluster = text.index("Klusterarbete")
    assert text[cluster + 1] == CLUSTER_CONCLUSION
    assert any(
        "Södermanland arbetar med kluster" in line or "Södermanland" in line for line in text
    )


def test_charts_are_images_with_alt_text(round_2001):
    document = write(round_2001)
    descriptions = re.findall(r'<wp:docPr [^>]*descr="([^"]+)"', document.element.xml)
    # Södermanland, Östergötland, Skåne: two each; the national chart
    assert len(descriptions) == 3 * 2 + 1
    assert any(
        d.startswith("Ram, beslutat och utfall per insatsområde, Södermanland.")
        for d in descriptions
    )
    assert any("Hela" not in d and "Stockholm: totalt" in d for d in descriptions)
    with zipfile.ZipFile(_bytes(round_2001)) as package:
        images = [n for n in package.namelist() if n.startswith("word/media/")]
    assert len(images) == 7


def _bytes(round_obj) -> io.BytesIO:
    output = io.BytesIO()
    write_report(output, round_obj=round_obj)
    output.seek(0)
    return output


def test_text_from_users_is_text_never_fields_or_markup(round_2001):
    """A name and an observation written to look like Word's fields and markup stay text; a
    control character XML cannot hold is dropped; the document opens."""
    hostile = (
        '{ INCLUDETEXT "c:\\\\secret.txt" } <w:fldSimple w:instr="HYPERLINK evil"/>]]><w:p>\x01\x0b'
    )
    report = round_2001.reports.get(county__code="04")
    from core.raw_load import raw_load

    with raw_load():
        Observation.objects.filter(report=report).update(text=hostile)
        Organisation.objects.filter(pk=report.county.agreements.get().lead_body_id).update(
            name="Länsstyrelsen <b>fet</b> & { PAGE }"
        )
    document = write(round_2001)
    text = "\n".join(chapter(document, "Södermanlands län"))
    assert (
        '{ INCLUDETEXT "c:\\\\secret.txt" } <w:fldSimple w:instr="HYPERLINK evil"/>]]><w:p>' in text
    )
    assert "Länsstyrelsen <b>fet</b> & { PAGE } leder arbetet" in text
    xml = document.element.xml
    instructions = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml)
    assert [i.split()[0] for i in instructions] == ["TOC"]  # the body's only field is ours
    assert "<w:fldSimple" not in xml.replace("&lt;w:fldSimple", "")
    assert "\x01" not in xml and "\x0b" not in xml


def test_one_countys_presentation_alone(round_2001):
    document = write(round_2001, county=County.objects.get(code="04"))
    assert headings(document, 1) == ["Södermanlands län"]
    assert document.paragraphs[0].text == "Södermanlands län – uppföljning 2001"


def test_the_command_writes_the_report_and_says_so(round_2001, tmp_path, capsys):
    target = tmp_path / "uppfoljning-2001.docx"
    call_command("export_report", "--year", "2001", "-o", str(target))
    out, err = capsys.readouterr()
    assert "Skrev" in out and "21 län" in out and "7 diagram" in out
    assert "Södermanlands län (3/21)" in err and "Hela landet" in err
    assert headings(Document(str(target)), 1)[0] == "Stockholms län"
    call_command("export_report", "--year", "2001", "--county", "04", "-o", str(target))
    assert headings(Document(str(target)), 1) == ["Södermanlands län"]
    with pytest.raises(CommandError, match="Det finns ingen uppföljningsomgång för 1999."):
        call_command("export_report", "--year", "1999", "-o", str(target))
    with pytest.raises(CommandError, match="Det finns inget län med koden 99."):
        call_command("export_report", "--year", "2001", "--county", "99", "-o", str(target))
    with pytest.raises(CommandError, match="Det finns ingen uppföljningsomgång för 99999999999."):
        call_command("export_report", "--year", "99999999999", "-o", str(target))
    with pytest.raises(CommandError, match="Mappen .*saknas.* finns inte."):
        call_command("export_report", "--year", "2001", "-o", str(tmp_path / "saknas" / "r.docx"))
    call_command("export_report", "--year", "2001", "--county", "4", "-o", str(target))
    assert headings(Document(str(target)), 1) == ["Södermanlands län"]


# --- who may download what ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("reviewer", 200),
        ("administrator", 200),
        ("coordinator_04", 403),
        ("staff_without_role", 403),
    ],
)
def test_the_whole_report_is_the_ministrys(client, personas, round_2001, persona, status):
    client.force_login(personas[persona])
    response = client.get(reverse("site:report_docx", args=[2001]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessingml"
        )
        assert "uppfoljning-2001-rapportutkast.docx" in response["Content-Disposition"]
        document = Document(io.BytesIO(b"".join(response.streaming_content)))
        assert len(headings(document, 1)) == 24


def test_a_county_presentation_for_its_coordinator_and_the_ministry(
    client, coordinator_04, coordinator_05, reviewer, round_2001
):
    url = reverse("site:county_docx", args=[2001, "04"])
    for user in (coordinator_04, reviewer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        document = Document(io.BytesIO(b"".join(response.streaming_content)))
        assert headings(document, 1) == ["Södermanlands län"]
    client.force_login(coordinator_05)
    other = client.get(url)
    missing = client.get(reverse("site:county_docx", args=[2001, "99"]))
    assert other.status_code == missing.status_code == 404
    assert without_margin(other) == without_margin(missing)


def without_margin(response) -> str:
    """What a page says (its <main>): the frame around it names the address asked for."""
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def test_a_coordinator_gets_no_drafts_content_even_for_their_own_county(
    client, round_2001, django_user_model
):
    stockholm = builders.user("samordnare01", role="coordinator", counties=["01"])
    client.force_login(stockholm)
    response = client.get(reverse("site:county_docx", args=[2001, "01"]))
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    assert DRAFT_SECRET not in document.element.xml
    assert headings(document, 1) == ["Stockholms län"]


def test_the_pages_offer_the_downloads_to_those_who_may_have_them(
    client, coordinator_04, coordinator_05, reviewer, round_2001
):
    client.force_login(reviewer)
    assert reverse("site:report_docx", args=[2001]) in client.get("/omgang/2001/").content.decode()
    county = client.get("/omgang/2001/lan/04/").content.decode()
    assert reverse("site:county_docx", args=[2001, "04"]) in county
    client.force_login(coordinator_04)
    board = client.get("/omgang/2001/").content.decode()
    assert reverse("site:report_docx", args=[2001]) not in board
    county = client.get("/omgang/2001/lan/04/").content.decode()
    assert reverse("site:county_docx", args=[2001, "04"]) in county
