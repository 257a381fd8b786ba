"""The review's comments: a reviewer writes them while reviewing, the decision sends them, the
county replies and marks them handled (``followup.models.comments`` has the rules)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access
from followup.models import CommentRefused, CountyReport, Observation, ReviewComment
from followup.models.comments import COMMENT_MAX


def _text(text: str, *, empty: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CommentRefused(empty)
    if "\x00" in text:
        raise CommentRefused(_("Texten innehåller ett tecken som inte kan sparas (NUL)."))
    if len(text) > COMMENT_MAX:
        raise CommentRefused(
            _("Texten får vara högst %(limit)s tecken; den har %(length)s.")
            % {"limit": COMMENT_MAX, "length": len(text)}
        )
    return text


@transaction.atomic
def comment_add(
    *, report: CountyReport, user, text: str, observation_id: int | None = None
) -> ReviewComment:
    """A reviewer's comment on one observation of ``report`` (or on the report as a whole)."""
    if not access.is_reviewer(user):
        raise CommentRefused(_("Bara departementets handläggare kommenterar rapporten."))
    observation = None
    if observation_id is not None:
        observation = Observation.objects.filter(pk=observation_id, report=report).first()
        if observation is None:
            raise CommentRefused(_("Iakttagelsen finns inte i rapporten."))
    comment = ReviewComment(
        report=report,
        observation=observation,
        theme_id=observation.theme_id if observation else None,
        author=user,
        text=_text(text, empty=_("Skriv en kommentar först.")),
    )
    comment.save()
    return comment


@transaction.atomic
def comment_delete(*, comment: ReviewComment, user) -> None:
    """A reviewer takes back a comment not yet sent."""
    if not access.is_reviewer(user):
        raise CommentRefused(_("Bara departementets handläggare kommenterar rapporten."))
    comment.delete()


@transaction.atomic
def comment_reply(*, comment: ReviewComment, user, reply: str, handled: bool) -> ReviewComment:
    """The county's coordinator answers a comment sent with a return, and says whether it is
    handled; either may come alone."""
    if not access.is_coordinator_of(user, comment.report.county_id):
        raise CommentRefused(_("Bara länets regionala samordnare svarar på kommentarerna."))
    if comment.pending:
        raise CommentRefused(_("Kommentaren är inte skickad till länet."))
    reply = (reply or "").strip()
    if reply:
        comment.reply = _text(reply, empty=_("Skriv ett svar först."))
        comment.replied_by, comment.replied_at = user, timezone.now()
    elif not handled and not comment.handled:
        raise CommentRefused(_("Skriv ett svar eller markera kommentaren som åtgärdad."))
    if handled and not comment.handled:
        comment.handled_by, comment.handled_at = user, timezone.now()
    elif not handled:
        comment.handled_by, comment.handled_at = None, None
    comment._change_reason = _("Svar från länet")  # type: ignore[attr-defined]
    comment.save()
    return comment
