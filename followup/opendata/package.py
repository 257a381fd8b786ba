"""Writing a year's package: one UTF-8 CSV file per table and a ``datapackage.json``
(Frictionless Data: a Tabular Data Package, each table with its Table Schema — types, primary
and foreign keys, titles and descriptions in Swedish and English — and the CC0 licence).

Values are written as Table Schema reads them back: dates ``YYYY-MM-DD``, times ISO 8601 in UTC
with microseconds, amounts as decimals with a point, booleans ``true``/``false``, nothing as an
empty field. Text is written exactly as stored (no spreadsheet escaping: this is data for
programs; open it in a spreadsheet through its import, not by double-clicking).
"""

import csv
import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from followup.opendata.columns import bilingual
from followup.opendata.tables import TABLES, Scope, Table

LICENCE = {
    "name": "CC0-1.0",
    "title": "Creative Commons Zero v1.0 Universal",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
}
TITLE = _("Regionala tillväxtavtal: register och uppföljning %(year)s")
DESCRIPTION = _(
    "Registret över de regionala tillväxtavtalen (avtal, insatsområden, åtgärder, ramar, "
    "partnerskap, projekt med finansiering, kluster) för de avtal som gäller året, och de "
    "länsrapporter i årets uppföljning som departementet har godkänt: nyckeltal som de låstes "
    "vid inskickandet, iakttagelser per tema och deras underlag. Privatpersoner namnges inte. "
    "Belopp i kronor, som finansiärerna rapporterade dem."
)


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def resource(table: Table) -> dict:
    schema: dict = {
        "fields": [column.descriptor() for column in table.columns],
        "primaryKey": table.primary_key,
        "missingValues": [""],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [key.descriptor() for key in table.foreign_keys]
    return {
        "name": table.name,
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": bilingual(table.title, separator=" / "),
        "description": bilingual(table.description),
        "schema": schema,
    }


def descriptor(*, year: int, created: datetime.datetime) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": f"tillvaxtavtal-uppfoljning-{year}",
        "title": bilingual(TITLE % {"year": year}, separator=" / "),
        "description": bilingual(DESCRIPTION),
        "version": created.strftime("%Y.%m.%d"),
        "created": created.astimezone(datetime.UTC).isoformat(timespec="seconds"),
        "licenses": [LICENCE],
        "keywords": ["tillväxtavtal", "regional growth agreements", "Sverige", "Sweden"],
        "resources": [resource(table) for table in TABLES],
    }


@dataclass
class Written:
    directory: Path
    rows: dict[str, int]


def write_package(directory: Path, *, year: int) -> Written:
    """Write year ``year``'s package into ``directory`` (made if missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    scope = Scope.of_year(year)
    counts = {}
    for table in TABLES:
        with open(directory / f"{table.name}.csv", "w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow([column.name for column in table.columns])
            n = 0
            for row in table.rows(scope):
                writer.writerow([cell(value) for value in row])
                n += 1
            counts[table.name] = n
    package = descriptor(year=year, created=timezone.now())
    with open(directory / "datapackage.json", "w", encoding="utf-8") as file:
        json.dump(package, file, ensure_ascii=False, indent=2)
        file.write("\n")
    return Written(directory=directory, rows=counts)
