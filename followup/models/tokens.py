"""Personal API tokens, and the API's request counts per token (its throttle).

A token is shown once, when it is made; only its SHA-256 digest is kept, so a copy of the
database gives no one a working token. A fast hash is enough here (unlike a password): a token
is 256 random bits, nothing a dictionary or a GPU can guess, and every API request checks one.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.models.fields import NameField

# What every token begins with: a leaked one is recognised as ours (by secret scanners too).
PREFIX = "tva_"


def token_digest(raw: str) -> str:
    """What is stored of a token: its SHA-256, in hex."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A user's named key for the API (``Authorization: Bearer …``), until revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("användare"),
    )
    name = NameField(
        _("namn"),
        max_length=100,
        help_text=_("Vad nyckeln används till, t.ex. ”Ärendesystemet” eller ”Analys i R”."),
    )
    # The token's first characters, shown on the profile page so its owner can tell which is
    # which; far too few to guess the rest from.
    prefix = models.CharField(_("början"), max_length=16, editable=False)
    digest = models.CharField(_("kontrollsumma"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    # Recorded to the minute (followup.api.authentication), not rewritten on every request.
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["user", "-created_at", "-pk"]
        indexes = [
            # The profile page's list and the cap on active tokens per user.
            models.Index(fields=["user", "revoked_at"], name="api_token_user_active_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


def active_tokens_q() -> Q:
    return Q(revoked_at__isnull=True)


class ApiThrottleWindow(models.Model):
    """How many API requests one caller (a token, or a user through the session) made in one
    window of the throttle's period: counted in the database, so every worker process and
    every app server that shares the database counts the same requests."""

    key = models.CharField(_("anropare"), max_length=40)  # "token:12", "user:5"
    window_start = models.DateTimeField(_("fönstrets början"))
    requests = models.PositiveIntegerField(_("anrop"), default=0)

    class Meta:
        verbose_name = _("API-anrop per tidsfönster")
        verbose_name_plural = _("API-anrop per tidsfönster")
        constraints = [
            # One counter per caller and window; also the index of every request's increment.
            models.UniqueConstraint(
                fields=["key", "window_start"], name="api_throttle_one_window_per_key"
            ),
        ]

    def __str__(self):
        return f"{self.key} {self.window_start:%Y-%m-%d %H:%M}: {self.requests}"
