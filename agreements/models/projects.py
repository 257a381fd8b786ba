from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from agreements.models.agreements import Agreement, FinancingSource, Measure
from agreements.models.clusters import Cluster
from agreements.models.fields import NameField, TimeStampedModel, money_field, year_field
from agreements.models.geography import County, Municipality
from agreements.models.organisations import Organisation
from agreements.models.partnerships import Partnership
from agreements.models.versioning import VersionedModel
from core.constraints import ConstraintErrorsAtFields


class Project(ConstraintErrorsAtFields, TimeStampedModel, VersionedModel):
    """A project financed inside the agreement's frames."""

    # A failed check constraint shown at the field the person corrects (core.constraints).
    constraint_fields = {"project_end_not_before_start": "end_date"}

    class Status(models.TextChoices):
        APPLIED = "ansokt", _("Ansökt")
        GRANTED = "beviljat", _("Beviljat")
        ONGOING = "pagaende", _("Pågående")
        FINISHED = "avslutat", _("Avslutat")
        REJECTED = "avslag", _("Avslag")
        CANCELLED = "avbrutet", _("Avbrutet")

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="projects", verbose_name=_("län")
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="projects", verbose_name=_("avtal")
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("åtgärd"),
        help_text=_("Åtgärden i avtalet som projektet ryms inom."),
    )
    reference_number = NameField(
        _("diarienummer"),
        max_length=40,
        help_text=_("Unikt inom länet, t.ex. 301-1234-00."),
    )
    title = NameField(_("projektnamn"), max_length=250)
    description = models.TextField(_("beskrivning"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="owned_projects",
        verbose_name=_("projektägare"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("kommun"),
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("partnerskap"),
    )
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("kluster"),
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("projekt")
        verbose_name_plural = pgettext_lazy("plural", "projekt")
        ordering = ["county__code", "reference_number"]
        constraints = [
            models.CheckConstraint(
                name="project_end_not_before_start",
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                violation_error_message=_("Slutdatum kan inte vara före startdatum."),
            ),
            models.UniqueConstraint(
                fields=["county", "reference_number"],
                name="project_reference_number_unique_per_county",
                violation_error_message=_("Länet har redan ett projekt med det diarienumret."),
            ),
        ]
        indexes = [
            # The county's project list filtered by status (admin and review lists).
            models.Index(fields=["county", "status"], name="project_county_status_idx"),
        ]

    def __str__(self):
        return f"{self.reference_number} {self.title}"

    def clean(self):
        super().clean()
        errors = {}
        if self.county_id and self.agreement_id and self.agreement.county_id != self.county_id:
            errors["agreement"] = _("Avtalet hör till ett annat län.")
        if self.agreement_id and self.measure_id and self.measure.agreement_id != self.agreement_id:
            errors["measure"] = _("Åtgärden hör till ett annat avtal än projektets.")
        if (
            self.county_id
            and self.municipality_id
            and self.municipality.county_id != self.county_id
        ):
            errors["municipality"] = _("Kommunen ligger inte i projektets län.")
        if self.county_id and self.partnership_id and self.partnership.county_id != self.county_id:
            errors["partnership"] = _("Partnerskapet hör till ett annat län.")
        if self.county_id and self.cluster_id and self.cluster.county_id != self.county_id:
            errors["cluster"] = _("Klustret hör till ett annat län.")
        if errors:
            raise ValidationError(errors)


class FinancingLine(VersionedModel):
    """Money decided for, or paid out to, a project by one financier in one year.

    Figures are kept as the financier reported them: actors counted co-financing differently.
    """

    class Kind(models.TextChoices):
        DECIDED = "beslutat", _("Beslutat")
        OUTCOME = "utfall", _("Utfall")

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="financing_lines", verbose_name=_("projekt")
    )
    source = models.ForeignKey(
        FinancingSource,
        on_delete=models.PROTECT,
        related_name="financing_lines",
        verbose_name=_("finansieringskälla"),
    )
    financier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="financing_lines",
        verbose_name=_("finansiär"),
    )
    year = year_field(_("år"))
    amount = money_field(_("belopp (kr)"))
    kind = models.CharField(
        _("beslutat/utfall"), max_length=10, choices=Kind.choices, default=Kind.DECIDED
    )
    note = models.CharField(
        _("anmärkning"),
        max_length=250,
        blank=True,
        help_text=_("Hur beloppet rapporterades, t.ex. om medfinansiering räknats in."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finansieringsrad")
        verbose_name_plural = _("finansieringsrader")
        ordering = ["project", "year", "kind", "source__sort_order"]
        constraints = [
            models.CheckConstraint(
                name="financing_line_amount_not_negative",
                condition=Q(amount__gte=0),
                violation_error_message=_("Beloppet får inte vara negativt."),
            ),
        ]
        indexes = [
            # Roll-ups of financing per source and kind (county and national key figures).
            models.Index(fields=["source", "kind"], name="financing_line_source_kind_idx"),
            # A project's decided total, read from the index alone: the review site's project
            # list sorted or filtered by amount (followup/selectors/totals.py).
            models.Index(fields=["project", "kind", "amount"], name="financing_line_total_idx"),
        ]

    def __str__(self):
        kind = self.get_kind_display()
        return f"{self.project.reference_number} · {self.source} · {self.year} · {kind}"
