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
    # Which e-mail the user wants (followup.services.notices), chosen on the profile page.
    notify_steps = models.BooleanField(
        _("e-post om granskningen"),
        default=True,
        help_text=_("När en rapport skickas in, returneras eller godkänns."),
    )
    notify_reminders = models.BooleanField(
        _("påminnelser"),
        default=True,
        help_text=_("Inför sista dag, när rapporten är försenad och när departementet påminner."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("användare")
        verbose_name_plural = pgettext_lazy("plural", "användare")
