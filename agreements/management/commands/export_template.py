"""python manage.py export_template --county 04 -o mall.xlsx"""

from django.core.management.base import BaseCommand, CommandError

from agreements.imports.template import write_template
from agreements.models import County, FinancingLine, Organisation, Project


class Command(BaseCommand):
    help = (
        "Skriver länets importmall (Excel): bladen Projekt, Finansiering och Organisationer "
        "med länets befintliga rader ifyllda (med ID, så att en ny import uppdaterar dem), "
        "rullistor ur länets egna data och hjälptext för varje kolumn. Länskoden står på "
        "bladet Instruktioner; filen kan bara importeras till det länet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="Länskod, t.ex. 04.")
        parser.add_argument("-o", "--output", required=True, help="Filen som ska skrivas (.xlsx).")

    def handle(self, *args, **options):
        county = County.objects.filter(code=options["county"]).first()
        if county is None:
            raise CommandError(f"Det finns inget län med koden {options['county']}.")
        write_template(options["output"], county=county)
        if options["verbosity"] >= 1:
            projects = Project.objects.filter(county=county).count()
            lines = FinancingLine.objects.filter(project__county=county).count()
            orgs = Organisation.objects.filter(county=county).count()
            self.stdout.write(
                f"Skrev {options['output']}: {county.name}, {projects} projekt, "
                f"{lines} finansieringsrader, {orgs} organisationer."
            )
