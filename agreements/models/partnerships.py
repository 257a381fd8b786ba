from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from agreements.models.agreements import Agreement
from agreements.models.fields import NameField, TimeStampedModel
from agreements.models.geography import County, Municipality
from agreements.models.organisations import Organisation
from agreements.models.versioning import VersionedModel
from core.constraints import ConstraintErrorsAtFields


class PartnershipLevel(models.TextChoices):
    REGIONAL = "regional", _("Regionalt")
    LOCAL = "lokal", _("Lokalt")
    SECTORAL = "sektoriellt", _("Sektoriellt")


class Partnership(ConstraintErrorsAtFields, TimeStampedModel, VersionedModel):
    """A partnership that shapes (representing) or carries out (acting) the agreement."""

    # A failed check constraint shown at the field the person corrects (core.constraints).
    constraint_fields = {"partnership_local_has_municipality": "municipality"}

    Level = PartnershipLevel

    class Kind(models.TextChoices):
        REPRESENTING = "representerande", _("Representerande (formellt, beslutar)")
        ACTING = "agerande", _("Agerande (genomför arbetet)")

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("län")
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("avtal"),
    )
    name = NameField(_("namn"), max_length=200)
    level = models.CharField(_("nivå"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("kommun"),
        help_text=_("Anges för lokala partnerskap."),
    )
    description = models.TextField(_("beskrivning"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partnerskap")
        verbose_name_plural = pgettext_lazy("plural", "partnerskap")
        ordering = ["county__code", "name"]
        constraints = [
            models.CheckConstraint(
                name="partnership_local_has_municipality",
                condition=~Q(level=PartnershipLevel.LOCAL) | Q(municipality__isnull=False),
                violation_error_message=_("Ett lokalt partnerskap måste ha en kommun."),
            ),
            models.UniqueConstraint(
                fields=["county", "name"],
                name="partnership_name_unique_per_county",
                violation_error_message=_("Länet har redan ett partnerskap med det namnet."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.county_id:
            if self.agreement_id and self.agreement.county_id != self.county_id:
                errors["agreement"] = _("Avtalet hör till ett annat län.")
            if self.municipality_id and self.municipality.county_id != self.county_id:
                errors["municipality"] = _("Kommunen ligger inte i partnerskapets län.")
        if errors:
            raise ValidationError(errors)


class MemberRole(models.TextChoices):
    """A member's role, in the order a partnership lists its members: the chair first."""

    CHAIR = "ordforande", _("Ordförande")
    VICE_CHAIR = "vice-ordforande", _("Vice ordförande")
    MEMBER = "ledamot", _("Ledamot")
    DEPUTY = "ersattare", _("Ersättare")
    CO_OPTED = "adjungerad", _("Adjungerad")
    SECRETARIAT = "sekretariat", _("Sekretariat")


# Orders members by role as ``MemberRole`` lists them (the codes sort chairs after members).
MEMBER_ROLE_ORDER = Case(
    *(When(role=value, then=Value(rank)) for rank, value in enumerate(MemberRole.values)),
    default=Value(len(MemberRole.values)),
)


class PartnershipMember(ConstraintErrorsAtFields, VersionedModel):
    """An organisation's membership of a partnership, with its role and period."""

    # A failed check constraint shown at the field the person corrects (core.constraints).
    constraint_fields = {"partnership_member_end_not_before_start": "end_date"}

    Role = MemberRole

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="members", verbose_name=_("partnerskap")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("från"), null=True, blank=True)
    end_date = models.DateField(_("till"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medlem i partnerskap")
        verbose_name_plural = _("medlemmar i partnerskap")
        ordering = ["partnership", MEMBER_ROLE_ORDER.asc(), "organisation__name"]
        constraints = [
            models.CheckConstraint(
                name="partnership_member_end_not_before_start",
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                violation_error_message=_("Slutdatum kan inte vara före startdatum."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.get_role_display()} ({self.partnership})"
