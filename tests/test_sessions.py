"""The idle timeout slides without rewriting the session (core/sessions.py): a user reading
pages stays logged in while they read, is logged out 30 minutes after the last request, and what
another request saved in the session meanwhile is never written over by a page that only read."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import sessions

pytestmark = pytest.mark.django_db

START = "/"
LOGIN = "/konto/logga-in/"


def stored(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def end_in(client, seconds: float) -> None:
    """As if the session's end had last been moved so long ago that it is ``seconds`` away."""
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=seconds)
    )


def session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


@pytest.fixture
def reading(client, coordinator_04):
    client.force_login(coordinator_04)
    assert client.get(START).status_code == 200
    return client


def test_the_idle_time_is_thirty_minutes_moved_at_most_once_a_minute():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_REFRESH_SECONDS == 60
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_a_page_read_after_a_minute_moves_the_end_to_thirty_minutes_from_now(reading):
    end_in(reading, 25 * 60)  # the last page was read five minutes ago
    before = timezone.now()

    with CaptureQueriesContext(connection) as queries:
        assert reading.get(START).status_code == 200

    end = stored(reading).expire_date
    assert before + timedelta(minutes=30) <= end <= timezone.now() + timedelta(minutes=30)
    [write] = session_writes(queries)
    assert write.lstrip().upper().startswith("UPDATE")
    assert "expire_date" in write and "session_data" not in write


def test_pages_read_within_the_minute_write_nothing_to_the_session(reading):
    end = stored(reading).expire_date

    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert reading.get(START).status_code == 200

    assert session_writes(queries) == []
    assert stored(reading).expire_date == end


def test_the_end_is_moved_just_before_it_has_drawn_a_minute_nearer(reading):
    end_in(reading, 30 * 60 - settings.SESSION_REFRESH_SECONDS + 5)
    reading.get(START)
    assert stored(reading).expire_date < timezone.now() + timedelta(minutes=29, seconds=10)

    end_in(reading, 30 * 60 - settings.SESSION_REFRESH_SECONDS - 5)
    reading.get(START)
    assert stored(reading).expire_date > timezone.now() + timedelta(minutes=29, seconds=50)


def test_after_thirty_idle_minutes_the_user_is_logged_out(reading):
    end_in(reading, -1)

    response = reading.get(START)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_page_that_only_read_keeps_what_another_request_saved_meanwhile(reading, monkeypatch):
    """Two tabs: while a page is being made, the user's other request saves text rescued from
    a refused save in the session. The page ends after it and moves the session's end: the
    rescued text must still be there (with every request saving the session, the page wrote
    back the session as it had read it, without the text)."""
    end_in(reading, 20 * 60)
    key = reading.session.session_key
    load = sessions.SessionStore.load
    meanwhile = []

    def load_then_the_other_request_saves(store):
        data = load(store)
        if not meanwhile:
            meanwhile.append(True)
            other = sessions.SessionStore(key)
            other["räddad text"] = "Det samordnaren skrev"
            other.save()
        return data

    monkeypatch.setattr(sessions.SessionStore, "load", load_then_the_other_request_saves)

    assert reading.get(START).status_code == 200

    assert meanwhile
    data = sessions.SessionStore(key).load()
    assert data["räddad text"] == "Det samordnaren skrev"
    assert stored(reading).expire_date > timezone.now() + timedelta(minutes=29)
