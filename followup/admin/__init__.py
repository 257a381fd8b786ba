"""Admin of the follow-up, split by topic: users, their API tokens, rounds (themes, rounds,
national conclusions), reports (county reports, observations, review events). Importing the
package registers everything."""

from followup.admin import reports, rounds, tokens, users  # noqa: F401  (registers the admins)
