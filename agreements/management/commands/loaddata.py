"""Django's loaddata, writing the file exactly as it is (a restore, not an edit)."""

from django.core.management.commands.loaddata import Command as LoadDataCommand

from agreements.raw_load import raw_load


class Command(LoadDataCommand):
    help = (
        LoadDataCommand.help
        + " Rows are written exactly as the file holds them: no new audit rows, no version "
        "bumps, and locked reports are restored as they were."
    )

    def handle(self, *fixture_labels, **options):
        with raw_load():
            return super().handle(*fixture_labels, **options)
