"""Financing totals kept by triggers (see agreements/models/totals.py).

One table, one row per (agreement, measure, source, kind, year) with the sum and the number of
financing lines, kept true by triggers on the lines and on projects, on SQLite and PostgreSQL
alike; filled from the lines already there.
"""

from django.db import migrations, models

TABLE = "agreements_financing_total"
KEY = "agreement_id, measure_id, source_id, kind, year"

# --- SQLite ------------------------------------------------------------------------------------

SQLITE_UPSERT = (
    f"ON CONFLICT ({KEY}) DO UPDATE SET"
    # Rounded to öre: SQLite adds decimals as floating point, and 0.10 + 0.20 - 0.30 must be 0.
    " amount = ROUND(amount + excluded.amount, 2), lines = lines + excluded.lines"
)


def _sqlite_add(sign: str, row: str) -> str:
    """Add (sign '') or subtract (sign '-') one line ``row`` (NEW or OLD) via its project."""
    return (
        f"INSERT INTO {TABLE} ({KEY}, amount, lines)"
        f" SELECT p.agreement_id, p.measure_id, {row}.source_id, {row}.kind, {row}.year,"
        f" {sign}{row}.amount, {sign}1"
        f" FROM agreements_project p WHERE p.id = {row}.project_id {SQLITE_UPSERT};"
    )


def _sqlite_move(sign: str, row: str) -> str:
    """Add or subtract all lines of project ``row`` (NEW or OLD) under its agreement/measure."""
    return (
        f"INSERT INTO {TABLE} ({KEY}, amount, lines)"
        f" SELECT {row}.agreement_id, {row}.measure_id, l.source_id, l.kind, l.year,"
        f" {sign}ROUND(SUM(l.amount), 2), {sign}COUNT(*)"
        f" FROM agreements_financingline l WHERE l.project_id = {row}.id"
        f" GROUP BY l.source_id, l.kind, l.year {SQLITE_UPSERT};"
    )


SQLITE_EMPTIED = f"DELETE FROM {TABLE} WHERE lines <= 0;"

SQLITE_FORWARD = [
    f"""CREATE TABLE {TABLE} (
        agreement_id integer NOT NULL,
        measure_id integer NOT NULL,
        source_id integer NOT NULL,
        kind varchar(10) NOT NULL,
        year smallint unsigned NOT NULL,
        amount decimal NOT NULL,
        lines integer NOT NULL,
        PRIMARY KEY ({KEY})
    ) WITHOUT ROWID""",
    f"""CREATE TRIGGER {TABLE}_line_insert AFTER INSERT ON agreements_financingline
    BEGIN {_sqlite_add("", "NEW")} END""",
    f"""CREATE TRIGGER {TABLE}_line_delete AFTER DELETE ON agreements_financingline
    BEGIN {_sqlite_add("-", "OLD")} {SQLITE_EMPTIED} END""",
    f"""CREATE TRIGGER {TABLE}_line_update AFTER UPDATE ON agreements_financingline
    WHEN OLD.project_id <> NEW.project_id OR OLD.source_id <> NEW.source_id
      OR OLD.kind <> NEW.kind OR OLD.year <> NEW.year OR OLD.amount <> NEW.amount
    BEGIN {_sqlite_add("-", "OLD")} {_sqlite_add("", "NEW")} {SQLITE_EMPTIED} END""",
    f"""CREATE TRIGGER {TABLE}_project_move
    AFTER UPDATE OF agreement_id, measure_id ON agreements_project
    WHEN OLD.agreement_id <> NEW.agreement_id OR OLD.measure_id <> NEW.measure_id
    BEGIN {_sqlite_move("-", "OLD")} {_sqlite_move("", "NEW")} {SQLITE_EMPTIED} END""",
    # Foreign keys are checked at commit, so a load may insert lines before their project
    # (a fixture in that order): the project brings them in; and a flush deletes whole tables
    # in any order: the project's lines leave with it.
    f"""CREATE TRIGGER {TABLE}_project_insert AFTER INSERT ON agreements_project
    BEGIN {_sqlite_move("", "NEW")} END""",
    f"""CREATE TRIGGER {TABLE}_project_delete AFTER DELETE ON agreements_project
    BEGIN {_sqlite_move("-", "OLD")} {SQLITE_EMPTIED} END""",
]

SQLITE_BACKWARD = [
    f"DROP TRIGGER {TABLE}_project_delete",
    f"DROP TRIGGER {TABLE}_project_insert",
    f"DROP TRIGGER {TABLE}_project_move",
    f"DROP TRIGGER {TABLE}_line_update",
    f"DROP TRIGGER {TABLE}_line_delete",
    f"DROP TRIGGER {TABLE}_line_insert",
    f"DROP TABLE {TABLE}",
]

# --- PostgreSQL --------------------------------------------------------------------------------

POSTGRES_FORWARD = [
    f"""CREATE TABLE {TABLE} (
        agreement_id bigint NOT NULL,
        measure_id bigint NOT NULL,
        source_id bigint NOT NULL,
        kind varchar(10) NOT NULL,
        year smallint NOT NULL,
        amount numeric(17, 2) NOT NULL,
        lines integer NOT NULL,
        PRIMARY KEY ({KEY})
    )""",
    f"""CREATE FUNCTION {TABLE}_add(
        a bigint, m bigint, s bigint, k varchar, y smallint, amt numeric, n bigint
    ) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {TABLE} AS t ({KEY}, amount, lines) VALUES (a, m, s, k, y, amt, n)
        ON CONFLICT ({KEY}) DO UPDATE
            SET amount = t.amount + EXCLUDED.amount, lines = t.lines + EXCLUDED.lines;
        IF n < 0 THEN
            DELETE FROM {TABLE}
            WHERE agreement_id = a AND measure_id = m AND source_id = s AND kind = k
              AND year = y AND lines <= 0;
        END IF;
    END $$""",
    # The project row is read FOR SHARE: a move of the project (which re-files its committed
    # lines) waits for this line's transaction, and this line waits for a move in progress, so
    # a line is never filed under the agreement and measure its project is leaving.
    f"""CREATE FUNCTION {TABLE}_line() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE p record;
    BEGIN
        IF TG_OP = 'UPDATE'
           AND (OLD.project_id, OLD.source_id, OLD.kind, OLD.year, OLD.amount)
               IS NOT DISTINCT FROM (NEW.project_id, NEW.source_id, NEW.kind, NEW.year, NEW.amount)
        THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            SELECT agreement_id, measure_id INTO p
            FROM agreements_project WHERE id = OLD.project_id FOR SHARE;
            IF FOUND THEN
                PERFORM {TABLE}_add(p.agreement_id, p.measure_id, OLD.source_id, OLD.kind,
                                    OLD.year, -OLD.amount, -1);
            END IF;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            SELECT agreement_id, measure_id INTO p
            FROM agreements_project WHERE id = NEW.project_id FOR SHARE;
            IF FOUND THEN
                PERFORM {TABLE}_add(p.agreement_id, p.measure_id, NEW.source_id, NEW.kind,
                                    NEW.year, NEW.amount, 1);
            END IF;
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {TABLE}_line AFTER INSERT OR UPDATE OR DELETE ON agreements_financingline
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_line()""",
    f"""CREATE FUNCTION {TABLE}_project() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE r record;
    BEGIN
        IF TG_OP = 'INSERT' THEN
            FOR r IN
                SELECT source_id, kind, year, SUM(amount) AS amount, COUNT(*) AS n
                FROM agreements_financingline WHERE project_id = NEW.id
                GROUP BY source_id, kind, year
            LOOP
                PERFORM {TABLE}_add(NEW.agreement_id, NEW.measure_id, r.source_id, r.kind,
                                    r.year, r.amount, r.n);
            END LOOP;
            RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.agreement_id = NEW.agreement_id
           AND OLD.measure_id = NEW.measure_id THEN
            RETURN NULL;
        END IF;
        FOR r IN
            SELECT source_id, kind, year, SUM(amount) AS amount, COUNT(*) AS n
            FROM agreements_financingline WHERE project_id = OLD.id
            GROUP BY source_id, kind, year
        LOOP
            IF TG_OP = 'UPDATE' THEN
                PERFORM {TABLE}_add(NEW.agreement_id, NEW.measure_id, r.source_id, r.kind,
                                    r.year, r.amount, r.n);
            END IF;
            PERFORM {TABLE}_add(OLD.agreement_id, OLD.measure_id, r.source_id, r.kind,
                                r.year, -r.amount, -r.n);
        END LOOP;
        RETURN NULL;
    END $$""",
    # Foreign keys are checked at commit, so a load may insert lines before their project: the
    # project brings them in; and a flush deletes whole tables in any order: the project's lines
    # leave with it.
    f"""CREATE TRIGGER {TABLE}_project AFTER INSERT OR UPDATE OR DELETE ON agreements_project
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_project()""",
    f"""CREATE FUNCTION {TABLE}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE {TABLE};
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {TABLE}_line_truncate AFTER TRUNCATE ON agreements_financingline
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_truncate()""",
    f"""CREATE TRIGGER {TABLE}_project_truncate AFTER TRUNCATE ON agreements_project
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_truncate()""",
]

POSTGRES_BACKWARD = [
    f"DROP TRIGGER {TABLE}_project_truncate ON agreements_project",
    f"DROP TRIGGER {TABLE}_line_truncate ON agreements_financingline",
    f"DROP FUNCTION {TABLE}_truncate()",
    f"DROP TRIGGER {TABLE}_project ON agreements_project",
    f"DROP FUNCTION {TABLE}_project()",
    f"DROP TRIGGER {TABLE}_line ON agreements_financingline",
    f"DROP FUNCTION {TABLE}_line()",
    f"DROP FUNCTION {TABLE}_add(bigint, bigint, bigint, varchar, smallint, numeric, bigint)",
    f"DROP TABLE {TABLE}",
]

FILL = (
    f"INSERT INTO {TABLE} ({KEY}, amount, lines)"
    " SELECT p.agreement_id, p.measure_id, l.source_id, l.kind, l.year, ROUND(SUM(l.amount), 2), COUNT(*)"
    " FROM agreements_financingline l JOIN agreements_project p ON p.id = l.project_id"
    " GROUP BY p.agreement_id, p.measure_id, l.source_id, l.kind, l.year"
)


def statements(vendor: str, forward: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRES_FORWARD if forward else POSTGRES_BACKWARD
    if vendor == "sqlite":
        return SQLITE_FORWARD if forward else SQLITE_BACKWARD
    raise NotImplementedError(f"Financing totals have no triggers for {vendor}.")


def create(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, forward=True):
        schema_editor.execute(sql, params=None)
    schema_editor.execute(FILL, params=None)


def drop(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, forward=False):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0004_financing_line_total_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="FinancingTotal",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "agreement",
                        "measure",
                        "source",
                        "kind",
                        "year",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("kind", models.CharField(max_length=10)),
                ("year", models.PositiveSmallIntegerField()),
                ("amount", models.DecimalField(decimal_places=2, max_digits=17)),
                ("lines", models.IntegerField()),
                (
                    "agreement",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="agreements.agreement",
                    ),
                ),
                (
                    "measure",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="agreements.measure",
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="agreements.financingsource",
                    ),
                ),
            ],
            options={
                "verbose_name": "finansieringssumma",
                "verbose_name_plural": "finansieringssummor",
                "db_table": "agreements_financing_total",
                "managed": False,
            },
        ),
        migrations.RunPython(create, drop),
    ]
