from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from agreements.models.fields import NameField, TimeStampedModel
from agreements.models.geography import County
from agreements.models.organisations import Organisation
from agreements.models.versioning import VersionedModel
from core.constraints import ConstraintErrorsAtFields


class Cluster(TimeStampedModel, VersionedModel):
    """A group of actors with links between them (see NUTEK's "Starka regioner")."""

    class Delimitation(models.TextChoices):
        TECHNOLOGY = "teknik", _("Teknik")
        GEOGRAPHY = "geografi", _("Geografisk närhet")

    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="clusters",
        verbose_name=_("ansvarigt län"),
    )
    other_counties = models.ManyToManyField(
        County,
        blank=True,
        related_name="shared_clusters",
        verbose_name=_("fler län"),
        help_text=_("Andra län som klustret sträcker sig över."),
    )
    name = NameField(_("namn"), max_length=200)
    delimitation = models.CharField(_("avgränsning"), max_length=20, choices=Delimitation.choices)
    description = models.TextField(_("beskrivning"), blank=True)
    strengths = models.TextField(_("styrkor"), blank=True)
    weaknesses = models.TextField(_("svagheter"), blank=True)
    planned_measures = models.TextField(_("åtgärder"), blank=True)
    lock_in_risk = models.TextField(
        _("risk för geografisk inlåsning"),
        blank=True,
        help_text=_("Bedömning av risken att klustret blir en isolerad ”ö”."),
    )

    history = HistoricalRecords(m2m_fields=["other_counties"])

    class Meta:
        verbose_name = _("kluster")
        verbose_name_plural = pgettext_lazy("plural", "kluster")
        ordering = ["county__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="cluster_name_unique_per_county",
                violation_error_message=_("Länet har redan ett kluster med det namnet."),
            ),
        ]

    def __str__(self):
        return self.name


class ClusterActor(VersionedModel):
    """An organisation taking part in a cluster, and its part in the working group."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="actors", verbose_name=_("kluster")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cluster_actors",
        verbose_name=_("organisation"),
    )
    in_working_group = models.BooleanField(_("med i arbetsgruppen"), default=False)
    part = models.CharField(
        _("roll i arbetet"),
        max_length=250,
        blank=True,
        help_text=_("T.ex. kartlägger företagens behov av arbetskraft och kompetens."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aktör i kluster")
        verbose_name_plural = _("aktörer i kluster")
        ordering = ["cluster", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "organisation"],
                name="cluster_actor_unique_per_cluster",
                violation_error_message=_("Organisationen är redan aktör i klustret."),
            ),
        ]

    def __str__(self):
        return str(self.organisation)


class ClusterLink(ConstraintErrorsAtFields, VersionedModel):
    """A dependency between two actors of a cluster: goods, services and/or knowledge."""

    # A failed check constraint shown at the field the person corrects (core.constraints).
    constraint_fields = {"cluster_link_not_to_itself": "to_actor"}

    class Direction(models.TextChoices):
        VERTICAL = "vertikal", _("Vertikal (i förädlingskedjan)")
        HORIZONTAL = "horisontell", _("Horisontell (relaterade företag, forskning)")

    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="links", verbose_name=_("kluster")
    )
    from_actor = models.ForeignKey(
        ClusterActor,
        on_delete=models.PROTECT,
        related_name="links_out",
        verbose_name=_("från aktör"),
    )
    to_actor = models.ForeignKey(
        ClusterActor,
        on_delete=models.PROTECT,
        related_name="links_in",
        verbose_name=_("till aktör"),
    )
    direction = models.CharField(_("riktning"), max_length=20, choices=Direction.choices)
    goods = models.BooleanField(_("varor"), default=False)
    services = models.BooleanField(_("tjänster"), default=False)
    knowledge = models.BooleanField(_("kunskap"), default=False)
    description = models.CharField(_("beskrivning"), max_length=250, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("länk i kluster")
        verbose_name_plural = _("länkar i kluster")
        ordering = ["cluster", "from_actor__organisation__name", "to_actor__organisation__name"]
        constraints = [
            models.CheckConstraint(
                name="cluster_link_not_to_itself",
                condition=~Q(from_actor=F("to_actor")),
                violation_error_message=_("En länk kan inte gå från en aktör till sig själv."),
            ),
            models.CheckConstraint(
                name="cluster_link_carries_something",
                condition=Q(goods=True) | Q(services=True) | Q(knowledge=True),
                violation_error_message=_(
                    "Ange vad länken för med sig: varor, tjänster och/eller kunskap."
                ),
            ),
            models.UniqueConstraint(
                fields=["from_actor", "to_actor", "direction"],
                name="cluster_link_unique_per_pair_and_direction",
                violation_error_message=_("Den länken finns redan."),
            ),
        ]

    def __str__(self):
        return f"{self.from_actor} → {self.to_actor} ({self.get_direction_display()})"

    @property
    def flows(self) -> list[str]:
        names = [
            (self.goods, _("varor")),
            (self.services, _("tjänster")),
            (self.knowledge, _("kunskap")),
        ]
        return [str(label) for carried, label in names if carried]

    def clean(self):
        super().clean()
        errors = {}
        for field in ("from_actor", "to_actor"):
            actor = getattr(self, field) if getattr(self, f"{field}_id") else None
            if actor and self.cluster_id and actor.cluster_id != self.cluster_id:
                errors[field] = _("Aktören hör till ett annat kluster.")
        if errors:
            raise ValidationError(errors)
