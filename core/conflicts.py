"""When two transactions collide: run the loser again, or tell its user that nothing was saved.

- **PostgreSQL** aborts one of two transactions that wait for each other (a deadlock, 40P01 —
  two people saving lines that meet in the same financing totals in opposite orders) or that
  cannot be serialised (40001). Nothing of the aborted transaction was written, so running it
  again from the start normally succeeds: ``retry_on_conflict`` does that, a few times, after a
  short random pause. A save from a stale copy then meets the version check as usual.
- **SQLite** lets one writer in at a time. Write transactions take the lock when they begin
  (``transaction_mode: IMMEDIATE`` in the settings), so a second one waits for the first
  (the busy timeout) instead of failing half-way with "database is locked".

Whatever still fails is answered by ``NotSavedMiddleware``: a Swedish page saying that nothing
was saved and to try again (503, ``Retry-After``), never a server error. The same middleware
answers a write the data's own rules refused (``WriteRefused``: a locked report, a stale copy)
where no page caught it: 409 with the refusal's message.
"""

import logging
import random
import time
from functools import wraps

from django.db import OperationalError, connections
from django.template.response import TemplateResponse

from core.refusals import WriteRefused

logger = logging.getLogger(__name__)

ATTEMPTS = 4
# SQLSTATEs of a transaction the database aborted because of another one.
RETRYABLE_STATES = {"40P01", "40001"}  # deadlock_detected, serialization_failure
BUSY_MESSAGES = ("database is locked", "database table is locked")


def is_conflict(error: BaseException) -> bool:
    """Did the database refuse this because of a competing transaction?"""
    if not isinstance(error, OperationalError):
        return False
    if getattr(error.__cause__, "sqlstate", None) in RETRYABLE_STATES:
        return True
    return any(message in str(error) for message in BUSY_MESSAGES)


def _retryable(error: BaseException) -> bool:
    # SQLite has already waited its busy timeout; running again would only wait again.
    return getattr(error.__cause__, "sqlstate", None) in RETRYABLE_STATES


def retry_on_conflict(func):
    """Run ``func`` — a whole transaction, or a view whose writes are one — again when the
    database aborted it for a competing transaction. Inside an outer transaction it cannot be
    retried alone, and the error goes up to whoever holds that transaction."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return func(*args, **kwargs)
            except OperationalError as error:
                in_transaction = any(c.in_atomic_block for c in connections.all())
                if attempt == ATTEMPTS or in_transaction or not _retryable(error):
                    raise
                logger.info(
                    "transaction aborted by a competing one, attempt %s: %s", attempt, error
                )
                time.sleep(random.uniform(0.02, 0.1) * attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


class NotSavedMiddleware:
    """A write that was not saved, answered as such instead of a server error: a collision that
    could not be resolved (503, try again) or a refusal by the data's rules (409, why)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, WriteRefused):
            logger.info("refused: %s %s: %s", request.method, request.path, exception.message)
            context = {"message": exception.message, "back": _same_site_referer(request)}
            return TemplateResponse(request, "refused.html", context, status=409).render()
        if not is_conflict(exception):
            return None
        logger.warning("busy: %s %s: %s", request.method, request.path, exception)
        response = TemplateResponse(request, "busy.html", status=503)
        response["Retry-After"] = "5"
        return response.render()


def _same_site_referer(request) -> str | None:
    """The page the user came from, if it is one of ours (a link back)."""
    referer = request.headers.get("Referer", "")
    host = request.get_host()
    return referer if referer.startswith((f"https://{host}/", f"http://{host}/")) else None
