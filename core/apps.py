from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Gemensamt")

    def ready(self):
        from django.contrib import admin

        from core import security  # noqa: F401  (connects the security log's receivers)
        from core.parameters import guard_every_list

        # Every admin is registered by now (the admin app, listed first, discovered them all):
        # each list answers a filter value the database cannot take as a wrong filter.
        guard_every_list(admin.site)
