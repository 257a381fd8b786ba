"""The financing totals the database keeps stay equal to the sum of the lines, whatever writes
them: a form save, a bulk insert, a queryset update or delete, a project moved to another
measure or agreement, an import, a flush. The review pages read them, so a change shows at once.
"""

from decimal import Decimal

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum

from agreements.imports.services import projects_import
from agreements.models import (
    FinancingLine,
    FinancingSource,
    FinancingTotal,
    Project,
    ProjectTotal,
)
from agreements.models.totals import financing_totals_differences, rebuild_financing_totals
from tests import builders
from tests import import_builders as ib

pytestmark = pytest.mark.django_db


def total(**filters) -> Decimal:
    return FinancingTotal.objects.filter(**filters).aggregate(s=Sum("amount"))["s"] or Decimal(0)


@pytest.fixture
def world():
    agreement = builders.agreement(county_code="04")
    area = builders.priority_area(agreement_obj=agreement)
    first = builders.measure(area=area, number=1)
    second = builders.measure(area=area, number=2, name="Kompetens")
    project = builders.project(measure_obj=first)
    return {"agreement": agreement, "measures": (first, second), "project": project}


def test_saving_and_deleting_lines_keeps_the_sums(world):
    project, (first, _second) = world["project"], world["measures"]
    line = builders.financing_line(project_obj=project, amount="100000.25")
    builders.financing_line(project_obj=project, amount="50000", year=2002)
    assert total(measure=first) == Decimal("150000.25")

    line.amount = Decimal("120000.75")
    line.save()
    assert total(measure=first, year=2001) == Decimal("120000.75")

    line.year, line.kind = 2003, FinancingLine.Kind.OUTCOME
    line.save()
    assert total(year=2001) == 0
    assert not FinancingTotal.objects.filter(year=2001).exists()  # emptied rows go
    assert total(year=2003, kind=FinancingLine.Kind.OUTCOME) == Decimal("120000.75")

    line.delete()
    assert total() == Decimal("50000")
    assert financing_totals_differences() == []


def test_bulk_writes_and_queryset_updates_keep_the_sums(world):
    project = world["project"]
    regional, eu = (
        FinancingSource.objects.get(code=code)
        for code in ("stat-regional-utveckling", "eu-strukturfonder")
    )
    FinancingLine.objects.bulk_create(
        FinancingLine(project=project, source=regional, year=2001, amount=Decimal(amount))
        for amount in ("1000", "2000.50", "3000")
    )
    assert total(source=regional) == Decimal("6000.50")

    FinancingLine.objects.filter(amount=Decimal("1000")).update(source=eu)
    assert (total(source=regional), total(source=eu)) == (Decimal("5000.50"), Decimal("1000"))

    FinancingLine.objects.filter(source=regional).delete()
    assert total() == Decimal("1000")
    assert financing_totals_differences() == []


def test_a_project_moved_to_another_measure_or_agreement_takes_its_money_along(world):
    project, (first, second) = world["project"], world["measures"]
    builders.financing_line(project_obj=project, amount="400")
    builders.financing_line(project_obj=project, amount="600", year=2002)

    project.measure = second
    project.save()
    assert (total(measure=first), total(measure=second)) == (0, Decimal("1000"))

    programme = builders.agreement(county_code="04", start_year=2004, end_year=2006)
    later = builders.measure(area=builders.priority_area(agreement_obj=programme))
    Project.objects.filter(pk=project.pk).update(agreement=programme, measure=later)
    assert total(agreement=world["agreement"]) == 0
    assert total(agreement=programme, measure=later) == Decimal("1000")

    project.financing_lines.all().delete()
    project.delete()
    assert not FinancingTotal.objects.exists()
    assert financing_totals_differences() == []


def test_an_import_keeps_the_sums(coordinator_04):
    ib.county_world("04", projects=2)
    book = ib.template()
    ib.new_project(book)
    ib.new_line(book, amount="1 250 000,50")
    result = projects_import(
        county=builders.county("04"), user=coordinator_04, file=ib.save(book), dry_run=False
    )
    assert result.ok, result.problems
    assert total() == Decimal("250000") * 2 + Decimal("1250000.50")
    assert financing_totals_differences() == []


def test_the_financing_page_shows_a_changed_line_at_once(client, reviewer, world):
    line = builders.financing_line(project_obj=world["project"], amount="100000")
    builders.follow_up_round(year=2001)
    client.force_login(reviewer)

    def shown() -> Decimal:
        response = client.get("/omgang/2001/finansiering/")
        return {row["county"].code: row["total"] for row in response.context["table"]}["04"]

    assert shown() == Decimal("100000")
    line.amount = Decimal("175000")
    line.save()
    assert shown() == Decimal("175000")


def test_rebuild_recomputes_what_was_changed_around_the_triggers(world):
    builders.financing_line(project_obj=world["project"], amount="100")
    FinancingTotal.objects.all().delete()  # as a repair in plain SQL might
    assert financing_totals_differences() != []
    rebuild_financing_totals()
    assert financing_totals_differences() == []
    assert total() == Decimal("100")


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_no_totals_behind(world):
    builders.financing_line(project_obj=world["project"], amount="100")
    assert FinancingTotal.objects.exists()
    # SQLite deletes table by table in any order, PostgreSQL truncates: both empty the totals.
    call_command("flush", interactive=False, verbosity=0)
    assert not FinancingTotal.objects.exists()


def test_totals_in_a_dump_are_left_out_and_never_loaded(world, tmp_path):
    builders.financing_line(project_obj=world["project"], amount="100")
    dump = tmp_path / "dump.json"
    call_command("dumpdata", "agreements", output=str(dump), verbosity=0)
    assert "agreements.financingtotal" not in dump.read_text()

    # A file written by plain Django, totals included (and wrong): loading leaves them out.
    stored = serializers.serialize("json", FinancingTotal.objects.all())
    dump.write_text(stored.replace('"100.00"', '"999.00"').replace('"100"', '"999"'))
    assert "999" in dump.read_text()
    call_command("loaddata", str(dump), verbosity=0)
    assert total() == Decimal("100")


def test_each_project_has_its_decided_and_paid_out_sums(world):
    project, (first, _second) = world["project"], world["measures"]
    empty = builders.project(measure_obj=first)
    assert ProjectTotal.objects.get(project=empty).decided == 0  # a row from the start

    line = builders.financing_line(project_obj=project, amount="1000.50")
    builders.financing_line(project_obj=project, amount="200", kind=FinancingLine.Kind.OUTCOME)
    sums = ProjectTotal.objects.get(project=project)
    assert (sums.decided, sums.outcome) == (Decimal("1000.50"), Decimal("200"))

    line.project = empty
    line.save()
    assert ProjectTotal.objects.get(project=empty).decided == Decimal("1000.50")
    assert ProjectTotal.objects.get(project=project).decided == 0

    line.delete()
    empty.delete()
    assert not ProjectTotal.objects.filter(project_id=empty.pk).exists()
    assert financing_totals_differences() == []


def test_lines_loaded_before_their_project_are_counted(world, tmp_path):
    project = world["project"]
    builders.financing_line(project_obj=project, amount="300")
    builders.financing_line(project_obj=project, amount="40", kind=FinancingLine.Kind.OUTCOME)
    # A fixture with the lines first: foreign keys are only checked at commit.
    fixture = tmp_path / "lines-first.json"
    fixture.write_text(
        serializers.serialize("json", [*project.financing_lines.all(), project]),
        encoding="utf-8",
    )
    project.financing_lines.all().delete()
    Project.objects.filter(pk=project.pk).delete()
    assert total() == 0

    call_command("loaddata", str(fixture), verbosity=0)
    assert total() == Decimal("340")
    sums = ProjectTotal.objects.get(project_id=project.pk)
    assert (sums.decided, sums.outcome) == (Decimal("300"), Decimal("40"))
    assert financing_totals_differences() == []


def test_sums_of_ore_come_back_to_exactly_zero(client, reviewer, world):
    project = world["project"]
    lines = [builders.financing_line(project_obj=project, amount=a) for a in ("0.10", "0.20")]
    builders.financing_line(project_obj=project, amount="0.30")
    client.force_login(reviewer)

    def listed(query):
        page = client.get(f"/projekt/{query}")
        return [row.pk for row in page.context["rows"]]

    assert listed("?amount_min=0.60&amount_max=0.60") == [project.pk]
    for line in [*lines, *project.financing_lines.exclude(pk__in=[x.pk for x in lines])]:
        line.delete()
    assert listed("?amount_max=0") == [project.pk]  # 0, not 1e-16
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT decided FROM agreements_project_total WHERE project_id = %s", [project.pk]
        )
        assert cursor.fetchone()[0] == 0
