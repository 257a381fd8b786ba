from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Gemensamt")

    def ready(self):
        from django.contrib import admin

        from core import security  # noqa: F401  (connects the security log's receivers)
        from core.parameters import guard_every_list
        from core.roles import sync_role_groups

        # Every admin is registered by now (the admin app, listed first, discovered them all):
        # each list answers a filter value the database cannot take as a wrong filter.
        guard_every_list(admin.site)
        # The role groups follow every migrate, as the reference data does.
        post_migrate.connect(sync_role_groups, dispatch_uid="core-role-groups")
