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
        # The cache's table (settings.CACHES without REDIS_URL) comes with every migrate too.
        post_migrate.connect(make_cache_table, sender=self, dispatch_uid="core-cache-table")


def make_cache_table(using: str = "default", **kwargs) -> None:
    """post_migrate receiver: the database cache's table, when it is missing."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
