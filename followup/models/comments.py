"""The review as a dialogue: a reviewer's comments on single observations and on the report as
a whole, the county's replies, and whether each is handled.

A reviewer writes comments while the report is with the ministry (submitted); they stay the
reviewer's own (*pending*) until the decision — a return, or an approval — sends them all at
once with it (``sent_with``). While the report is back with the county (returned, in an open
round) its coordinators reply and mark comments handled. Otherwise a comment is read-only:
the rules below hold on every path that writes (``save``, ``delete``, the queryset's
``update``, ``delete`` and bulk writes), read from the database, never from the copy in hand.
Only the workflow service sends comments (``ReviewCommentQuerySet.send``).
"""

from django.conf import settings
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from core.raw_load import loading_raw
from core.refusals import WriteRefused
from followup.models.locking import held
from followup.models.reports import ObservationVersion, note_report_status
from followup.models.statuses import ReportStatus, RoundStatus

COMMENT_MAX = 5000


def _with_the_ministry(report) -> bool:
    """Submitted, in an open round: what the reviewer's own comments may be written in."""
    return report.status == ReportStatus.SUBMITTED and report.round.status == RoundStatus.OPEN


class CommentRefused(WriteRefused):
    """A comment may not be written now; the message says why."""


class ReviewCommentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if not loading_raw():
            raise CommentRefused(_("Kommentarer ändras bara en i taget, på länets sida."))
        return super().update(**kwargs)

    def delete(self):
        if not loading_raw():
            for comment in self:
                comment.refuse_delete()
        return super().delete()

    def bulk_create(self, objs, **options):
        if not loading_raw():
            raise CommentRefused(_("Kommentarer skrivs bara en i taget, på länets sida."))
        return super().bulk_create(objs, **options)

    def bulk_update(self, objs, fields, batch_size=None):
        if not loading_raw():
            raise CommentRefused(_("Kommentarer ändras bara en i taget, på länets sida."))
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def send(self, *, event) -> int:
        """The reviewer's pending comments go to the county with the decision ``event``
        (the workflow step only)."""
        return super().update(sent_with=event)


class ReviewComment(models.Model):
    report = models.ForeignKey(
        "followup.CountyReport",
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=gettext_lazy("länsrapport"),
    )
    # None: a comment on the report as a whole. An observation deleted later leaves its theme.
    observation = models.ForeignKey(
        "followup.Observation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=gettext_lazy("iakttagelse"),
    )
    # The observation's id, kept when the county deletes it: those who read the report as last
    # submitted still find the comment beside it.
    observation_key = models.PositiveIntegerField(null=True, blank=True, editable=False)
    theme = models.ForeignKey(
        "followup.Theme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("tema"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("skriven av"),
    )
    text = models.TextField(gettext_lazy("kommentar"), max_length=COMMENT_MAX)
    created_at = models.DateTimeField(gettext_lazy("skriven"), default=timezone.now)
    sent_with = models.ForeignKey(
        "followup.ReviewEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=gettext_lazy("skickad med"),
    )
    reply = models.TextField(gettext_lazy("länets svar"), max_length=COMMENT_MAX, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("svar av"),
    )
    replied_at = models.DateTimeField(gettext_lazy("svarad"), null=True, blank=True)
    handled_at = models.DateTimeField(gettext_lazy("åtgärdad"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("åtgärdad av"),
    )

    objects = ReviewCommentQuerySet.as_manager()
    # Each version records the report's status when it was written (as an observation's do):
    # the county's replies while the report is returned are its own until it submits again.
    history = HistoricalRecords(bases=[ObservationVersion])

    class Meta:
        verbose_name = gettext_lazy("granskningskommentar")
        verbose_name_plural = gettext_lazy("granskningskommentarer")
        ordering = ["report", "created_at", "pk"]
        indexes = [models.Index(fields=["report", "sent_with"], name="comment_report_sent_idx")]

    def __str__(self):
        return f"{self.report} · {self.theme or _('rapporten som helhet')}"

    def save(self, *args, **kwargs):
        reason = self.write_refusal()
        if reason:
            raise CommentRefused(reason)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.refuse_delete()
        return super().delete(*args, **kwargs)

    @property
    def pending(self) -> bool:
        return self.sent_with_id is None

    @property
    def handled(self) -> bool:
        return self.handled_at is not None

    # --- the rules, on every path ------------------------------------------------------------

    def _stored_report(self):
        """The report as stored, its row held until the transaction ends (PostgreSQL), so no
        decision or resubmission slips between this check and the write."""
        from followup.models.reports import CountyReport

        reports = CountyReport._base_manager.filter(pk=self.report_id).select_related("round")
        return held(reports).first()

    def write_refusal(self) -> str | None:
        """Why this comment may not be saved as it stands in hand; None when it may."""
        if loading_raw():
            return None
        report = self._stored_report()
        if report is None:
            return None  # the database refuses the missing report
        stored = None if self._state.adding else type(self)._base_manager.filter(pk=self.pk).first()
        if stored is None:  # a new comment: a reviewer's, while the report is with the ministry
            if self.observation_id:  # its theme and id stay, should the observation go
                self.theme_id = self.observation.theme_id
                self.observation_key = self.observation_id
            if not _with_the_ministry(report):
                return _(
                    "Kommentarer skrivs medan rapporten ligger hos departementet för granskning."
                )
            if self.sent_with_id is not None or self.reply or self.handled_at:
                return _("En ny kommentar är inte skickad, besvarad eller åtgärdad.")
            return None
        fixed = ("report_id", "observation_id", "theme_id", "author_id", "created_at",
                 "sent_with_id", "observation_key")  # fmt: skip
        if any(getattr(stored, name) != getattr(self, name) for name in fixed):
            return _("En kommentar byter inte rapport, iakttagelse eller författare.")
        if stored.pending:  # the reviewer's own, until the decision
            if not _with_the_ministry(report):
                return _("Kommentaren kan inte ändras längre.")
            if self.reply or self.handled_at:
                return _("En kommentar som inte är skickad kan inte besvaras.")
            return None
        if stored.text != self.text:
            return _("En skickad kommentar ändras inte.")
        if report.status != ReportStatus.RETURNED or report.round.status != RoundStatus.OPEN:
            return _(
                "Kommentaren går bara att besvara medan rapporten är returnerad till länet; "
                "nu är den låst."
            )
        return None

    def refuse_delete(self) -> None:
        if loading_raw():
            return
        stored = type(self)._base_manager.filter(pk=self.pk).first()
        report = self._stored_report()
        if stored is None or report is None:
            return
        if not stored.pending or not _with_the_ministry(report):
            raise CommentRefused(
                _("En kommentar som har skickats till länet finns kvar i granskningshistoriken.")
            )


@receiver(pre_create_historical_record, sender=ReviewComment.history.model)
def _note_report_status(sender, instance, history_instance, **kwargs):
    note_report_status(instance, history_instance)
