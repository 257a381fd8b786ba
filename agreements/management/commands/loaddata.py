"""Django's loaddata, writing the file exactly as it is (a restore, not an edit)."""

from django.core.management.commands.loaddata import Command as LoadDataCommand

from agreements.statistics import refresh_statistics
from core.raw_load import raw_load

KEPT_BY_THE_DATABASE = ["agreements.FinancingTotal", "agreements.ProjectTotal"]


class Command(LoadDataCommand):
    help = (
        LoadDataCommand.help
        + " Rows are written exactly as the file holds them: no new audit rows, no version "
        "bumps, and locked reports are restored as they were. Financing totals in the file are "
        "skipped: the database rebuilds them from the financing lines."
    )

    def handle(self, *fixture_labels, **options):
        # Loading stored totals on top of the ones the triggers build would count twice.
        options["exclude"] = [*(options.get("exclude") or []), *KEPT_BY_THE_DATABASE]
        with raw_load():
            super().handle(*fixture_labels, **options)
        refresh_statistics(options["database"])
