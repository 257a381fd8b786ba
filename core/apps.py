from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Gemensamt")

    def ready(self):
        from core import security  # noqa: F401  (connects the security log's receivers)
