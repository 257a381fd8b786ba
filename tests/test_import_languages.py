"""The import template is a Swedish file whatever language the page was read in (as the
workbooks are), and the import reads a file's choices — agreement, status, kind of financing — in
either language: a file filled in by someone who reads the site in English imports for someone
who reads it in Swedish, and the other way round."""

from decimal import Decimal

import pytest
from django.utils import translation

from agreements.imports import columns as cols
from agreements.imports.services import projects_import
from agreements.models import FinancingLine, Project
from tests import builders
from tests import import_builders as ib

pytestmark = pytest.mark.django_db


def test_the_template_is_swedish_when_the_page_is_english():
    ib.county_world("04", projects=1)
    with translation.override("en"):
        book = ib.template()
    values = {
        cell.value for sheet in book for row in sheet.iter_rows() for cell in row if cell.value
    }
    assert "Regionalt tillväxtavtal 2000–2003" in values
    assert "Pågående" in values and "Utfall" in values
    assert not {"Regional growth agreement 2000–2003", "Ongoing", "Outcome"} & values


ENGLISH = {
    "agreement": "Regional growth agreement 2000–2003",
    "status": "Ongoing",
    "kind": "Outcome",
}
SWEDISH = {"agreement": "Regionalt tillväxtavtal 2000–2003", "status": "Pågående", "kind": "Utfall"}


@pytest.mark.parametrize(("written", "read_in"), [(ENGLISH, "sv"), (SWEDISH, "en")])
def test_choices_written_in_either_language_import(coordinator_04, written, read_in):
    ib.county_world("04", projects=2)
    book = ib.template()
    ib.new_project(book, agreement=written["agreement"], status=written["status"])
    ib.new_line(book, amount=75000, kind=written["kind"])
    with translation.override(read_in):
        result = projects_import(
            county=builders.county("04"), user=coordinator_04, file=ib.save(book), dry_run=False
        )
    assert result.ok, result.problems
    assert result.counts[cols.PROJECTS]["create"] == 1
    project = Project.objects.get(reference_number="04-0100")
    assert project.status == Project.Status.ONGOING
    assert list(project.financing_lines.values_list("amount", "kind")) == [
        (Decimal("75000"), FinancingLine.Kind.OUTCOME)
    ]
