import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agreements.models.fields import NameField
from core.languages import NamedInTwoLanguages


class County(NamedInTwoLanguages, models.Model):
    """One of Sweden's 21 counties (län). Reference data, loaded from fixtures/reference."""

    code = models.CharField(
        _("länskod"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^\d{2}$", _("Länskoden består av två siffror, t.ex. 04."))],
        help_text=_("SCB:s tvåsiffriga länskod, t.ex. 04 för Södermanland."),
    )
    iso_letter = models.CharField(
        _("länsbokstav"),
        max_length=2,
        unique=True,
        help_text=_("Bokstavskod enligt ISO 3166-2:SE, t.ex. D."),
    )
    name = NameField(_("namn"), max_length=100, unique=True)
    name_en = NameField(
        _("namn på engelska"),
        max_length=100,
        help_text=_("Så heter länet när engelska är valt, t.ex. Södermanland County."),
    )
    short_name = NameField(_("kortnamn"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("län")
        verbose_name_plural = pgettext_lazy("plural", "län")
        ordering = ["code"]

    def __str__(self):
        return self.display_name


class MunicipalityQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Municipalities that existed on the given day."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def valid_today(self):
        return self.valid_on(datetime.date.today())


class Municipality(models.Model):
    """A municipality (kommun) with the period it existed under this code.

    Codes change when municipalities split or move county: Heby was 1917 in Västmanland until
    2006 and is 0331 in Uppsala from 2007, so it appears twice.
    """

    code = models.CharField(
        _("kommunkod"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("Kommunkoden består av fyra siffror."))],
    )
    name = NameField(_("namn"), max_length=100, help_text=_("T.ex. Eskilstuna."))
    official_name = NameField(
        _("officiellt namn"), max_length=120, help_text=_("T.ex. Eskilstuna kommun.")
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("län")
    )
    valid_from = models.DateField(
        _("giltig från"), null=True, blank=True, help_text=_("Tomt: fanns före 1998.")
    )
    valid_to = models.DateField(
        _("giltig till och med"), null=True, blank=True, help_text=_("Tomt: finns fortfarande.")
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="municipality_valid_to_after_valid_from",
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                violation_error_message=_("”Giltig till” kan inte vara före ”giltig från”."),
            ),
        ]

    def __str__(self):
        if self.valid_to:
            return _("%(name)s (%(code)s, t.o.m. %(year)s)") % {
                "name": self.name,
                "code": self.code,
                "year": self.valid_to.year,
            }
        return f"{self.name} ({self.code})"

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )
