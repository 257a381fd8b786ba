"""The yearly follow-up: rounds, themes, county reports, observations, national conclusions."""

from followup.models.reports import (
    Assessment,
    CountyReport,
    FollowUpRound,
    NationalConclusion,
    Observation,
    ReportLockedError,
    ReportStatus,
    ReviewEvent,
    Theme,
)
from followup.models.users import User

__all__ = [
    "Assessment",
    "CountyReport",
    "FollowUpRound",
    "NationalConclusion",
    "Observation",
    "ReportLockedError",
    "ReportStatus",
    "ReviewEvent",
    "Theme",
    "User",
]
