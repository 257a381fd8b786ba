"""The review's comments as a page shows them: per observation and for the report as a whole.

A reviewer's comments not yet sent (pending) are shown to reviewers only; the county and the
administrators see what the decisions sent. The page decides whether the report is shown at all
(``core.access.may_show_report``)."""

from dataclasses import dataclass, field

from core import access
from followup.models import CountyReport, ReviewComment


@dataclass
class Comments:
    by_observation: dict[int, list[ReviewComment]] = field(default_factory=dict)
    on_report: list[ReviewComment] = field(default_factory=list)  # the report as a whole
    # comments on observations the county has since deleted (their theme is kept)
    on_removed: list[ReviewComment] = field(default_factory=list)
    open: int = 0  # sent and not handled
    handled: int = 0
    pending: int = 0  # not sent yet (reviewers only)

    @property
    def any(self) -> bool:
        return bool(self.by_observation or self.on_report or self.on_removed)


def report_comments(*, report: CountyReport, user, as_submitted: bool = False) -> Comments:
    """The comments ``user`` reads on ``report`` (one query).

    With ``as_submitted`` (a returned report, for a reader who does not read the county's work
    in progress: ``core.access.reads_as_submitted``) the county's replies and what it marked
    handled are its own until it submits again, and each comment stays beside the observation
    as submitted, even one the county has deleted since."""
    rows = ReviewComment.objects.filter(report=report)
    if not access.is_reviewer(user):
        rows = rows.exclude(sent_with=None)
    result = Comments()
    for comment in rows.select_related(
        "author", "replied_by", "handled_by", "theme", "sent_with"
    ).order_by("created_at", "pk"):
        if as_submitted:  # shown, never saved: the county's answers wait for its submission
            comment.reply, comment.replied_by, comment.replied_at = "", None, None
            comment.handled_at, comment.handled_by = None, None
        observation = comment.observation_key if as_submitted else comment.observation_id
        if observation:
            result.by_observation.setdefault(observation, []).append(comment)
        elif comment.theme_id:
            result.on_removed.append(comment)
        else:
            result.on_report.append(comment)
        if comment.pending:
            result.pending += 1
        elif comment.handled:
            result.handled += 1
        else:
            result.open += 1
    return result


def open_comment_count(report: CountyReport | None) -> int:
    """Comments sent to the county and not yet handled."""
    if report is None:
        return 0
    return (
        ReviewComment.objects.filter(report=report, handled_at=None).exclude(sent_with=None).count()
    )
