"""Django's dumpdata, leaving out what the database keeps by itself."""

from django.core.management.commands.dumpdata import Command as DumpDataCommand

from agreements.management.commands.loaddata import KEPT_BY_THE_DATABASE


class Command(DumpDataCommand):
    help = (
        DumpDataCommand.help
        + " Financing totals are left out: triggers rebuild them from the lines on loading."
    )

    def handle(self, *app_labels, **options):
        options["exclude"] = [*(options.get("exclude") or []), *KEPT_BY_THE_DATABASE]
        return super().handle(*app_labels, **options)
