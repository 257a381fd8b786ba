"""CSV and Excel downloads of the lists: the page's rows, the user's rows, nothing runs;
and every list page and download makes the same number of queries at two data sizes."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl.utils.escape import unescape

from followup.models import Theme
from tests import builders, exports_builders
from tests.test_site_lists import INJECTED_TITLE, build_lists, references, table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_lists()


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def csv_rows(client, url) -> list[list[str]]:
    content = download(client, url)
    assert content.startswith("\ufeff".encode())  # so that Excel reads UTF-8
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def xlsx_rows(client, url) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(download(client, url)))
    sheet = book.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_csv_is_for_swedish_excel_and_holds_the_pages_rows(client, reviewer, data):
    client.force_login(reviewer)
    query = "?county=04&ordering=-decided_total"
    page = table_rows(client.get(f"/projekt/{query}"))
    rows = csv_rows(client, f"/projekt/projekt.csv{query}")
    assert rows[0][:3] == ["Länskod", "Län", "Diarienummer"]
    assert rows[0][-1] == "Beslutat (kr)"
    assert [row[2] for row in rows[1:]] == [row[1] for row in page]
    assert [row[-1] for row in rows[1:]] == ["2000000,00", "500000,00", "0,00"]
    assert [row[-1].replace("\xa0", " ") for row in page] == ["2 000 000", "500 000", "0"]
    assert rows[1][8:11] == ["Beviljat", "2002-01-01", "2003-12-31"]


def test_page_says_what_the_csv_is(client, reviewer, data):
    client.force_login(reviewer)
    page = client.get("/projekt/?county=04").content.decode()
    assert "UTF-8 med semikolon som avgränsare och decimalkomma" in page
    assert 'href="/projekt/projekt.csv?county=04"' in page
    assert 'href="/projekt/projekt.xlsx?county=04"' in page


def test_xlsx_holds_the_pages_rows_with_numbers_and_dates(client, reviewer, data):
    client.force_login(reviewer)
    query = "?year=2001&ordering=reference_number"
    page = references(client.get(f"/projekt/{query}"))
    rows = xlsx_rows(client, f"/projekt/projekt.xlsx{query}")
    assert rows[0][2] == "Diarienummer"
    assert [row[2] for row in rows[1:]] == page == ["304-0001-01", "501-0001-01"]
    assert [row[-1] for row in rows[1:]] == [500000, 750000.5]
    assert rows[1][9].date().isoformat() == "2001-03-01"


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_coordinator_downloads_only_their_countys_projects(client, coordinator_04, data, extension):
    client.force_login(coordinator_04)
    url = f"/projekt/projekt.{extension}"
    rows = csv_rows(client, url) if extension == "csv" else xlsx_rows(client, url)
    assert [row[0] for row in rows[1:]] == ["04", "04", "04"]
    assert "Östgötamärke" not in str(rows)
    other = f"{url}?county=05"
    assert len(csv_rows(client, other) if extension == "csv" else xlsx_rows(client, other)) == 1


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_reviewer_downloads_no_draft_observations(client, reviewer, data, extension):
    client.force_login(reviewer)
    url = f"/iakttagelser/iakttagelser.{extension}"
    rows = csv_rows(client, url) if extension == "csv" else xlsx_rows(client, url)
    assert len(rows) == 3
    assert "Utkastmärke" not in str(rows)
    assert "utkast" not in str(rows).lower()


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_coordinator_downloads_own_drafts_and_not_another_countys(
    client, coordinator_04, data, extension
):
    client.force_login(coordinator_04)
    url = f"/iakttagelser/iakttagelser.{extension}?round=2002"
    rows = csv_rows(client, url) if extension == "csv" else xlsx_rows(client, url)
    assert [row[-1] for row in rows[1:]] == ["Sörmlands utkast 2002."]
    everything = f"/iakttagelser/iakttagelser.{extension}"
    rows = csv_rows(client, everything) if extension == "csv" else xlsx_rows(client, everything)
    assert "Utkastmärke" not in str(rows)


def test_downloads_refuse_an_account_without_role(client, staff_without_role, data):
    client.force_login(staff_without_role)
    for url in ["/projekt/projekt.csv", "/iakttagelser/iakttagelser.xlsx"]:
        assert client.get(url).status_code == 403


def test_formula_like_text_is_inert_in_csv(client, reviewer, data):
    client.force_login(reviewer)
    rows = csv_rows(client, "/projekt/projekt.csv?q=304-0003")
    assert rows[1][3] == "'" + INJECTED_TITLE
    assert rows[1][4] == "'+46 Privatperson"
    organisations = csv_rows(client, "/organisationer/organisationer.csv?kind=privatperson")
    assert organisations[1][0] == "'+46 Privatperson"


def test_formula_like_text_is_a_quoted_string_in_xlsx(client, reviewer, data):
    client.force_login(reviewer)
    content = download(client, "/projekt/projekt.xlsx?q=304-0003")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    for col, text in [(4, INJECTED_TITLE), (5, "+46 Privatperson")]:
        cell = sheet.cell(2, col)
        assert cell.data_type == "s"
        assert unescape(cell.value) == text
        assert cell.quotePrefix


# --- queries do not grow with rows -------------------------------------------------------------

URLS = [
    "/projekt/",
    "/projekt/?county=04&status=pagaende&year=2001&amount_min=1&q=projekt",
    "/projekt/?ordering=-decided_total",
    "/projekt/projekt.csv",
    "/projekt/projekt.xlsx?source=kommun",
    "/iakttagelser/",
    "/iakttagelser/?round=2001&county=04&theme=1",
    "/iakttagelser/iakttagelser.csv",
    "/iakttagelser/iakttagelser.xlsx",
    "/organisationer/",
    "/organisationer/?q=ab&kind=foretag",
    "/organisationer/organisationer.csv",
    "/organisationer/organisationer.xlsx",
]


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["reviewer", "coordinator_04"])
def test_queries_do_not_grow_with_rows(
    client, data, personas, persona, django_assert_max_num_queries
):
    client.force_login(personas[persona])
    small = {url: _count_queries(client, url) for url in URLS}
    exports_builders.add_projects(agreement=data["agreement_04"], projects=60, offset=100)
    for theme in Theme.objects.all()[2:6]:
        builders.observation(report=data["report"], theme=theme)
    for url in URLS:
        with django_assert_max_num_queries(small[url]):
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
