"""Admin of the follow-up, split by topic: users, rounds (themes, rounds, national
conclusions), reports (county reports, observations, review events). Importing the package
registers everything."""

from followup.admin import reports, rounds, users  # noqa: F401  (registers the admins)
