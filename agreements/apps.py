from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Register över tillväxtavtal")

    def ready(self):
        from agreements.reference import load_reference_data

        # Reference data is loaded after every migrate (and after a test flush), so every
        # database, the test database included, holds exactly what fixtures/reference says.
        post_migrate.connect(load_reference_data, sender=self, dispatch_uid="agreements-reference")
