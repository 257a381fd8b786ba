"""python manage.py send_reminders [--dry-run] [--today YYYY-MM-DD]

Run once a day (cron or a systemd timer, see the README). Sends the reminders the schedule asks
for today (``followup.services.notices.due_reminders``) and every message not sent before (a
mail server that was down). Idempotent: what was sent is recorded, so a second run on the same
day sends nothing new. Prints how many were sent to whom.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from followup.services import notices


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today: ”{value}” är inte ett datum som 2001-03-15.") from None


class Command(BaseCommand):
    help = (
        "Skickar dagens påminnelser om länsrapporterna (före sista dag, försenade rapporter, "
        "försenade kompletteringar) och de e-postmeddelanden som inte kunde skickas tidigare."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa vad som skulle skickas, utan att skicka."
        )
        parser.add_argument("--today", help="Räkna som om det vore detta datum (ÅÅÅÅ-MM-DD).")

    def handle(self, *args, **options):
        today = _day(options["today"]) if options["today"] else timezone.localdate()
        if options["dry_run"]:
            pending = notices.pending_reminders(today)
            retry = notices.unsent().count()
            for due, user in pending:
                self.stdout.write(f"  {user.email}: {due.county.name} – {due.kind.label}")
            self.stdout.write(
                f"{today}: {len(pending)} påminnelser skulle skickas, och {retry} tidigare "
                "meddelanden försökas igen (inget skickat)."
            )
            return
        sent, failed = notices.send_reminders(today=today)
        for notice in sent:
            self.stdout.write(
                f"  {notice.address}: {notice.county.name} – {notice.get_kind_display()}"
            )
        self.stdout.write(f"{today}: {len(sent)} meddelanden skickade, {failed} misslyckades.")
        if failed:
            self.stderr.write(
                "Misslyckade meddelanden försöks igen vid nästa körning; felen står i loggen "
                "och i administrationen under E-postmeddelanden."
            )
