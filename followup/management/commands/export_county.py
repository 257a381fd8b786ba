"""python manage.py export_county --county 04 --year 2001 -o county.xlsx"""

import time

from django.core.management.base import BaseCommand, CommandError

from agreements.models import County
from followup.exports.county import report_for, write_county_workbook
from followup.models import FollowUpRound, ReportStatus


def progress_printer(stderr):
    def progress(sheet: str, rows: int) -> None:
        stderr.write(f"  {sheet}: {rows:,} rader".replace(",", " "), style_func=lambda t: t)

    return progress


class Command(BaseCommand):
    help = (
        "Skriver länets sammanställning för en uppföljningsomgång som Excel-arbetsbok: avtal, "
        "nyckeltal, partnerskap, kluster, iakttagelser och länets sammanfattning, följt av "
        "dataflikar. En inskickad eller godkänd rapport visas med de nyckeltal som låstes när den "
        "skickades in, och de nyckeltal registret nu anger annorlunda listas. "
        "Rapportens iakttagelser och sammanfattning tas med om rapporten inte är ett utkast; "
        "ett utkast bara med --med-utkast. Förlopp skrivs till stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="Länskod, t.ex. 04.")
        parser.add_argument("--year", required=True, type=int, help="Omgångens år, t.ex. 2001.")
        parser.add_argument("-o", "--output", required=True, help="Filen som ska skrivas (.xlsx).")
        parser.add_argument(
            "--med-utkast",
            dest="include_draft",
            action="store_true",
            help="Ta med rapportens innehåll även om den är ett utkast (för länets eget bruk).",
        )

    def handle(self, *args, **options):
        county = County.objects.filter(code=options["county"]).first()
        if county is None:
            raise CommandError(f"Det finns inget län med koden {options['county']}.")
        round_obj = FollowUpRound.objects.filter(year=options["year"]).first()
        if round_obj is None:
            raise CommandError(f"Det finns ingen uppföljningsomgång för {options['year']}.")
        report = report_for(county=county, round_obj=round_obj)
        show = report is not None and (
            report.status != ReportStatus.DRAFT or options["include_draft"]
        )
        started = time.monotonic()
        verbose = options["verbosity"] >= 1
        result = write_county_workbook(
            options["output"],
            county=county,
            round_obj=round_obj,
            show_report=show,
            progress=progress_printer(self.stderr) if verbose else None,
        )
        if verbose:
            counts = ", ".join(f"{sheet} {n}" for sheet, n in result.rows.items())
            figures = "som inskickade" if result.frozen else "aktuella"
            self.stdout.write(
                f"Skrev {options['output']}: {county.name} {round_obj.year}, nyckeltal "
                f"{figures}; rader: {counts} ({time.monotonic() - started:.1f} s)."
            )
