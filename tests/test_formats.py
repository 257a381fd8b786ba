"""Numbers as people read them, from one module (core.formats): kronor, mnkr, per cent and
years the same on every page, workbook and download — and no year ever grouped like an
amount ("2 001")."""

import io
import re

import openpyxl
import pytest
from django.utils import translation

from agreements.models import FinancingLine
from core import formats
from followup.models import FollowUpRound
from tests.test_site_lists import build_lists

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def test_swedish_amounts_are_grouped_with_a_space_and_a_decimal_comma():
    with translation.override("sv"):
        assert formats.kronor(1_250_000) == f"1{NBSP}250{NBSP}000 kr"
        assert formats.mnkr(1_234_500_000) == f"1{NBSP}234,5 mnkr"
        assert formats.amount("1250000.50") == f"1{NBSP}250{NBSP}000,50"
        assert formats.amount("1250000.00") == f"1{NBSP}250{NBSP}000"
        assert formats.percent(25) == "25 %"
        assert formats.year(2001) == "2001"


def test_english_amounts_use_english_separators_and_units():
    with translation.override("en"):
        assert formats.kronor(1_250_000) == "1,250,000 SEK"
        assert formats.mnkr(1_234_500_000) == "1,234.5 SEK m"
        assert formats.year(2001) == "2001"


def test_nothing_reads_as_a_dash_not_a_zero():
    assert formats.amount(None) == "–"
    assert formats.percent(None) == "–"
    assert formats.year(None) == ""


# Maximal runs of digits with their thousands separators: "2 001" is one number, grouped.
NUMBER = re.compile(r"\d+(?:[ \xa0\u202f]\d{3})*")


def grouped_years(text: str, years: set[int]) -> list[str]:
    found = []
    for token in NUMBER.findall(text):
        digits = re.sub(r"\D", "", token)
        if digits != token and int(digits) in years:
            found.append(token)
    return found


@pytest.fixture
def years():
    build_lists()
    found = set(FollowUpRound.objects.values_list("year", flat=True))
    found |= set(FinancingLine.objects.values_list("year", flat=True))
    assert {2001, 2002} <= found
    return found


PAGES = [
    "/omgang/2001/",
    "/omgang/2001/jamforelse/",
    "/omgang/2001/finansiering/",
    "/omgang/2001/lan/04/",
    "/lan/04/utveckling/",
    "/projekt/",
    "/iakttagelser/",
    "/organisationer/",
]

WORKBOOKS = [
    "/omgang/2001/sammanstallning.xlsx",
    "/omgang/2001/lan/04/sammanstallning.xlsx",
    "/projekt/projekt.xlsx",
    "/iakttagelser/iakttagelser.xlsx",
    "/organisationer/organisationer.xlsx",
]

CSVS = ["/projekt/projekt.csv", "/iakttagelser/iakttagelser.csv"]


def content(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("url", PAGES)
def test_no_page_groups_a_year(client, reviewer, years, url):
    client.force_login(reviewer)
    html = content(client.get(url)).decode()
    assert grouped_years(html, years) == []
    assert any(str(y) in html for y in years), "the page shows a year"


@pytest.mark.parametrize("url", CSVS)
def test_no_csv_download_groups_a_year(client, reviewer, years, url):
    client.force_login(reviewer)
    text = content(client.get(url)).decode("utf-8-sig")
    assert grouped_years(text, years) == []
    assert any(str(y) in text for y in years)


@pytest.mark.parametrize("url", WORKBOOKS)
def test_no_workbook_shows_a_year_grouped(client, reviewer, years, url):
    """A year held as a number must carry a format without grouping: Excel would show
    "2 001" for 2001 under "#,##0". Text cells must not spell one grouped either."""
    client.force_login(reviewer)
    book = openpyxl.load_workbook(io.BytesIO(content(client.get(url))))
    year_cells = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str):
                    assert grouped_years(value, years) == [], (sheet.title, cell.coordinate)
                elif isinstance(value, int | float) and value in years:
                    year_cells += 1
                    assert "," not in cell.number_format, (
                        sheet.title,
                        cell.coordinate,
                        cell.number_format,
                    )
    if url != "/organisationer/organisationer.xlsx":  # organisations carry no year
        assert year_cells or any(
            str(y) in str(c.value)
            for s in book.worksheets
            for r in s.iter_rows()
            for c in r
            for y in years
        )
