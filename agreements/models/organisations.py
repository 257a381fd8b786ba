from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models.fields import NameField, OrgNumberField, TimeStampedModel
from agreements.models.geography import County, Municipality
from agreements.models.versioning import VersionedModel
from core.languages import NamedInTwoLanguages


class OrganisationKind(NamedInTwoLanguages, models.Model):
    """A kind of actor (kommun, länsstyrelse, företag …). Reference data; admins may add kinds."""

    # Codes the application itself refers to; the rows are loaded from fixtures/reference.
    MUNICIPALITY = "kommun"
    COUNTY_COUNCIL = "landsting"
    COUNTY_ADMINISTRATIVE_BOARD = "lansstyrelse"
    SELF_GOVERNING_BODY = "sjalvstyrelseorgan"
    COOPERATION_BODY = "samverkansorgan"
    STATE_AGENCY = "statlig-myndighet"
    STATE_OWNED_COMPANY = "statligt-bolag"
    COMPANY = "foretag"
    UNIVERSITY = "hogskola"
    BUSINESS_ORGANISATION = "naringslivsorganisation"
    ASSOCIATION = "forening"
    PRIVATE_PERSON = "privatperson"
    OTHER = "ovrig"

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    name = NameField(_("namn"), max_length=100, unique=True)
    name_en = NameField(
        _("namn på engelska"),
        max_length=100,
        help_text=_("Så heter typen när engelska är valt, t.ex. Company."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sorteringsordning"), default=0)

    class Meta:
        verbose_name = _("organisationstyp")
        verbose_name_plural = _("organisationstyper")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.display_name


class Organisation(TimeStampedModel, VersionedModel):
    """An actor: a municipality, a company, a university, a state agency, a person …"""

    name = NameField(_("namn"), max_length=200, db_index=True)
    kind = models.ForeignKey(
        OrganisationKind,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("typ av aktör"),
    )
    org_number = OrgNumberField(
        _("organisationsnummer"),
        blank=True,
        help_text=_("Tio siffror, t.ex. 556012-5790. Frivilligt, men unikt när det anges."),
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("hemlän"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("hemkommun"),
    )

    # Who registered it: an organisation of no home county is kept by them (and administrators)
    # until it gets one (agreements/scopes.py).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("registrerad av"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_number"],
                condition=~Q(org_number=""),
                name="organisation_org_number_unique_when_given",
                violation_error_message=_(
                    "Det finns redan en organisation med det organisationsnumret."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if (
            self.municipality_id
            and self.county_id
            and self.municipality.county_id != self.county_id
        ):
            raise ValidationError(
                {"municipality": _("Hemkommunen ligger inte i det valda hemlänet.")}
            )
        if self.municipality_id and not self.county_id:
            self.county_id = self.municipality.county_id
