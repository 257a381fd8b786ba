"""The Django admin of the register, split by topic. Importing the package registers everything."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from agreements.admin import (  # noqa: F401  (registers the admins)
    agreements,
    clusters,
    geography,
    organisations,
    partnerships,
    projects,
)
from agreements.admin.base import CountyScopedAdmin

admin.site.site_header = _("Tillväxtavtal – uppföljning")
admin.site.site_title = _("Tillväxtavtal – uppföljning")
admin.site.index_title = _("Register och uppföljning")
# The way back to the site is in the header (templates/admin/base_site.html), named.
admin.site.site_url = None

__all__ = ["CountyScopedAdmin"]
