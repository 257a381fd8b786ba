"""The yearly follow-up: rounds, themes, county reports, observations, national conclusions."""

# What each model is, for access (core.access), declared with the models themselves.
from followup import scopes  # noqa: E402, F401, I001
from followup.models.comments import CommentRefused, ReviewComment
from followup.models.locking import EvidenceLockedError, ReportLockedError
from followup.models.notices import Notice
from followup.models.reports import (
    Assessment,
    CountyReport,
    FollowUpRound,
    NationalConclusion,
    Observation,
    ReviewEvent,
    Theme,
    assessed_q,
)
from followup.models.statuses import ReportStatus, RoundStatus
from followup.models.tokens import ApiThrottleWindow, ApiToken
from followup.models.users import User

__all__ = [
    "ApiThrottleWindow",
    "ApiToken",
    "Assessment",
    "CommentRefused",
    "CountyReport",
    "EvidenceLockedError",
    "FollowUpRound",
    "NationalConclusion",
    "Notice",
    "Observation",
    "ReportLockedError",
    "ReportStatus",
    "ReviewComment",
    "ReviewEvent",
    "RoundStatus",
    "Theme",
    "User",
    "assessed_q",
]
