"""python manage.py export_report --year 2001 -o uppfoljning-2001.docx [--county 04]"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.models import County
from followup.models import FollowUpRound
from followup.report.write import write_report


class Command(BaseCommand):
    help = (
        "Skriver uppföljningsrapporten för en omgång som Word-dokument, ett första utkast ur "
        "data: titelsida och innehållsförteckning, ett kapitel per län (avtal, nyckeltal, "
        "finansiering med tabeller och diagram, partnerskap, kluster, iakttagelser och länets "
        "sammanfattning), ett kapitel om hela landet, kapitlet med slutsatser (departementets "
        "och meningar genererade ur länens bedömningar, som i den nationella sammanställningen) "
        "och en bilaga med tabeller per län. Ett län vars rapport är ett utkast, eller som "
        "saknar rapport, får en rad som säger det; ett utkasts innehåll visas aldrig. Med "
        "--county skrivs bara det länets presentation. Förlopp skrivs till stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, type=int, help="Omgångens år, t.ex. 2001.")
        parser.add_argument("-o", "--output", required=True, help="Filen som ska skrivas (.docx).")
        parser.add_argument(
            "--county", help="Länskod (t.ex. 04): bara det länets presentation.", default=None
        )

    def handle(self, *args, **options):
        year = options["year"]
        round_obj = FollowUpRound.objects.filter(year=year).first() if 0 < year < 10_000 else None
        if round_obj is None:
            raise CommandError(f"Det finns ingen uppföljningsomgång för {year}.")
        county = None
        if options["county"]:
            code = options["county"].strip().zfill(2)  # "4" is Södermanland's "04"
            county = County.objects.filter(code=code).first()
            if county is None:
                raise CommandError(f"Det finns inget län med koden {options['county']}.")
        folder = Path(options["output"]).resolve().parent
        if not folder.is_dir():  # said before the document is written, not after
            raise CommandError(f"Mappen {folder} finns inte.")
        started = time.monotonic()
        verbose = options["verbosity"] >= 1

        def progress(message: str) -> None:
            if verbose:
                self.stderr.write(f"  {message} ({time.monotonic() - started:.1f} s)")

        result = write_report(
            options["output"], round_obj=round_obj, county=county, progress=progress
        )
        if verbose:
            self.stdout.write(
                f"Skrev {options['output']}: uppföljning {round_obj.year}, "
                f"{len(result.counties)} län, {result.charts} diagram "
                f"({time.monotonic() - started:.1f} s)."
            )
