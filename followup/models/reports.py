from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from agreements.models import Cluster, County, Partnership, Project
from agreements.models.fields import NameField, TimeStampedModel, year_field
from agreements.models.versioning import VersionedModel
from core import formats
from core.constraints import ConstraintErrorsAtFields
from core.languages import NamedInTwoLanguages
from followup.models import locking
from followup.models.locking import ObservationQuerySet, ReportQuerySet
from followup.models.statuses import WRITABLE_STATUSES, ReportStatus, RoundStatus


class Theme(NamedInTwoLanguages, models.Model):
    """A theme the follow-up asks about (a lookup, loaded from fixtures/reference)."""

    code = models.SlugField(_("kod"), max_length=60, unique=True)
    name = NameField(_("namn"), max_length=200, unique=True)
    name_en = NameField(
        _("namn på engelska"),
        max_length=200,
        help_text=_("Så heter temat när engelska är valt, t.ex. Cluster work."),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sorteringsordning"), default=0)
    is_active = models.BooleanField(_("aktivt"), default=True)
    phrase = models.CharField(
        _("i en mening"),
        max_length=200,
        blank=True,
        help_text=_(
            "Hur temat läses efter länens namn i sammanställningens meningar, t.ex. ”arbetar med "
            "kluster” i ”Södermanland och Skåne arbetar med kluster.” Tomt: ”arbetar med” och "
            "temats namn."
        ),
    )

    class Meta:
        verbose_name = _("tema")
        verbose_name_plural = _("teman")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.display_name


class FollowUpRound(TimeStampedModel, VersionedModel):
    """The follow-up of one year: its deadline and the themes asked about."""

    Status = RoundStatus

    year = year_field(_("år"), unique=True)
    title = NameField(_("rubrik"), max_length=200)
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
    # What each observation cited when the report was submitted, named as it was then
    # ({observation id: [[kind, id, label], …]}), so a locked report shows what it cited.
    frozen_evidence = models.JSONField(_("låst underlag"), null=True, blank=True, editable=False)
    # Set by a reviewer who returns the report: the county completes it by this date.
    complete_by = models.DateField(_("komplettera senast"), null=True, blank=True, editable=False)

    objects = ReportQuerySet.as_manager()
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

    def clean(self):
        super().clean()
        if self.round_id:
            reason = locking.report_write_refusal(self)
            if reason:
                raise ValidationError(reason)

    def save(self, *args, **kwargs):
        # The workflow changes status with a conditional UPDATE, never through save().
        locking.refuse_report_write(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        locking.refuse_locked([self.pk])
        return super().delete(*args, **kwargs)

    @property
    def is_writable(self) -> bool:
        """May the county write the report now (as this copy says; the lock reads the database)."""
        return self.status in WRITABLE_STATUSES and self.round.status == RoundStatus.OPEN


class Assessment(models.IntegerChoices):
    """An ordinal scale, so counties and years can be compared side by side — or *Ej bedömt*.

    *Ej bedömt* (0, with a required reason) says the county deliberately does not assess the
    theme: it counts as addressed when the report is submitted, and is left out of every
    statement, maximum, average and colour scale (``SCALE`` and ``assessed_q`` are the scale).
    It is neither a draft's missing assessment (null) nor a missing report.
    """

    NOT_ASSESSED = 0, _("Ej bedömt")
    NONE = 1, _("1 – Inget arbete")
    BEGINNING = 2, _("2 – Begynnande")
    ESTABLISHED = 3, _("3 – Etablerat")
    STRONG = 4, _("4 – Framträdande")

    @classmethod
    def scale(cls) -> list[tuple[int, str]]:
        """The levels 1–4 (value, label): what statements, maxima and colours use."""
        return [(value, label) for value, label in cls.choices if value in SCALE]


SCALE = range(1, 5)


def assessed_q(prefix: str = "") -> Q:
    """Observations with a level on the scale (1–4): not *Ej bedömt*, not unassessed."""
    return Q(**{f"{prefix}assessment__gte": SCALE.start, f"{prefix}assessment__lt": SCALE.stop})


class ObservationVersion(models.Model):
    """What an observation's audit record adds: the report's status when it was written.

    Versions written while the report was a draft or returned are the county's own; a reviewer
    reads the versions from each submission on (``core.access``).
    """

    report_status = models.CharField(
        _("rapportens status"),
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
    )

    class Meta:
        abstract = True


# Kept by name so that the submission can write a version of every observation, evidence
# included (followup.services.reports).
OBSERVATION_HISTORY = HistoricalRecords(
    m2m_fields=["projects", "partnerships", "clusters"], bases=[ObservationVersion]
)


class Observation(ConstraintErrorsAtFields, TimeStampedModel, VersionedModel):
    """What a county reports on one theme, with a coded assessment and its evidence."""

    # A failed check constraint shown at the field the person corrects (core.constraints).
    constraint_fields = {"observation_not_assessed_has_reason": "not_assessed_reason"}

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
        help_text=_(
            "Hur långt länet har kommit i temat, på en skala 1–4. Välj ”Ej bedömt” och skriv "
            "varför om länet inte bedömer temat."
        ),
    )
    not_assessed_reason = models.TextField(
        _("skäl till att temat inte bedöms"),
        blank=True,
        help_text=_("Krävs när bedömningen är ”Ej bedömt”."),
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

    objects = ObservationQuerySet.as_manager()
    history = OBSERVATION_HISTORY

    class Meta:
        verbose_name = _("iakttagelse")
        verbose_name_plural = _("iakttagelser")
        ordering = ["report", "theme__sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="observation_assessment_on_scale",
                condition=Q(assessment__isnull=True) | Q(assessment__gte=0, assessment__lte=4),
                violation_error_message=_("Bedömningen ska vara 1–4 eller ”Ej bedömt”."),
            ),
            models.CheckConstraint(
                name="observation_not_assessed_has_reason",
                condition=~Q(assessment=Assessment.NOT_ASSESSED) | ~Q(not_assessed_reason=""),
                violation_error_message=_("Skriv varför temat inte bedöms."),
            ),
        ]
        indexes = [
            # Themes × counties matrix of a round: observations by theme across reports.
            models.Index(fields=["theme", "report"], name="observation_theme_report_idx"),
        ]

    def __str__(self):
        return f"{self.report} · {self.theme}"

    def _report_ids(self) -> set:
        """The report this observation is in, and the one it is stored in (if it moves)."""
        ids = {self.report_id}
        if not self._state.adding:
            ids.update(
                Observation._base_manager.filter(pk=self.pk).values_list("report_id", flat=True)
            )
        return ids

    def save(self, *args, **kwargs):
        locking.refuse_locked(self._report_ids())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        locking.refuse_locked(self._report_ids())
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.assessment != Assessment.NOT_ASSESSED:
            self.not_assessed_reason = ""  # a reason belongs to "Ej bedömt" only
        elif not self.not_assessed_reason.strip():
            raise ValidationError({"not_assessed_reason": _("Skriv varför temat inte bedöms.")})
        if self.report_id:
            locked = locking.locked_reports(self._report_ids())
            if locked:
                raise ValidationError(locking.lock_reason(locked[0]))
        if self.report_id and self.theme_id:
            round_themes = self.report.round.themes
            if round_themes.exists() and not round_themes.filter(pk=self.theme_id).exists():
                raise ValidationError({"theme": _("Temat ingår inte i omgångens teman.")})


class NationalConclusion(TimeStampedModel, VersionedModel):
    """The ministry's conclusion on one theme in a round, or — without a theme — on the round
    as a whole (the chapter's closing paragraphs), first in the national workbook."""

    round = models.ForeignKey(
        FollowUpRound,
        on_delete=models.PROTECT,
        related_name="conclusions",
        verbose_name=_("uppföljningsomgång"),
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        related_name="conclusions",
        verbose_name=_("tema"),
        null=True,
        blank=True,
        help_text=_("Tomt: slutsatsen gäller omgången som helhet."),
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
        ordering = ["round", models.F("theme__sort_order").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "theme"],
                name="national_conclusion_one_per_round_and_theme",
                violation_error_message=_("Omgången har redan en slutsats för temat."),
            ),
            models.UniqueConstraint(
                fields=["round"],
                condition=models.Q(theme__isnull=True),
                name="national_conclusion_one_for_the_whole_round",
                violation_error_message=_("Omgången har redan en samlad slutsats."),
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.theme or _('omgången som helhet')}"


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
        return f"{self.report} · {self.get_action_display()} · {formats.moment(self.at)}"


# The steps that send a report back to its county (a return, or an approved report reopened).
BACK_TO_COUNTY = (ReviewEvent.Action.RETURN, ReviewEvent.Action.REOPEN)


@receiver(m2m_changed, sender=Observation.projects.through)
@receiver(m2m_changed, sender=Observation.partnerships.through)
@receiver(m2m_changed, sender=Observation.clusters.through)
def _refuse_evidence_link_changes(sender, instance, action, reverse, pk_set, **kwargs):
    """Evidence links of a locked report's observations are locked too, from either side."""
    locking.refuse_link_change(
        through=sender, instance=instance, action=action, reverse=reverse, pk_set=pk_set
    )


@receiver(pre_delete, sender=Project)
@receiver(pre_delete, sender=Partnership)
@receiver(pre_delete, sender=Cluster)
def _refuse_deleting_evidence(sender, instance, **kwargs):
    """What a locked report cites stays: its deletion is refused, naming the report. Sent for
    every deleted object, by ``delete()`` and by a queryset's ``delete()`` alike."""
    locking.refuse_evidence_deletion(instance)


@receiver(pre_create_historical_record, sender=Observation.history.model)
def _note_report_status(sender, instance, history_instance, **kwargs):
    note_report_status(instance, history_instance)


def note_report_status(instance, history_instance) -> None:
    """Each version of a report's row (an observation, a comment) records the status its
    report had when it was written."""
    status = (
        CountyReport._base_manager.filter(pk=instance.report_id)
        .values_list("status", flat=True)
        .first()
    )
    history_instance.report_status = status or ReportStatus.DRAFT
