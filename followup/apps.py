from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Uppföljning")

    def ready(self):
        from followup.reference import load_themes

        post_migrate.connect(load_themes, sender=self, dispatch_uid="followup-themes")
