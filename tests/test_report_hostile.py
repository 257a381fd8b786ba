"""The yearly report (Word) written from what hostile or careless users type: names and texts
that a chart library or a word processor could read as something else, and texts long enough
that a careless writer would spend minutes on them. The document is written, says what was
typed, and opens."""

import io
import time

import pytest
from docx import Document

from core.raw_load import raw_load
from followup.models import Observation
from followup.models import ReportStatus as S
from followup.report.write import write_report
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db


def write(round_obj, county=None) -> Document:
    output = io.BytesIO()
    write_report(output, round_obj=round_obj, county=county)
    return Document(io.BytesIO(output.getvalue()))


def texts(document) -> str:
    """Every text of the document, tables and alt texts included."""
    return "\n".join(t.text or "" for t in document.element.body.iter("{*}t")) + "\n".join(
        shape.get("descr", "") for shape in document.element.body.iter("{*}docPr")
    )


@pytest.fixture
def approved_04():
    round_obj = builders.follow_up_round(year=2001)
    exports_builders.register(county_code="04", projects=2)
    report = exports_builders.report(round_obj=round_obj, county_code="04", status=S.APPROVED)
    return round_obj, report


def test_a_dollar_sign_in_a_name_is_drawn_as_written_never_as_a_formula(approved_04):
    """matplotlib reads text between two "$" as a formula: a priority area named so would be
    drawn garbled, or fail the whole report for everyone."""
    round_obj, report = approved_04
    area = report.county.agreements.get().priority_areas.get(number=1)
    area.name = "Handel i $ och ^^$ med USA"
    area.save()
    document = write(round_obj)
    assert "1. Handel i $ och ^^$ med USA" in texts(document)
    assert "Ram, beslutat och utfall per insatsområde, Södermanland. 1. Handel i $ och ^^$" in (
        texts(document)
    )


def test_observations_of_many_lines_cost_time_in_proportion_to_their_length(approved_04):
    """Each line of a text is a paragraph; adding one must not search the whole document
    (which made 60 000 short lines take a minute or more, and the report with them)."""
    round_obj, report = approved_04
    observations = 60
    for _ in range(observations - report.observations.count()):
        builders.observation(report=report)
    with raw_load():
        Observation.objects.filter(report=report).update(text="rad\n" * 999 + "sista raden")
    output = io.BytesIO()
    started = time.monotonic()
    write_report(output, round_obj=round_obj, county=report.county)
    elapsed = time.monotonic() - started
    assert elapsed < 30, elapsed  # some seconds (a minute or more when it searched)
    document = Document(io.BytesIO(output.getvalue()))
    # the first line of each follows its assessment in the lead paragraph
    assert sum(1 for p in document.paragraphs if p.text == "rad") == observations * 998
    assert sum(1 for p in document.paragraphs if p.text == "sista raden") == observations


def test_a_text_of_a_million_lines_keeps_every_word_in_a_thousand_paragraphs(approved_04):
    """A paragraph costs a document far more than the line break it is made of: a coordinator's
    text of a million short lines would have cost the ministry's report 600 MB and a minute.
    Past the thousandth line the lines run on in one paragraph, every word kept."""
    round_obj, report = approved_04
    lines = 1_000_000
    with raw_load():
        Observation.objects.filter(pk=report.observations.first().pk).update(
            text="Inledning\n" + "ord\n" * lines + "slut"
        )
    output = io.BytesIO()
    started = time.monotonic()
    write_report(output, round_obj=round_obj, county=report.county)
    elapsed = time.monotonic() - started
    assert elapsed < 20, elapsed
    document = Document(io.BytesIO(output.getvalue()))
    paragraphs = [p.text for p in document.paragraphs]
    first = next(i for i, text in enumerate(paragraphs) if text.endswith("Inledning"))
    assert paragraphs[first + 1 : first + 999] == ["ord"] * 998
    last = paragraphs[first + 999]
    assert last.split() == ["ord"] * (lines - 998) + ["slut"]
    assert not paragraphs[first + 1000].startswith("ord")


def test_a_text_typed_in_a_browser_has_no_extra_line_after_each_line(approved_04):
    """A browser sends a textarea's line breaks as CR LF, and so they are stored: each line is a
    paragraph of its own, never one ending in a line break (Word shows that as an empty line:
    every observation would read double-spaced)."""
    round_obj, report = approved_04
    observation = report.observations.first()
    with raw_load():
        Observation.objects.filter(pk=observation.pk).update(
            text="Första stycket.\r\nEn rad till.\r\n\r\nAndra stycket."
        )
        type(report).objects.filter(pk=report.pk).update(summary="Ett.\r\nTvå.\rTre.")
    document = write(round_obj, county=report.county)
    paragraphs = document.paragraphs
    first = next(i for i, p in enumerate(paragraphs) if "Första stycket." in p.text)
    assert paragraphs[first].text.endswith("Första stycket.")
    assert [p.text for p in paragraphs[first + 1 : first + 4]] == [
        "En rad till.",
        "",
        "Andra stycket.",
    ]
    summary = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Ett."))
    assert [p.text for p in paragraphs[summary : summary + 3]] == ["Ett.", "Två.", "Tre."]
    assert not any(p._p.xpath(".//w:br") for p in paragraphs[first : first + 4])


def test_a_county_without_an_agreement_is_not_said_to_have_one():
    """A county whose report is with the ministry but that has no agreement in force in the
    year: its chapter says so once, and never speaks of "the agreement" it does not have."""
    round_obj = builders.follow_up_round(year=2001)
    report = exports_builders.report(round_obj=round_obj, county_code="04", status=S.SUBMITTED)
    text = "\n".join(p.text for p in write(round_obj, county=report.county).paragraphs)
    assert "Länet har inget avtal som gäller 2001." in text
    assert "Avtalet har" not in text  # (a theme is called "Avtalets lokala förankring")
