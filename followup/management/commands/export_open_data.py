"""Open data: a follow-up year as a Frictionless Data package (CSV files and datapackage.json)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from followup.models import FollowUpRound
from followup.opendata.package import write_package


class Command(BaseCommand):
    help = (
        "Skriver årets öppna data i katalogen -o: en CSV-fil (UTF-8) per tabell och "
        "datapackage.json (Frictionless Data, CC0). Registrets offentliga delar för avtalen som "
        "gäller året och omgångens godkända länsrapporter; inga privatpersoners namn, inga "
        "utkast. Skriver antalet rader per tabell."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Uppföljningsomgångens år.")
        parser.add_argument("-o", "--output", required=True, help="Katalog att skriva i.")

    def handle(self, *args, year, output, **options):
        if not FollowUpRound.objects.filter(year=year).exists():
            raise CommandError(f"Det finns ingen uppföljningsomgång för {year}.")
        written = write_package(Path(output), year=year)
        for name, n in written.rows.items():
            self.stdout.write(f"{name}.csv: {n} rader")
        self.stdout.write(f"datapackage.json och {len(written.rows)} tabeller i {output}")
