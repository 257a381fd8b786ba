"""Financing totals kept by the database itself.

The review pages and key figures sum hundreds of thousands of financing lines by agreement,
source and year. Summing them on every request grows with the register, so the database keeps
the sums: one row per (agreement, measure, source, kind, year) with the amount and the number
of lines, maintained by triggers on ``agreements_financingline`` (insert, update, delete) and on
``agreements_project`` (a project moved to another agreement or measure). Triggers, not Django
signals, because every write path must keep the sums true: the admin, the import, bulk inserts
of the demo data, ``loaddata`` of a backup and plain SQL alike.

The model is unmanaged: its table and triggers are created by migration
``agreements.0005_financing_totals`` (SQLite and PostgreSQL), it is never dumped (a restore
rebuilds it through the triggers) and nothing writes it through the ORM.
``check_financing_totals`` compares it with the lines; ``rebuild_financing_totals`` recomputes it.
"""

from decimal import Decimal

from django.db import connection, models, transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from agreements.models.agreements import Agreement, FinancingSource, Measure

TABLE = "agreements_financing_total"
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


def financing_totals_differences() -> list[tuple]:
    """Keys whose stored total differs from the sum of the lines (empty when all is well)."""
    expected, stored = _from_lines(), _stored()
    return sorted(
        (key, expected.get(key), stored.get(key))
        for key in expected.keys() | stored.keys()
        if expected.get(key) != stored.get(key)
    )


def rebuild_financing_totals() -> None:
    """Recompute every total from the lines (after a repair done around the triggers)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"INSERT INTO {TABLE} (agreement_id, measure_id, source_id, kind, year, amount, lines)"
            " SELECT p.agreement_id, p.measure_id, l.source_id, l.kind, l.year,"
            " SUM(l.amount), COUNT(*)"
            " FROM agreements_financingline l JOIN agreements_project p ON p.id = l.project_id"
            " GROUP BY p.agreement_id, p.measure_id, l.source_id, l.kind, l.year"
        )
