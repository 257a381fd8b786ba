"""Financing totals kept by the database itself.

The review pages and key figures sum hundreds of thousands of financing lines by agreement,
source and year, and the project list sorts and filters the country's projects by their decided
amount. Summing lines on every request grows with the register, so the database keeps the sums:

- ``FinancingTotal``: one row per (agreement, measure, source, kind, year) with the amount and
  the number of lines;
- ``ProjectTotal``: one row per project with its decided and paid-out (outcome) amounts.

Triggers on ``agreements_financingline`` (insert, update, delete) and ``agreements_project``
(insert, delete, a move to another agreement or measure) maintain them. Triggers, not Django
signals, because every write path must keep the sums true: the admin, the import, bulk inserts
of the demo data, ``loaddata`` of a backup and plain SQL alike.

The models are unmanaged: their tables and triggers are created by migrations
``agreements.0005_financing_totals`` and ``0006_project_totals`` (SQLite and PostgreSQL), they
are never dumped (a restore rebuilds them through the triggers) and nothing writes them through
the ORM. ``financing_totals_differences`` compares them with the lines;
``rebuild_financing_totals`` recomputes them.

A later migration that changes a field of ``Project`` or ``FinancingLine`` makes SQLite rebuild
that table, which the triggers on the other table refuse ("error in trigger …: no such table").
Such a migration must drop the totals triggers first (``statements("sqlite", forward=False)`` of
0005 and 0006, without their DROP TABLE) and create them again after, then call
``rebuild_financing_totals``. PostgreSQL alters tables in place and is not affected.
"""

from decimal import Decimal

from django.db import connection, models, transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from agreements.models.agreements import Agreement, FinancingSource, Measure

TABLE = "agreements_financing_total"
PROJECT_TABLE = "agreements_project_total"
CENT = Decimal("0.01")


class FinancingTotal(models.Model):
    """The sum of the financing lines of one agreement, measure, source, kind and year."""

    pk = models.CompositePrimaryKey("agreement", "measure", "source", "kind", "year")
    agreement = models.ForeignKey(
        Agreement, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    source = models.ForeignKey(
        FinancingSource, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    kind = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=17, decimal_places=2)
    lines = models.IntegerField()

    class Meta:
        managed = False
        db_table = TABLE
        verbose_name = _("finansieringssumma")
        verbose_name_plural = _("finansieringssummor")

    def __str__(self):
        return f"{self.agreement_id}/{self.measure_id}/{self.source_id} {self.kind} {self.year}"


class ProjectTotal(models.Model):
    """A project's decided and paid-out amounts, the sums of its financing lines.

    Every project has its row (a trigger adds it with the project), so a join to it loses none.
    """

    project = models.OneToOneField(
        "agreements.Project",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="totals",
    )
    decided = models.DecimalField(max_digits=17, decimal_places=2)
    outcome = models.DecimalField(max_digits=17, decimal_places=2)

    class Meta:
        managed = False
        db_table = PROJECT_TABLE
        verbose_name = _("projektsumma")
        verbose_name_plural = _("projektsummor")

    def __str__(self):
        return f"{self.project_id}: {self.decided} / {self.outcome}"


def rounded(amount) -> Decimal:
    """A sum as exact kronor and öre (SQLite sums decimals as floating point)."""
    if amount is None:
        return Decimal(0).quantize(CENT)
    return Decimal(str(amount)).quantize(CENT)


def _from_lines() -> dict[tuple, tuple[Decimal, int]]:
    from agreements.models.projects import FinancingLine

    return {
        (agreement, measure, source, kind, year): (rounded(amount), n)
        for agreement, measure, source, kind, year, amount, n in FinancingLine.objects.order_by()
        .values_list("project__agreement_id", "project__measure_id", "source_id", "kind", "year")
        .annotate(total=Sum("amount"), n=Count("pk"))
    }


def _stored() -> dict[tuple, tuple[Decimal, int]]:
    return {
        (agreement, measure, source, kind, year): (rounded(amount), n)
        for agreement, measure, source, kind, year, amount, n in FinancingTotal.objects.values_list(
            "agreement_id", "measure_id", "source_id", "kind", "year", "amount", "lines"
        )
    }


def _projects_from_lines() -> dict[tuple, tuple[Decimal, int]]:
    from agreements.models.projects import FinancingLine, Project

    sums = {
        ("project", pk): [rounded(0), rounded(0)]
        for pk in Project.objects.values_list("pk", flat=True)
    }
    for pk, kind, amount in (
        FinancingLine.objects.order_by()
        .values_list("project_id", "kind")
        .annotate(total=Sum("amount"))
    ):
        sums[("project", pk)][0 if kind == FinancingLine.Kind.DECIDED else 1] = rounded(amount)
    return {key: tuple(value) for key, value in sums.items()}


def _projects_stored() -> dict[tuple, tuple[Decimal, int]]:
    return {
        ("project", pk): (rounded(decided), rounded(outcome))
        for pk, decided, outcome in ProjectTotal.objects.values_list(
            "project_id", "decided", "outcome"
        )
    }


def financing_totals_differences() -> list[tuple]:
    """Keys whose stored total differs from the sum of the lines (empty when all is well)."""
    expected = _from_lines() | _projects_from_lines()
    stored = _stored() | _projects_stored()
    return sorted(
        (
            (key, expected.get(key), stored.get(key))
            for key in expected.keys() | stored.keys()
            if expected.get(key) != stored.get(key)
        ),
        key=repr,
    )


PROJECT_FILL = (
    f"INSERT INTO {PROJECT_TABLE} (project_id, decided, outcome)"
    " SELECT p.id,"
    " COALESCE(ROUND(SUM(CASE WHEN l.kind = 'beslutat' THEN l.amount END), 2), 0),"
    " COALESCE(ROUND(SUM(CASE WHEN l.kind = 'utfall' THEN l.amount END), 2), 0)"
    " FROM agreements_project p LEFT JOIN agreements_financingline l ON l.project_id = p.id"
    " GROUP BY p.id"
)


def rebuild_financing_totals() -> None:
    """Recompute every total from the lines (after a repair done around the triggers)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"INSERT INTO {TABLE} (agreement_id, measure_id, source_id, kind, year, amount, lines)"
            " SELECT p.agreement_id, p.measure_id, l.source_id, l.kind, l.year,"
            " ROUND(SUM(l.amount), 2), COUNT(*)"
            " FROM agreements_financingline l JOIN agreements_project p ON p.id = l.project_id"
            " GROUP BY p.agreement_id, p.measure_id, l.source_id, l.kind, l.year"
        )
        cursor.execute(f"DELETE FROM {PROJECT_TABLE}")
        cursor.execute(PROJECT_FILL)
