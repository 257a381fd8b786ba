"""python manage.py seed_demo — deterministic demo data for all 21 counties."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from agreements.models import (
    Agreement,
    Cluster,
    ClusterActor,
    ClusterLink,
    County,
    FinancialFrame,
    FinancingLine,
    FinancingSource,
    Measure,
    Organisation,
    Partnership,
    PartnershipMember,
    PriorityArea,
    Project,
)
from agreements.statistics import refresh_statistics
from core import formats
from followup.demo.build import (
    DEFAULT_PROJECTS,
    DEFAULT_SEED,
    build_demo,
    decided_shares,
    swedish_decimal,
    swedish_number,
)
from followup.demo.users import MIN_PASSWORD_LENGTH, login_lines
from followup.demo.wipe import existing_data
from followup.models import CountyReport, FollowUpRound, NationalConclusion, Observation, Theme

CATEGORY_ORDER = ["stat", "privat", "kommun", "eu", "landsting", "ovrigt"]
STATUS_PLURALS = {
    CountyReport.Status.DRAFT: "utkast",
    CountyReport.Status.SUBMITTED: "inskickade",
    CountyReport.Status.RETURNED: "returnerade",
    CountyReport.Status.APPROVED: "godkända",
}


class Command(BaseCommand):
    help = (
        "Bygger demodata för alla 21 län: tillväxtavtal med insatsområden, åtgärder och "
        "finansiella ramar, partnerskap, projekt med finansiering, kluster, en uppföljning med "
        "länsrapporter i alla lägen samt demoanvändare. Samma val ger alltid samma data. "
        "Vägrar om databasen redan har registerdata, om inte --replace anges."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--projects",
            type=int,
            default=DEFAULT_PROJECTS,
            help=f"Antal projekt totalt, fördelade över länen (standard {DEFAULT_PROJECTS}; "
            "nationell skala: 100000).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Frö för slumpgeneratorn (standard {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Radera befintliga register- och uppföljningsdata (utom referensdata och "
            "användare) och bygg om demodatan.",
        )
        parser.add_argument(
            "--password",
            help=f"Ett lösenord (minst {MIN_PASSWORD_LENGTH} tecken) för alla demoanvändare, "
            "även befintliga.",
        )
        parser.add_argument(
            "--check-empty",
            action="store_true",
            help="Ändra ingenting; avsluta med fel om databasen redan har registerdata.",
        )
        parser.add_argument(
            "--logins",
            action="store_true",
            help="Ändra ingenting; skriv bara ut hur man loggar in.",
        )

    def handle(self, *args, **options):
        if options["logins"]:
            self._print_logins({})
            return
        existing = existing_data()
        if options["check_empty"]:
            if existing:
                raise CommandError(self._existing_message(existing, hint=False))
            self.stdout.write("Databasen har inga registerdata.")
            return
        if County.objects.count() != 21 or not Theme.objects.exists():
            raise CommandError("Referensdata saknas. Kör först: python manage.py migrate")
        if existing and not options["replace"]:
            raise CommandError(self._existing_message(existing, hint=True))
        projects = options["projects"]
        if projects < 0:
            raise CommandError("--projects kan inte vara negativt.")
        password = options["password"]
        if password is not None and len(password) < MIN_PASSWORD_LENGTH:
            raise CommandError(f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")

        verbose = options["verbosity"] >= 1
        if verbose:
            self.stdout.write(
                f"Bygger demodata: {swedish_number(projects)} projekt i 21 län "
                f"(frö {options['seed']}) …"
            )
        result = build_demo(
            projects=projects,
            seed=options["seed"],
            replace=options["replace"],
            password=password,
            progress=self._progress if verbose else (lambda message: None),
        )
        refresh_statistics()
        if verbose:
            self._print_counts()
            self.stdout.write(f"Klart på {swedish_decimal(result.seconds)} s.")
            self.stdout.write("")
            self._print_logins(result.passwords)

    def _progress(self, message: str) -> None:
        self.stderr.write(message, style_func=lambda text: text)

    def _existing_message(self, existing, *, hint: bool) -> str:
        listed = ", ".join(f"{swedish_number(n)} {label}" for label, n in existing)
        message = f"Databasen har redan registerdata ({listed}). Inget har ändrats."
        if hint:
            message += (
                " Kör med --replace för att radera register- och uppföljningsdata och bygga "
                "om demodatan (referensdata och användare behålls)."
            )
        return message

    def _print_counts(self) -> None:
        n = swedish_number
        reports = dict(
            CountyReport.objects.order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        states = ", ".join(
            f"{n(reports.get(status, 0))} {label}" for status, label in STATUS_PLURALS.items()
        )
        lines = [
            "Skapat:",
            f"  {n(Agreement.objects.count())} avtal med {n(PriorityArea.objects.count())} "
            f"insatsområden, {n(Measure.objects.count())} åtgärder och "
            f"{n(FinancialFrame.objects.count())} finansiella ramar",
            f"  {n(Organisation.objects.count())} organisationer",
            f"  {n(Partnership.objects.count())} partnerskap med "
            f"{n(PartnershipMember.objects.count())} medlemmar",
            f"  {n(Project.objects.count())} projekt med "
            f"{n(FinancingLine.objects.count())} finansieringsrader",
            f"  {n(Cluster.objects.count())} kluster med {n(ClusterActor.objects.count())} "
            f"aktörer och {n(ClusterLink.objects.count())} länkar",
            f"  {n(FollowUpRound.objects.count())} uppföljningsomgång, "
            f"{n(CountyReport.objects.count())} länsrapporter ({states}), "
            f"{n(Observation.objects.count())} iakttagelser, "
            f"{n(NationalConclusion.objects.count())} nationella slutsatser",
        ]
        total, shares = decided_shares()
        labels = dict(FinancingSource.Category.choices)
        share_text = ", ".join(
            f"{str(labels[c]).lower()} {shares[c] * 100:.0f} %" for c in CATEGORY_ORDER
        )
        lines.append(f"  Beslutad finansiering {formats.mnkr(total)}: {share_text}")
        for line in lines:
            self.stdout.write(line)

    def _print_logins(self, passwords) -> None:
        for line in login_lines(passwords):
            self.stdout.write(line)
