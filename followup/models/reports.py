from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Cluster, County, Partnership, Project
from agreements.models.fields import TimeStampedModel, year_field
from agreements.models.versioning import VersionedModel
from agreements.raw_load import loading_raw


class Theme(models.Model):
    """A theme the follow-up asks about (a lookup, loaded from fixtures/reference)."""

    code = models.SlugField(_("kod"), max_length=60, unique=True)
    name = models.CharField(_("namn"), max_length=200, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sorteringsordning"), default=0)
    is_active = models.BooleanField(_("aktivt"), default=True)

    class Meta:
        verbose_name = _("tema")
        verbose_name_plural = _("teman")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class FollowUpRound(TimeStampedModel, VersionedModel):
    """The follow-up of one year: its deadline and the themes asked about."""

    class Status(models.TextChoices):
        PLANNED = "planerad", _("Planerad")
        OPEN = "oppen", _("Öppen för rapportering")
        CLOSED = "avslutad", _("Avslutad")

    year = year_field(_("år"), unique=True)
    title = models.CharField(_("rubrik"), max_length=200)
    deadline = models.DateField(_("sista dag för rapportering"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    themes = models.ManyToManyField(
        Theme, related_name="rounds", verbose_name=_("teman"), blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uppföljningsomgång")
        verbose_name_plural = _("uppföljningsomgångar")
        ordering = ["-year"]

    def __str__(self):
        return self.title or str(self.year)


class ReportStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    SUBMITTED = "inskickad", _("Inskickad")
    RETURNED = "returnerad", _("Returnerad")
    APPROVED = "godkand", _("Godkänd")


class ReportLockedError(Exception):
    """An approved report, or one of its observations, was about to be changed."""

    def __init__(self, report_label):
        super().__init__(
            _(
                "Rapporten %(report)s är godkänd och därmed låst. En administratör kan öppna "
                "den igen om något måste ändras."
            )
            % {"report": report_label}
        )


def _approved(report_id) -> bool:
    return CountyReport.objects.filter(pk=report_id, status=ReportStatus.APPROVED).exists()


class CountyReport(TimeStampedModel, VersionedModel):
    """A county's report in a round: observations per theme and a summary."""

    Status = ReportStatus

    round = models.ForeignKey(
        FollowUpRound,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("uppföljningsomgång"),
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="reports", verbose_name=_("län")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    summary = models.TextField(_("sammanfattning"), blank=True)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("inskickad av"),
    )
    reviewed_at = models.DateTimeField(_("granskad"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("granskad av"),
    )
    # The key figures as they stood when the report was submitted, so that what is approved
    # does not shift when the register changes later. Written only by county_report_submit.
    frozen_figures = models.JSONField(_("låsta nyckeltal"), null=True, blank=True, editable=False)
    frozen_at = models.DateTimeField(_("nyckeltal låsta"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("länsrapport")
        verbose_name_plural = _("länsrapporter")
        ordering = ["-round__year", "county__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "county"],
                name="county_report_one_per_round_and_county",
                violation_error_message=_("Länet har redan en rapport i den omgången."),
            ),
            models.CheckConstraint(
                name="county_report_status_valid",
                condition=Q(status__in=ReportStatus.values),
                violation_error_message=_("Okänd status."),
            ),
        ]

    def __str__(self):
        return _("%(county)s %(year)s") % {
            "county": self.county.short_name,
            "year": self.round.year,
        }

    def save(self, *args, **kwargs):
        # The workflow changes status with a conditional UPDATE, never through save().
        if self.pk and _approved(self.pk):
            raise ReportLockedError(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and _approved(self.pk):
            raise ReportLockedError(self)
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.APPROVED


class Assessment(models.IntegerChoices):
    """An ordinal scale, so counties and years can be compared side by side."""

    NONE = 1, _("1 – Inget arbete")
    BEGINNING = 2, _("2 – Begynnande")
    ESTABLISHED = 3, _("3 – Etablerat")
    STRONG = 4, _("4 – Framträdande")


class Observation(TimeStampedModel, VersionedModel):
    """What a county reports on one theme, with a coded assessment and its evidence."""

    class Kind(models.TextChoices):
        OBSERVATION = "iakttagelse", _("Iakttagelse")
        TREND = "trend", _("Trend")
        CONCLUSION = "slutsats", _("Slutsats")
        RECOMMENDATION = "rekommendation", _("Rekommendation")

    report = models.ForeignKey(
        CountyReport,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("länsrapport"),
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="observations", verbose_name=_("tema")
    )
    assessment = models.PositiveSmallIntegerField(
        _("bedömning"),
        choices=Assessment.choices,
        null=True,
        blank=True,
        help_text=_("Hur långt länet har kommit i temat, på en skala 1–4."),
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.OBSERVATION)
    text = models.TextField(_("text"))
    projects = models.ManyToManyField(
        Project, blank=True, related_name="observations", verbose_name=_("projekt")
    )
    partnerships = models.ManyToManyField(
        Partnership, blank=True, related_name="observations", verbose_name=_("partnerskap")
    )
    clusters = models.ManyToManyField(
        Cluster, blank=True, related_name="observations", verbose_name=_("kluster")
    )

    history = HistoricalRecords(m2m_fields=["projects", "partnerships", "clusters"])

    class Meta:
        verbose_name = _("iakttagelse")
        verbose_name_plural = _("iakttagelser")
        ordering = ["report", "theme__sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="observation_assessment_on_scale",
                condition=Q(assessment__isnull=True) | Q(assessment__gte=1, assessment__lte=4),
                violation_error_message=_("Bedömningen ska vara 1–4."),
            ),
        ]
        indexes = [
            # Themes × counties matrix of a round: observations by theme across reports.
            models.Index(fields=["theme", "report"], name="observation_theme_report_idx"),
        ]

    def __str__(self):
        return f"{self.report} · {self.theme}"

    def save(self, *args, **kwargs):
        if self.report_id and _approved(self.report_id):
            raise ReportLockedError(self.report)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.report_id and _approved(self.report_id):
            raise ReportLockedError(self.report)
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.report_id and self.theme_id:
            round_themes = self.report.round.themes
            if round_themes.exists() and not round_themes.filter(pk=self.theme_id).exists():
                raise ValidationError({"theme": _("Temat ingår inte i omgångens teman.")})


class NationalConclusion(TimeStampedModel, VersionedModel):
    """The ministry's conclusion on one theme in a round."""

    round = models.ForeignKey(
        FollowUpRound,
        on_delete=models.PROTECT,
        related_name="conclusions",
        verbose_name=_("uppföljningsomgång"),
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="conclusions", verbose_name=_("tema")
    )
    text = models.TextField(_("slutsats"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("skriven av"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nationell slutsats")
        verbose_name_plural = _("nationella slutsatser")
        ordering = ["round", "theme__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "theme"],
                name="national_conclusion_one_per_round_and_theme",
                violation_error_message=_("Omgången har redan en slutsats för temat."),
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.theme}"


class ReviewEvent(models.Model):
    """One step of a report's review: who, when, from which status to which, and why."""

    class Action(models.TextChoices):
        SUBMIT = "skicka-in", _("Skickade in")
        RETURN = "returnera", _("Returnerade")
        APPROVE = "godkann", _("Godkände")
        REOPEN = "oppna-igen", _("Öppnade igen")

    report = models.ForeignKey(
        CountyReport,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("länsrapport"),
    )
    action = models.CharField(_("åtgärd"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("från status"), max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(_("till status"), max_length=20, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_events",
        verbose_name=_("utförd av"),
    )
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("granskningshändelse")
        verbose_name_plural = _("granskningshändelser")
        ordering = ["report", "at", "pk"]
        indexes = [
            # A report's history, newest last; the board's "last event" per report.
            models.Index(fields=["report", "at"], name="review_event_report_at_idx"),
        ]

    def __str__(self):
        return f"{self.report} · {self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


@receiver(m2m_changed, sender=Observation.projects.through)
@receiver(m2m_changed, sender=Observation.partnerships.through)
@receiver(m2m_changed, sender=Observation.clusters.through)
def _refuse_evidence_changes_on_approved_reports(sender, instance, action, **kwargs):
    """Evidence links of an approved report's observations are locked too."""
    if loading_raw():  # a restore (loaddata) puts back what was there
        return
    if (
        action.startswith("pre_")
        and isinstance(instance, Observation)
        and _approved(instance.report_id)
    ):
        raise ReportLockedError(instance.report)
