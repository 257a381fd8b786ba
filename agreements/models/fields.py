"""Shared field definitions, so money and years mean the same everywhere."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.validators import normalise_org_number

FIRST_YEAR = 1990
LAST_YEAR = 2100


def money_field(verbose_name, **kwargs):
    """An amount in Swedish kronor: Decimal, two decimals, never negative."""
    return models.DecimalField(
        verbose_name,
        max_digits=15,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), message=_("Beloppet får inte vara negativt."))],
        help_text=kwargs.pop("help_text", _("Belopp i kronor (SEK).")),
        **kwargs,
    )


def year_field(verbose_name, **kwargs):
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[
            MinValueValidator(
                FIRST_YEAR, message=_("Året måste vara %(limit_value)s eller senare.")
            ),
            MaxValueValidator(
                LAST_YEAR, message=_("Året måste vara %(limit_value)s eller tidigare.")
            ),
        ],
        **kwargs,
    )


class OrgNumberField(models.CharField):
    """An organisationsnummer, validated with its checksum and stored as NNNNNN-NNNN."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_org_number(value) if value else ""


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True
