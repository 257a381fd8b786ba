"""The import template is a download like any other: text that a spreadsheet could take for a
formula comes out inert (quote prefix) on every sheet, and the template still imports back
exactly, the text unchanged."""

import io

import openpyxl
import pytest

from agreements.imports import columns as cols
from agreements.imports.services import projects_import
from agreements.models import FinancingLine, Organisation, Partnership, Project
from core.formats import FORMULA_PREFIXES
from tests import builders
from tests import import_builders as ib

pytestmark = pytest.mark.django_db

OWNER = '=HYPERLINK("http://example.invalid/","Klicka")'
TITLE = "-1+1 Projektet"
PARTNERSHIP = "+46 Nätverket"
NOTE = "@SUM(A1:A2)"


@pytest.fixture
def world():
    made = ib.county_world("04", projects=2)
    owner = builders.organisation(name=OWNER, county=builders.county("04"))
    partnership = builders.partnership(county_code="04", name=PARTNERSHIP)
    project = made["projects"][0]
    Project.objects.filter(pk=project.pk).update(title=TITLE, owner=owner, partnership=partnership)
    FinancingLine.objects.filter(project=project).update(note=NOTE)
    return made


def download(client, user, url) -> bytes:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def formula_like_cells(data: bytes) -> list[tuple[str, str, bool]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [
        (sheet.title, cell.value, bool(cell.quotePrefix))
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES)
    ]


@pytest.mark.parametrize(
    "url", ["/lan/04/importmall.xlsx", "/admin/agreements/project/import/mall/?lan=04"]
)
def test_formula_like_text_in_the_template_is_quoted_on_every_sheet(
    client, coordinator_04, world, url
):
    cells = formula_like_cells(download(client, coordinator_04, url))

    assert {sheet for sheet, _text, _quoted in cells} >= {
        cols.PROJECTS,
        cols.FINANCING,
        cols.ORGANISATIONS,
        cols.LISTS,
    }
    assert {text for _sheet, text, _quoted in cells} >= {OWNER, TITLE, PARTNERSHIP, NOTE}
    assert [(sheet, text) for sheet, text, quoted in cells if not quoted] == []


def test_the_quoted_template_imports_back_unchanged(client, coordinator_04, world):
    data = download(client, coordinator_04, "/lan/04/importmall.xlsx")
    before = ib.register_state()

    result = projects_import(
        county=builders.county("04"), user=coordinator_04, file=io.BytesIO(data), dry_run=False
    )

    assert result.ok, result.problems
    assert not result.has_changes
    assert ib.register_state() == before
    assert Organisation.objects.filter(name=OWNER).count() == 1
    assert Project.objects.filter(title=TITLE).count() == 1
    assert Partnership.objects.filter(name=PARTNERSHIP).count() == 1
    assert FinancingLine.objects.filter(note=NOTE).exists()
