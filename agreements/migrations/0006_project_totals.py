"""Each project's decided and paid-out amounts, kept by triggers (see agreements/models/totals.py).

One row per project (added with the project, removed with it), its sums changed by every insert,
update and delete of a financing line, on SQLite and PostgreSQL alike; an index on the decided
amount lets the project list sort the country by amount without summing any line.
"""

from django.db import migrations, models

TABLE = "agreements_project_total"
DECIDED, OUTCOME = "beslutat", "utfall"


def _change(sign: str, row: str) -> str:
    """The UPDATE that adds (sign '+') or subtracts (sign '-') line ``row`` (NEW or OLD)."""
    return (
        f"UPDATE {TABLE} SET"
        f" decided = ROUND(decided {sign} (CASE WHEN {row}.kind = '{DECIDED}'"
        f" THEN {row}.amount ELSE 0 END), 2),"
        f" outcome = ROUND(outcome {sign} (CASE WHEN {row}.kind = '{OUTCOME}'"
        f" THEN {row}.amount ELSE 0 END), 2)"
        f" WHERE project_id = {row}.project_id;"
    )


# A new project's sums: of the lines that already point at it (a load may insert lines before
# their project; foreign keys are checked at commit), usually none.
NEW_PROJECT = (
    f"INSERT INTO {TABLE} (project_id, decided, outcome) SELECT NEW.id,"
    f" COALESCE(ROUND(SUM(CASE WHEN kind = '{DECIDED}' THEN amount END), 2), 0),"
    f" COALESCE(ROUND(SUM(CASE WHEN kind = '{OUTCOME}' THEN amount END), 2), 0)"
    " FROM agreements_financingline WHERE project_id = NEW.id;"
)

CHANGED = (
    "OLD.project_id <> NEW.project_id OR OLD.kind <> NEW.kind OR OLD.amount <> NEW.amount"
)

SQLITE_FORWARD = [
    f"""CREATE TABLE {TABLE} (
        project_id integer NOT NULL PRIMARY KEY,
        decided decimal NOT NULL,
        outcome decimal NOT NULL
    )""",
    f"CREATE INDEX {TABLE}_decided ON {TABLE} (decided, project_id)",
    f"""CREATE TRIGGER {TABLE}_project_insert AFTER INSERT ON agreements_project
    BEGIN {NEW_PROJECT} END""",
    f"""CREATE TRIGGER {TABLE}_project_delete AFTER DELETE ON agreements_project
    BEGIN DELETE FROM {TABLE} WHERE project_id = OLD.id; END""",
    f"""CREATE TRIGGER {TABLE}_line_insert AFTER INSERT ON agreements_financingline
    BEGIN {_change("+", "NEW")} END""",
    f"""CREATE TRIGGER {TABLE}_line_delete AFTER DELETE ON agreements_financingline
    BEGIN {_change("-", "OLD")} END""",
    f"""CREATE TRIGGER {TABLE}_line_update AFTER UPDATE ON agreements_financingline
    WHEN {CHANGED}
    BEGIN {_change("-", "OLD")} {_change("+", "NEW")} END""",
]

SQLITE_BACKWARD = [
    f"DROP TRIGGER {TABLE}_line_update",
    f"DROP TRIGGER {TABLE}_line_delete",
    f"DROP TRIGGER {TABLE}_line_insert",
    f"DROP TRIGGER {TABLE}_project_delete",
    f"DROP TRIGGER {TABLE}_project_insert",
    f"DROP TABLE {TABLE}",
]

POSTGRES_FORWARD = [
    f"""CREATE TABLE {TABLE} (
        project_id bigint NOT NULL PRIMARY KEY,
        decided numeric(17, 2) NOT NULL DEFAULT 0,
        outcome numeric(17, 2) NOT NULL DEFAULT 0
    )""",
    f"CREATE INDEX {TABLE}_decided ON {TABLE} (decided, project_id)",
    f"""CREATE FUNCTION {TABLE}_project() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {NEW_PROJECT}
        ELSE
            DELETE FROM {TABLE} WHERE project_id = OLD.id;
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {TABLE}_project AFTER INSERT OR DELETE ON agreements_project
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_project()""",
    f"""CREATE FUNCTION {TABLE}_line() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NOT ({CHANGED}) THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            {_change("-", "OLD")}
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            {_change("+", "NEW")}
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {TABLE}_line AFTER INSERT OR UPDATE OR DELETE ON agreements_financingline
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_line()""",
    # A flush truncates: without projects no rows; without lines every sum is 0.
    f"""CREATE FUNCTION {TABLE}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_TABLE_NAME = 'agreements_project' THEN
            TRUNCATE {TABLE};
        ELSE
            UPDATE {TABLE} SET decided = 0, outcome = 0;
        END IF;
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
    f"DROP TRIGGER {TABLE}_line ON agreements_financingline",
    f"DROP FUNCTION {TABLE}_line()",
    f"DROP TRIGGER {TABLE}_project ON agreements_project",
    f"DROP FUNCTION {TABLE}_project()",
    f"DROP TABLE {TABLE}",
]

FILL = (
    f"INSERT INTO {TABLE} (project_id, decided, outcome)"
    " SELECT p.id,"
    f" COALESCE(ROUND(SUM(CASE WHEN l.kind = '{DECIDED}' THEN l.amount END), 2), 0),"
    f" COALESCE(ROUND(SUM(CASE WHEN l.kind = '{OUTCOME}' THEN l.amount END), 2), 0)"
    " FROM agreements_project p LEFT JOIN agreements_financingline l ON l.project_id = p.id"
    " GROUP BY p.id"
)


def statements(vendor: str, forward: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRES_FORWARD if forward else POSTGRES_BACKWARD
    if vendor == "sqlite":
        return SQLITE_FORWARD if forward else SQLITE_BACKWARD
    raise NotImplementedError(f"Project totals have no triggers for {vendor}.")


def create(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, forward=True):
        schema_editor.execute(sql, params=None)
    schema_editor.execute(FILL, params=None)


def drop(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, forward=False):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0005_financing_totals"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProjectTotal",
            fields=[
                (
                    "project",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="totals",
                        serialize=False,
                        to="agreements.project",
                    ),
                ),
                ("decided", models.DecimalField(decimal_places=2, max_digits=17)),
                ("outcome", models.DecimalField(decimal_places=2, max_digits=17)),
            ],
            options={
                "verbose_name": "projektsumma",
                "verbose_name_plural": "projektsummor",
                "db_table": "agreements_project_total",
                "managed": False,
            },
        ),
        migrations.RunPython(create, drop),
    ]
