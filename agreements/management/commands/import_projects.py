"""python manage.py import_projects mall.xlsx --county 04 --user samordnare04 [--dry-run]"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from agreements.imports.services import ImportRefused, PlanChanged, projects_import
from agreements.models import County


class Command(BaseCommand):
    help = (
        "Importerar en ifylld importmall till ett län. Varje rad kontrolleras först; finns "
        "ett enda fel sparas ingenting, och alla fel skrivs ut med blad, rad och kolumn. "
        "Rader med ID uppdaterar den posten, rader utan ID läggs till; ingenting tas bort. "
        "Importen görs som --user, med den användarens behörighet (en samordnare bara till "
        "sitt eget län), och varje ändring hamnar i historiken. Med --dry-run visas bara vad "
        "som skulle hända. Avslutas med felkod 1 om filen inte kunde importeras."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Den ifyllda mallen (.xlsx).")
        parser.add_argument("--county", required=True, help="Länskod, t.ex. 04.")
        parser.add_argument(
            "--user", required=True, help="Användarnamnet som importen görs som (historiken)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Kontrollera och visa, men spara ingenting."
        )

    def handle(self, *args, **options):
        county = County.objects.filter(code=options["county"]).first()
        if county is None:
            raise CommandError(f"Det finns inget län med koden {options['county']}.")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Det finns ingen användare {options['user']}.")
        try:
            result = projects_import(
                county=county, user=user, file=options["file"], dry_run=options["dry_run"]
            )
        except ImportRefused as refused:
            raise CommandError(refused.message) from None
        except PlanChanged:
            raise CommandError(
                "Registret ändrades medan filen lästes. Ingenting har sparats; kör kommandot igen."
            ) from None
        except OSError as error:
            raise CommandError(f"Filen kunde inte öppnas: {error}") from None
        for warning in result.warnings:
            self.stderr.write(f"Varning: {warning}")
        for sheet, counts in result.counts.items():
            self.stdout.write(
                f"{sheet}: {counts['create']} nya, {counts['update']} ändrade, "
                f"{counts['unchanged']} oförändrade"
            )
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(result.problems)} fel i filen. Ingenting har sparats.", returncode=1
            )
        if result.written:
            self.stdout.write(self.style.SUCCESS(f"Importen är sparad i {county.name}."))
        elif options["dry_run"]:
            self.stdout.write("Provkörning: ingenting har sparats.")
        else:
            self.stdout.write("Inga ändringar att spara.")
