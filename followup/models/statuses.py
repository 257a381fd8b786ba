"""The statuses of a follow-up round and of a county report (their own module, so that the
report lock and the models can both use them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    PLANNED = "planerad", _("Planerad")
    OPEN = "oppen", _("Öppen för rapportering")
    CLOSED = "avslutad", _("Avslutad")


class ReportStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    SUBMITTED = "inskickad", _("Inskickad")
    RETURNED = "returnerad", _("Returnerad")
    APPROVED = "godkand", _("Godkänd")


# A report is with its county (may be written) in these statuses, while its round is open.
WRITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# From submission on the report is with the ministry: what it reads is what it approves.
WITH_THE_MINISTRY = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
