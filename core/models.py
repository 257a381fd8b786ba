"""What the project keeps for itself rather than for a feature: leases (``core.leases``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Lease(models.Model):
    """A named right to do one thing at a time, held by one process of any app server until
    it lets go or until ``expires_at`` (a process that died cannot let go)."""

    name = models.CharField(_("namn"), max_length=100, primary_key=True)
    holder = models.CharField(_("innehavare"), max_length=64)
    expires_at = models.DateTimeField(_("gäller till"))

    class Meta:
        verbose_name = _("lås")
        verbose_name_plural = _("lås")

    def __str__(self):
        return self.name
