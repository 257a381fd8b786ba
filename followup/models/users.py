from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class User(AbstractUser):
    """A person using the system. Coordinators are assigned the counties they keep."""

    counties = models.ManyToManyField(
        "agreements.County",
        blank=True,
        related_name="coordinators",
        verbose_name=_("län"),
        help_text=_("De län som användaren är regional samordnare för."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("användare")
        verbose_name_plural = pgettext_lazy("plural", "användare")
