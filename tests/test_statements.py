"""The Swedish sentences the national workbook writes from the data, sentence by sentence.

The report's own style: counties strongest first and then in county-code order, "A, B och C",
whole per cent with "under 1 %" for a small share, millions of kronor with a space between
thousands.
"""

from decimal import Decimal

import pytest

from followup.exports.statements import (
    WORKS_WITH,
    CountyAssessment,
    counted_statement,
    counties_working_with,
    financing_statement,
    in_report_order,
    join_names,
    msek_text,
    not_yet_assessed_statement,
    percent_text,
    reported_financing_statement,
    submission_statement,
    theme_phrase,
    theme_statements,
)
from followup.models import Assessment


def county(code, name, level):
    return CountyAssessment(code=code, name=name, assessment=level)


SODERMANLAND, SKANE, STOCKHOLM = (
    county("04", "Södermanland", 4),
    county("12", "Skåne", 4),
    county("01", "Stockholm", 3),
)
VARMLAND, UPPSALA = county("17", "Värmland", 2), county("03", "Uppsala", 1)


@pytest.mark.parametrize(
    ("names", "text"),
    [([], ""), (["A"], "A"), (["A", "B"], "A och B"), (["A", "B", "C"], "A, B och C")],
)
def test_names_are_joined_the_swedish_way(names, text):
    assert join_names(names) == text
    assert join_names(iter(names)) == text  # any sequence, read once


def test_counties_are_in_report_order_strongest_first_then_by_code():
    given = [UPPSALA, STOCKHOLM, SKANE, VARMLAND, SODERMANLAND]
    assert [a.name for a in in_report_order(given)] == [
        "Södermanland",
        "Skåne",
        "Stockholm",
        "Värmland",
        "Uppsala",
    ]


def test_working_with_a_theme_means_at_least_established():
    assert WORKS_WITH == Assessment.ESTABLISHED == 3
    given = [UPPSALA, VARMLAND, STOCKHOLM, SKANE]
    assert counties_working_with(given) == ["Skåne", "Stockholm"]


@pytest.mark.parametrize(
    ("theme", "phrase"),
    [
        ("Klusterarbete", "klusterarbete"),
        ("EU-samordning", "EU-samordning"),
        ("IT", "IT"),  # an acronym of two letters is the whole theme
        ("Ab", "ab"),
        ("X", "x"),
        ("", ""),
    ],
)
def test_a_theme_reads_in_lower_case_unless_it_starts_with_an_acronym(theme, phrase):
    assert theme_phrase(theme) == phrase


def test_theme_statements_with_every_level_read_with_the_themes_phrase():
    sentences = theme_statements(
        theme_name="Klusterarbete",
        phrase="arbetar med kluster",
        assessments=[VARMLAND, SODERMANLAND, UPPSALA, STOCKHOLM, SKANE],
    )
    assert sentences == [
        "Södermanland, Skåne och Stockholm arbetar med kluster.",
        "Arbetet bedöms som framträdande i Södermanland och Skåne och som etablerat i Stockholm.",
        "Arbetet är begynnande i Värmland; inget arbete rapporteras från Uppsala.",
    ]


@pytest.mark.parametrize(
    ("phrase", "sentence"),
    [
        ("", "Skåne arbetar med dialog."),  # no phrase: "arbetar med" and the name
        ("  ", "Skåne arbetar med dialog."),
        ("utvecklar dialogen med näringslivet", "Skåne utvecklar dialogen med näringslivet."),
        ("utvecklar dialogen med näringslivet.", "Skåne utvecklar dialogen med näringslivet."),
    ],
)
def test_a_theme_reads_by_its_phrase_or_else_by_its_name(phrase, sentence):
    assert theme_statements(theme_name="Dialog", phrase=phrase, assessments=[SKANE])[0] == sentence


def test_theme_statements_with_one_level_at_a_time():
    assert theme_statements(theme_name="Dialog", assessments=[SKANE]) == [
        "Skåne arbetar med dialog.",
        "Arbetet bedöms som framträdande i Skåne.",
    ]
    assert theme_statements(theme_name="Dialog", assessments=[STOCKHOLM]) == [
        "Stockholm arbetar med dialog.",
        "Arbetet bedöms som etablerat i Stockholm.",
    ]
    assert theme_statements(theme_name="Dialog", assessments=[VARMLAND]) == [
        "Inget län bedömer ännu sitt arbete med temat som etablerat.",
        "Arbetet är begynnande i Värmland.",
    ]
    assert theme_statements(theme_name="Dialog", assessments=[UPPSALA]) == [
        "Inget län bedömer ännu sitt arbete med temat som etablerat.",
        "Inget arbete rapporteras från Uppsala.",
    ]
    assert theme_statements(theme_name="Dialog", assessments=[]) == []


def test_the_counties_without_an_assessment_are_named_once():
    assert not_yet_assessed_statement(["Östergötland", "Gotland"], counties=21) == (
        "Bedömningar saknas ännu från Östergötland och Gotland (utkast eller ingen rapport); "
        "meningarna nedan bygger på de 19 övriga länens rapporter."
    )
    assert not_yet_assessed_statement([], counties=21) == (
        "Alla 21 län har skickat in sina bedömningar."
    )
    assert not_yet_assessed_statement(["A", "B"], counties=2).startswith("Inget län har skickat")


def test_facts_counted_from_the_register():
    assert counted_statement(
        "Lokala partnerskap", ["Södermanland", "Östergötland"], counties=21
    ) == ("Lokala partnerskap finns i 2 av 21 län: Södermanland och Östergötland.")
    assert counted_statement("Kluster", [], counties=21) == "Kluster finns inte i något län."
    assert counted_statement("Avtal", ["A", "B"], counties=2) == "Avtal finns i alla 2 län."
    assert reported_financing_statement(18, counties=21) == (
        "18 av 21 län har rapporterat beslut om finansiering."
    )
    assert reported_financing_statement(21, counties=21) == (
        "Alla 21 län har rapporterat beslut om finansiering."
    )
    assert reported_financing_statement(0, counties=21) == (
        "Inget län har rapporterat beslut om finansiering ännu."
    )


def test_submission_statement_in_every_combination():
    assert submission_statement(
        counties=21, submitted=14, approved=8, returned=3, drafts=4, missing=0
    ) == (
        "14 av 21 län har skickat in sin rapport och 8 av dem är godkända. 3 rapporter har "
        "returnerats till länen för komplettering och 4 är ännu utkast."
    )
    assert submission_statement(
        counties=21, submitted=2, approved=0, returned=1, drafts=0, missing=18
    ) == (
        "2 av 21 län har skickat in sin rapport; ingen är godkänd än. 1 rapport har returnerats "
        "till länen för komplettering och 18 län saknar rapport."
    )
    assert submission_statement(
        counties=21, submitted=21, approved=21, returned=0, drafts=0, missing=0
    ) == ("21 av 21 län har skickat in sin rapport och 21 av dem är godkända.")


@pytest.mark.parametrize(
    ("share", "text"),
    [
        (Decimal("0.25"), "25 %"),
        (Decimal("0.005"), "1 %"),  # half rounds up
        (Decimal("0.0049"), "under 1 %"),
        (Decimal("0"), "0 %"),
        (Decimal("1"), "100 %"),
        (Decimal("0.4449"), "44 %"),
    ],
)
def test_percent_text(share, text):
    assert percent_text(share) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("2585432100"), "2 585 miljoner kronor"),
        (Decimal("500000"), "1 miljon kronor"),  # half a million rounds up, to one
        (Decimal("499999"), "0 miljoner kronor"),
        (Decimal("1234567890123"), "1 234 568 miljoner kronor"),
    ],
)
def test_msek_text(amount, text):
    assert msek_text(amount) == text


def test_financing_statement_names_every_source_with_money_and_its_share():
    parts = [
        ("staten", Decimal("1300")),
        ("det privata näringslivet", Decimal("650")),
        ("kommunerna", Decimal("0")),  # nothing: not named
        ("EU", Decimal("650")),
    ]
    assert financing_statement(total=Decimal("2600000000"), parts=parts) == (
        "Den beslutade finansieringen uppgår till 2 600 miljoner kronor, varav staten under 1 %, "
        "det privata näringslivet under 1 % och EU under 1 %."
    )
    parts = [("staten", Decimal("50")), ("det privata näringslivet", Decimal("50"))]
    assert financing_statement(total=Decimal("100"), parts=parts) == (
        "Den beslutade finansieringen uppgår till 0 miljoner kronor, varav staten 50 % och det "
        "privata näringslivet 50 %."
    )
    assert financing_statement(total=Decimal("0"), parts=parts) == (
        "Ingen finansiering har beslutats ännu."
    )
