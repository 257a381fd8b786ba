"""E-mail the system sends: one row per message and recipient, written before it is sent.

A row is the promise and the record at once: the workflow step writes it in its own
transaction (so a step that fails sends nothing), it is sent after the commit, and a message
that could not be sent stays unsent for ``send_reminders`` to try again. Reminders are keyed by
the moment of the schedule they belong to (``key``), so the named constraint makes a second run
on the same day send nothing new.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "inskickad", _("Rapport inskickad")
        RETURNED = "returnerad", _("Rapport returnerad")
        APPROVED = "godkand", _("Rapport godkänd")
        BEFORE_DEADLINE = "fore-sista-dag", _("Påminnelse före sista dag")
        OVERDUE = "forsenad", _("Påminnelse: rapporten är försenad")
        COMPLETION_OVERDUE = "komplettering-forsenad", _("Påminnelse: kompletteringen är försenad")
        REMINDED = "paminnelse", _("Påminnelse från departementet")

    round = models.ForeignKey(
        "followup.FollowUpRound",
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("omgång"),
    )
    county = models.ForeignKey(
        "agreements.County",
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("län"),
    )
    kind = models.CharField(_("slag"), max_length=30, choices=Kind.choices)
    # Which moment of the schedule or which review step it belongs to: one message per key.
    key = models.CharField(_("nyckel"), max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("mottagare"),
    )
    address = models.EmailField(_("e-postadress"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skickad av"),
        help_text=_("Den handläggare som bad om påminnelsen; tomt när systemet skickade den."),
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    last_error = models.CharField(_("senaste fel"), max_length=300, blank=True)
    # A sender holds the message while it talks to the mail server: no other sends it meanwhile.
    claimed_at = models.DateTimeField(_("skickas sedan"), null=True, blank=True)
    # Not sent, and never will be: its recipient no longer wants it, or it is no longer due.
    dropped_at = models.DateTimeField(_("struken"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-postmeddelande")
        verbose_name_plural = _("e-postmeddelanden")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "county", "kind", "key", "recipient"], name="notice_once"
            ),
        ]
        indexes = [
            models.Index(fields=["sent_at", "attempts"], name="notice_unsent_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.county} · {self.address}"
