"""Sessions in the database with a sliding idle timeout that writes no session's data in vain.

The session ends ``SESSION_COOKIE_AGE`` seconds (30 minutes) after the last request. Django's
way to slide it, ``SESSION_SAVE_EVERY_REQUEST``, writes the whole session back on every request:
a write transaction per page view, and a race — a page that loaded the session before another
request of the same user saved something in it (text rescued from a refused save, an import
waiting for its confirmation) wrote the old data back over it.

Here a request that changes nothing in the session moves only its end (``expire_date``), and
only once the end has drawn ``SESSION_REFRESH_SECONDS`` (60) nearer: the timeout is counted from
the last request to the minute, and a user reading pages costs one small UPDATE a minute. A
request that changes the session saves it as Django always does.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.middleware import SessionMiddleware
from django.contrib.sessions.models import Session
from django.utils import timezone


class SessionStore(db.SessionStore):
    """Django's database sessions, remembering when the stored session ends."""

    expire_date = None  # the stored session's end, once it is loaded

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
        self.expire_date = stored.expire_date if stored is not None else None
        return stored


def refresh_expiry(session) -> bool:
    """Move the end of a stored, unchanged ``session`` to a full idle time from now if it has
    drawn ``SESSION_REFRESH_SECONDS`` nearer since it was last moved; True if it was moved."""
    stored_end = getattr(session, "expire_date", None)  # None: nothing stored was loaded
    if session.modified or stored_end is None:
        return False
    now = timezone.now()
    due = now + timedelta(seconds=session.get_expiry_age() - settings.SESSION_REFRESH_SECONDS)
    if stored_end > due:
        return False
    end = session.get_expiry_date(modification=now)
    # The end only: whatever another request has saved in the session meanwhile stays.
    Session.objects.filter(session_key=session.session_key).update(expire_date=end)
    session.expire_date = end
    return True


class SlidingSessionMiddleware(SessionMiddleware):
    """Django's session middleware, sliding the idle timeout with ``refresh_expiry``."""

    def process_response(self, request, response):
        # Not after a server error, as Django saves no session then either.
        if response.status_code != 500:
            refresh_expiry(request.session)
        return super().process_response(request, response)
