"""python manage.py export_national --year 2001 -o national.xlsx"""

import time

from django.core.management.base import BaseCommand, CommandError

from followup.exports.national import write_national_workbook
from followup.management.commands.export_county import progress_printer
from followup.models import FollowUpRound


class Command(BaseCommand):
    help = (
        "Skriver den nationella sammanställningen för en uppföljningsomgång som Excel-arbetsbok: "
        "departementets slutsatser med meningar genererade ur länens bedömningar, nyckeltal per "
        "län, teman och län, finansiering per län med diagram samt alla projekt och "
        "iakttagelser. Ett län vars rapport är ett utkast visas bara med sin status, aldrig med "
        "innehåll. Inskickade och godkända rapporter bidrar med sina låsta nyckeltal, en "
        "returnerad rapport med sitt innehåll som inskickat. Förlopp skrivs till stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, type=int, help="Omgångens år, t.ex. 2001.")
        parser.add_argument("-o", "--output", required=True, help="Filen som ska skrivas (.xlsx).")

    def handle(self, *args, **options):
        round_obj = FollowUpRound.objects.filter(year=options["year"]).first()
        if round_obj is None:
            raise CommandError(f"Det finns ingen uppföljningsomgång för {options['year']}.")
        started = time.monotonic()
        verbose = options["verbosity"] >= 1
        result = write_national_workbook(
            options["output"],
            round_obj=round_obj,
            progress=progress_printer(self.stderr) if verbose else None,
        )
        if verbose:
            counts = ", ".join(f"{sheet} {n}" for sheet, n in result.rows.items())
            self.stdout.write(
                f"Skrev {options['output']}: uppföljning {round_obj.year}; rader: {counts} "
                f"({time.monotonic() - started:.1f} s)."
            )
            self.stdout.write(result.submission)
