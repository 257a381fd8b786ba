"""Reference data every database holds: counties, municipalities, kinds, sources, lead bodies.

Loaded after every ``migrate`` from the CSV files in ``settings.REFERENCE_DATA_DIR`` (copied from
shared/data, with the corrections its README asks for in files beside them). Counties and
municipalities are facts and are kept equal to the files; lookups that administrators may edit
(organisation kinds, financing sources, themes, lead bodies) are only created when missing, and
given the file's English name where they have none (so a database made before the English names
gets them on its next ``migrate``; one an administrator has written is kept).
"""

import csv
import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction

logger = logging.getLogger(__name__)


def read_csv(name: str) -> list[dict[str, str]]:
    path = Path(settings.REFERENCE_DATA_DIR) / name
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def municipality_rows() -> list[dict]:
    """Today's municipalities plus the historical codes, with corrected official names."""
    corrections = {
        row["municipality_code"]: row["official_name"]
        for row in read_csv("municipality-name-corrections.csv")
    }
    history = {row["municipality_code"]: row for row in read_csv("municipality-history.csv")}
    rows = []
    seen = set()
    for row in read_csv("municipalities.csv") + list(history.values()):
        code = row["municipality_code"]
        if code in seen:
            continue
        seen.add(code)
        period = history.get(code, {})
        rows.append(
            {
                "code": code,
                # The register displays the short name ("Kalmar"); the file's long names have
                # known flaws, corrected from municipality-name-corrections.csv.
                "name": row["municipality_name_short"],
                "official_name": corrections.get(code, row["municipality_name"]),
                "county_code": row["county_code"],
                "valid_from": _date(period.get("valid_from", "")),
                "valid_to": _date(period.get("valid_to", "")),
            }
        )
    return rows


def sync_rows(
    model,
    key: str,
    rows: list[dict],
    fields: list[str],
    using: str,
    update: bool,
    fill: tuple[str, ...] = (),
) -> None:
    """Create the rows that are missing; with ``update``, make the others equal to ``rows`` too.
    ``fill``: fields of ``fields`` written into an existing row where it has none (empty)."""
    existing = {getattr(obj, key): obj for obj in model.objects.using(using).all()}
    to_create, to_update, changed = [], [], set()
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            to_create.append(model(**{key: row[key], **{f: row[f] for f in fields}}))
            continue
        writes = [f for f in fields if getattr(obj, f) != row[f]] if update else []
        writes += [f for f in fill if not getattr(obj, f) and row[f] and f not in writes]
        if writes:
            for f in writes:
                setattr(obj, f, row[f])
            changed.update(writes)
            to_update.append(obj)
    model.objects.using(using).bulk_create(to_create)
    if to_update:
        model.objects.using(using).bulk_update(to_update, sorted(changed))


def load_reference_data(sender=None, using=DEFAULT_DB_ALIAS, apps=None, verbosity=1, **kwargs):
    """post_migrate receiver (also callable directly): make the reference data match the files."""
    if apps is None:
        from django.apps import apps
    try:
        County = apps.get_model("agreements", "County")
        Municipality = apps.get_model("agreements", "Municipality")
        OrganisationKind = apps.get_model("agreements", "OrganisationKind")
        Organisation = apps.get_model("agreements", "Organisation")
        FinancingSource = apps.get_model("agreements", "FinancingSource")
    except LookupError:  # migrated backwards past the register's first migration
        return

    with transaction.atomic(using=using):
        counties = [
            {
                "code": r["county_code"],
                "name": r["county_name"],
                "name_en": r["county_name_en"],
                "short_name": r["county_name_short"],
            }
            for r in read_csv("counties.csv")
        ]
        letters = {r["county_code"]: r["iso_letter"] for r in read_csv("lead-bodies.csv")}
        for county in counties:
            county["iso_letter"] = letters[county["code"]]
        sync_rows(
            County,
            "code",
            counties,
            ["name", "name_en", "short_name", "iso_letter"],
            using,
            update=True,
        )

        county_ids = dict(County.objects.using(using).values_list("code", "id"))
        municipalities = municipality_rows()
        for row in municipalities:
            row["county_id"] = county_ids[row.pop("county_code")]
        sync_rows(
            Municipality,
            "code",
            municipalities,
            ["name", "official_name", "county_id", "valid_from", "valid_to"],
            using,
            update=True,
        )

        kinds = [
            {
                "code": r["code"],
                "name": r["name"],
                "name_en": r["name_en"],
                "sort_order": int(r["sort_order"]),
            }
            for r in read_csv("organisation-kinds.csv")
        ]
        sync_rows(
            OrganisationKind,
            "code",
            kinds,
            ["name", "name_en", "sort_order"],
            using,
            update=False,
            fill=("name_en",),
        )

        sources = [
            {
                "code": r["code"],
                "name": r["name"],
                "name_en": r["name_en"],
                "category": r["category"],
                "sort_order": int(r["sort_order"]),
                "description": r["description"],
            }
            for r in read_csv("financing-sources.csv")
        ]
        sync_rows(
            FinancingSource,
            "code",
            sources,
            ["name", "name_en", "category", "sort_order", "description"],
            using,
            update=False,
            fill=("name_en",),
        )

        kind_ids = dict(OrganisationKind.objects.using(using).values_list("code", "id"))
        lead_bodies = [
            {
                "name": r["lead_body_name"],
                "kind_id": kind_ids[r["lead_body_kind"]],
                "county_id": county_ids[r["county_code"]],
            }
            for r in read_csv("lead-bodies.csv")
        ]
        sync_rows(Organisation, "name", lead_bodies, ["kind_id", "county_id"], using, update=False)

    if verbosity >= 2:
        logger.info("Reference data loaded into %s", using)
