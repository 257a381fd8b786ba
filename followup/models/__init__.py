"""The yearly follow-up: rounds, themes, county reports, observations, national conclusions."""

from followup.models.locking import EvidenceLockedError, ReportLockedError
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
from followup.models.users import User

__all__ = [
    "Assessment",
    "CountyReport",
    "EvidenceLockedError",
    "FollowUpRound",
    "NationalConclusion",
    "Observation",
    "ReportLockedError",
    "ReportStatus",
    "ReviewEvent",
    "RoundStatus",
    "Theme",
    "User",
    "assessed_q",
]
