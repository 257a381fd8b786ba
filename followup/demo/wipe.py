"""What register data a database already holds, and removing it for --replace.

Reference data stays: counties, municipalities, organisation kinds, financing sources, themes and
the 21 lead-body organisations, and so do the users. Everything else of the register and the
follow-up goes, with its audit history, and the id sequences start over, so a rebuilt demo has
the same ids as one built on a fresh database.
"""

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection

from agreements.models import Agreement, Cluster, Organisation, Partnership, Project
from agreements.reference import read_csv
from core import access
from followup.models import CountyReport, FollowUpRound, NationalConclusion


def register_models() -> list:
    """What the demo builds and --replace removes: every model whose rows belong to a county
    (the register and the reports, ``core.access`` scopes), the rounds and the conclusions."""
    scoped = [
        model
        for model in apps.get_models()
        if access.county_path(model) and not hasattr(model, "instance_type")  # not a history
    ]
    return sorted(scoped, key=lambda m: m._meta.label) + [FollowUpRound, NationalConclusion]


def reference_organisation_names() -> list[str]:
    return sorted(row["lead_body_name"] for row in read_csv("lead-bodies.csv"))


def extra_organisations():
    return Organisation.objects.exclude(name__in=reference_organisation_names())


def existing_data() -> list[tuple[str, int]]:
    """Register and follow-up data already in the database, as (Swedish label, count)."""
    counts = [
        ("avtal", Agreement.objects.count()),
        ("projekt", Project.objects.count()),
        ("partnerskap", Partnership.objects.count()),
        ("kluster", Cluster.objects.count()),
        ("uppföljningsomgångar", FollowUpRound.objects.count()),
        ("länsrapporter", CountyReport.objects.count()),
        ("organisationer utöver de ansvariga organisationerna", extra_organisations().count()),
    ]
    return [(label, n) for label, n in counts if n]


def _tables_to_flush() -> list:
    """The register models, their many-to-many tables and their history tables.

    Any other model that points at them would lose its rows without notice, so it stops the
    flush instead (a model added later must be added here deliberately).
    """
    chosen = set(register_models())
    changed = True
    while changed:
        changed = False
        for model in apps.get_models(include_auto_created=True):
            if model in chosen or not model._meta.managed:  # totals: emptied by triggers
                continue
            targets = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
            if not targets & chosen:
                continue
            if model._meta.auto_created or hasattr(model, "instance_type"):
                chosen.add(model)  # a many-to-many table or a history table
                changed = True
            else:
                raise RuntimeError(
                    f"{model._meta.label} pekar på registerdata; seed_demo --replace vet inte "
                    "hur den ska tömmas."
                )
    for model in register_models():  # history tables have no foreign key of their own to it
        history = getattr(model, "history", None)
        if history is not None:
            chosen.add(history.model)
    return sorted(chosen, key=lambda m: m._meta.db_table)


def flush_register() -> None:
    """Delete the register and follow-up data, keeping reference data and users."""
    models = _tables_to_flush()
    tables = [m._meta.db_table for m in models]
    if connection.vendor == "postgresql":
        # TRUNCATE refuses while deferred foreign-key checks of this transaction are pending
        # (rows inserted earlier in it, as in the tests); run those checks now.
        connection.check_constraints()
    with connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), tables, reset_sequences=True):
            cursor.execute(sql)

        # Organisations: only the ones that are not reference data; raw SQL, so no audit row
        # is written per deleted organisation. Then their history and the id sequence.
        keep = reference_organisation_names()
        table = connection.ops.quote_name(Organisation._meta.db_table)
        history = connection.ops.quote_name(Organisation.history.model._meta.db_table)
        placeholders = ", ".join(["%s"] * len(keep))
        cursor.execute(f"DELETE FROM {table} WHERE name NOT IN ({placeholders})", keep)
        cursor.execute(f"DELETE FROM {history} WHERE id NOT IN (SELECT id FROM {table})")
        _reset_sequence(cursor, Organisation)

    types = ContentType.objects.get_for_models(*register_models()).values()
    LogEntry.objects.filter(content_type__in=list(types)).delete()


def _reset_sequence(cursor, model) -> None:
    """Let the next id follow the highest one left (the sequence is not reset by DELETE)."""
    if connection.vendor == "sqlite":
        table = model._meta.db_table
        cursor.execute(
            "UPDATE sqlite_sequence SET seq = "
            f"(SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}) "
            "WHERE name = %s",
            [table],
        )
    else:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)
