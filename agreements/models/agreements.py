from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from agreements.models.fields import NameField, TimeStampedModel, money_field, year_field
from agreements.models.geography import County
from agreements.models.organisations import Organisation
from agreements.models.versioning import VersionedModel
from core.constraints import ConstraintErrorsAtFields
from core.languages import NamedInTwoLanguages


class Agreement(ConstraintErrorsAtFields, TimeStampedModel, VersionedModel):
    """A county's regional growth agreement (or programme) for a period of years."""

    # A failed check constraint shown at the field the person corrects (core.constraints).
    constraint_fields = {"agreement_end_year_not_before_start_year": "end_year"}

    class Kind(models.TextChoices):
        GROWTH_AGREEMENT = "tillvaxtavtal", _("Regionalt tillväxtavtal")
        GROWTH_PROGRAMME = "tillvaxtprogram", _("Regionalt tillväxtprogram")

    class Status(models.TextChoices):
        NEGOTIATION = "forhandling", _("Under förhandling")
        IN_FORCE = "gallande", _("Gällande")
        ENDED = "avslutat", _("Avslutat")

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("län")
    )
    kind = models.CharField(
        _("typ"), max_length=20, choices=Kind.choices, default=Kind.GROWTH_AGREEMENT
    )
    start_year = year_field(_("första år"))
    end_year = year_field(_("sista år"))
    lead_body = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_agreements",
        verbose_name=_("ansvarig organisation"),
        help_text=_(
            "Länsstyrelsen, självstyrelseorganet eller samverkansorganet som leder arbetet."
        ),
    )
    signed_on = models.DateField(_("undertecknat"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEGOTIATION
    )
    description = models.TextField(_("beskrivning"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avtal")
        verbose_name_plural = pgettext_lazy("plural", "avtal")
        ordering = ["county__code", "start_year", "kind"]
        constraints = [
            models.CheckConstraint(
                name="agreement_end_year_not_before_start_year",
                condition=Q(end_year__gte=F("start_year")),
                violation_error_message=_("Sista året kan inte vara före första året."),
            ),
            models.UniqueConstraint(
                fields=["county", "kind", "start_year", "end_year"],
                name="agreement_one_per_county_kind_period",
                violation_error_message=_(
                    "Länet har redan ett avtal av den typen för samma period."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.county.short_name} {self.period}"

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    def covers_year(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class PriorityArea(VersionedModel):
    """An insatsområde of an agreement."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="priority_areas", verbose_name=_("avtal")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    name = NameField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("insatsområde")
        verbose_name_plural = _("insatsområden")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="priority_area_number_unique_per_agreement",
                violation_error_message=_("Avtalet har redan ett insatsområde med det numret."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class Measure(VersionedModel):
    """An åtgärd within a priority area. Projects are fitted into measures."""

    # Kept equal to priority_area.agreement (set on save) so that measures can be entered
    # on the agreement's page and a project's measure can be checked against its agreement.
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("avtal"),
        editable=False,
    )
    priority_area = models.ForeignKey(
        PriorityArea,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("insatsområde"),
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    name = NameField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["priority_area__number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority_area", "number"],
                name="measure_number_unique_per_priority_area",
                violation_error_message=_("Insatsområdet har redan en åtgärd med det numret."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        if self.priority_area_id:
            self.agreement_id = self.priority_area.agreement_id
        super().save(*args, **kwargs)

    @property
    def code(self) -> str:
        return f"{self.priority_area.number}.{self.number}"

    def clean(self):
        super().clean()
        if (
            self.agreement_id
            and self.priority_area_id
            and self.priority_area.agreement_id != self.agreement_id
        ):
            raise ValidationError({"priority_area": _("Insatsområdet hör till ett annat avtal.")})


class FinancingSource(NamedInTwoLanguages, models.Model):
    """Where money comes from. The category is what figures are rolled up by."""

    class Category(models.TextChoices):
        STATE = "stat", _("Staten")
        COUNTY_COUNCIL = "landsting", _("Landsting/region")
        MUNICIPAL = "kommun", _("Kommuner")
        EU = "eu", _("EU:s strukturfonder")
        PRIVATE = "privat", _("Privat")
        OTHER = "ovrigt", _("Övrigt")

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    name = NameField(_("namn"), max_length=200, unique=True)
    name_en = NameField(
        _("namn på engelska"),
        max_length=200,
        help_text=_("Så heter källan när engelska är valt, t.ex. Private funds."),
    )
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    description = models.TextField(_("beskrivning"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sorteringsordning"), default=0)

    class Meta:
        verbose_name = _("finansieringskälla")
        verbose_name_plural = _("finansieringskällor")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.display_name


class FinancialFrame(VersionedModel):
    """What a financing source commits to a priority area (or one of its measures) in a year."""

    # Kept equal to priority_area.agreement so frames are entered on the agreement's page.
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="frames",
        verbose_name=_("avtal"),
        editable=False,
    )
    priority_area = models.ForeignKey(
        PriorityArea,
        on_delete=models.PROTECT,
        related_name="frames",
        verbose_name=_("insatsområde"),
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="frames",
        verbose_name=_("åtgärd"),
        help_text=_("Tomt: ramen gäller hela insatsområdet."),
    )
    source = models.ForeignKey(
        FinancingSource,
        on_delete=models.PROTECT,
        related_name="frames",
        verbose_name=_("finansieringskälla"),
    )
    year = year_field(_("år"))
    amount = money_field(_("belopp (kr)"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finansiell ram")
        verbose_name_plural = _("finansiella ramar")
        ordering = ["priority_area__number", "measure__number", "year", "source__sort_order"]
        constraints = [
            models.CheckConstraint(
                name="financial_frame_amount_not_negative",
                condition=Q(amount__gte=0),
                violation_error_message=_("Beloppet får inte vara negativt."),
            ),
            models.UniqueConstraint(
                fields=["priority_area", "source", "year"],
                condition=Q(measure__isnull=True),
                name="financial_frame_unique_per_area_source_year",
                violation_error_message=_(
                    "Det finns redan en ram för insatsområdet, källan och året."
                ),
            ),
            models.UniqueConstraint(
                fields=["measure", "source", "year"],
                condition=Q(measure__isnull=False),
                name="financial_frame_unique_per_measure_source_year",
                violation_error_message=_("Det finns redan en ram för åtgärden, källan och året."),
            ),
        ]

    def __str__(self):
        target = self.measure or self.priority_area
        return f"{target} · {self.source} · {self.year}"

    def save(self, *args, **kwargs):
        if self.priority_area_id:
            self.agreement_id = self.priority_area.agreement_id
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.priority_area_id:
            if self.agreement_id and self.priority_area.agreement_id != self.agreement_id:
                errors["priority_area"] = _("Insatsområdet hör till ett annat avtal.")
            if self.measure_id and self.measure.priority_area_id != self.priority_area_id:
                errors["measure"] = _("Åtgärden hör inte till det valda insatsområdet.")
            agreement = self.priority_area.agreement
            if self.year and not agreement.covers_year(self.year):
                errors["year"] = _("Året ligger utanför avtalets period %(period)s.") % {
                    "period": agreement.period
                }
        if errors:
            raise ValidationError(errors)
