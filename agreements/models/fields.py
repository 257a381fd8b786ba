"""Shared field definitions, so money and years mean the same everywhere."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agreements.validators import normalise_name, normalise_org_number, validate_name
from core.refusals import WriteRefused

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


class NameRefused(WriteRefused):
    """A save of a name or title with a character no name may hold (past full_clean)."""


class NameField(models.CharField):
    """A name or title people type: one line of visible text, stored NFC with single spaces.

    full_clean (the admin's forms and inlines) normalises it and refuses control, bidi,
    zero-width and other invisible characters with a Swedish message on the field
    (agreements.validators.validate_name). Every save (bulk_create too) stores it normalised,
    and one that skipped full_clean is refused (NameRefused) — except a raw save (loaddata,
    a restored backup), which writes what the file holds. The Excel import checks its cells
    with the same functions (agreements/imports/validate.py).

    To migrations it is a plain CharField: the database column is the same.
    """

    default_validators = [validate_name]

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_name(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if not isinstance(value, str):
            return value
        try:
            validate_name(value)
        except ValidationError as error:
            raise NameRefused(
                f"{capfirst(self.verbose_name)}: {' '.join(error.messages)}"
            ) from None
        normalised = normalise_name(value)
        if normalised != value:
            setattr(model_instance, self.attname, normalised)
        return normalised

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True
