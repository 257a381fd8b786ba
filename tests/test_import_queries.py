"""The number of queries of an import does not grow with the number of rows."""

import pytest

from agreements.imports import columns as cols
from agreements.imports.services import projects_import
from agreements.models import Project
from tests import builders
from tests import import_builders as ib

pytestmark = pytest.mark.django_db

# Validation: the lookups, fetched once (16 queries). Writing adds per model one insert and one
# update with their audit records, in batches: 500 rows, or fewer where SQLite's limit of 999
# parameters per statement splits the wide audit inserts (about 49 rows each). 5 rows: 20
# queries, 60 rows: 22. Both take and give back two leases in the database, the user's turn and
# a parse slot (core/leases.py: update, savepoint, insert, release, delete): 10 more.
LEASES = 10
MAX_QUERIES = 24 + LEASES
MAX_VALIDATION_QUERIES = 16 + LEASES


def edited_file(size: int):
    """Every existing project renamed, ``size`` new projects each with a financing line."""
    book = ib.template()
    sheet = book[cols.PROJECTS]
    for row in range(2, 2 + size):
        ib.set_cell(book, cols.PROJECTS, row, "title", f"Omdöpt {row}")
    for n in range(size):
        ib.new_project(book, reference_number=f"04-1{n:03d}")
        ib.new_line(book, reference_number=f"04-1{n:03d}", amount=f"{n} 000,50")
    assert sheet.max_row == 1 + 2 * size
    return ib.save(book)


@pytest.mark.parametrize("size", [5, 60])
def test_queries_do_not_grow_with_rows(size, coordinator_04, django_assert_max_num_queries):
    ib.county_world("04", projects=size)
    file = edited_file(size)
    county = builders.county("04")

    with django_assert_max_num_queries(MAX_QUERIES):
        result = projects_import(county=county, user=coordinator_04, file=file, dry_run=False)

    assert result.written, result.problems
    assert result.counts[cols.PROJECTS] == {"create": size, "update": size, "unchanged": 0}
    assert Project.objects.filter(county=county).count() == 2 * size


@pytest.mark.parametrize("size", [5, 60])
def test_validation_queries_do_not_grow_with_rows(
    size, coordinator_04, django_assert_max_num_queries
):
    ib.county_world("04", projects=size)
    file = edited_file(size)

    with django_assert_max_num_queries(MAX_VALIDATION_QUERIES):
        result = projects_import(
            county=builders.county("04"), user=coordinator_04, file=file, dry_run=True
        )

    assert result.ok, result.problems
