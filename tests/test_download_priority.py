"""Downloads are made by a thread of lower CPU priority, with the request's language, and give
the same file as when made in the request's own thread."""

import os
import sys
import threading

import pytest
from django.db import connections
from django.utils import translation

from core import priority
from followup.models import ReportStatus
from tests import builders, exports_builders

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="thread priorities are Linux's"
)


@pytest.fixture
def in_background(settings):
    settings.DOWNLOADS_IN_BACKGROUND = True
    settings.DOWNLOAD_NICENESS = 10


def where_and_how_nice():
    tid = threading.get_native_id()
    return tid, os.getpriority(os.PRIO_PROCESS, tid), translation.get_language()


def test_a_download_runs_in_another_thread_at_lower_priority_and_in_the_users_language(
    in_background,
):
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    with translation.override("en"):
        tid, niceness, language = priority.run(where_and_how_nice)
    assert tid != threading.get_native_id()
    assert niceness == min(19, mine + 10)  # relative to the process; 19 is the lowest
    assert language == "en"
    # The request's own thread keeps its priority.
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine


def test_an_error_in_the_download_reaches_the_request(in_background):
    def fails():
        raise ValueError("trasig")

    with pytest.raises(ValueError, match="trasig"):
        priority.run(fails)


def test_off_it_runs_in_the_requests_thread(settings):
    settings.DOWNLOADS_IN_BACKGROUND = False
    assert priority.run(where_and_how_nice)[0] == threading.get_native_id()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "url", ["/projekt/projekt.csv", "/omgang/2001/lan/04/sammanstallning.xlsx"]
)
def test_a_download_made_in_the_background_is_the_same_file(client, reviewer, settings, url):
    round_obj = builders.follow_up_round(year=2001)
    exports_builders.register(county_code="04")
    exports_builders.report(round_obj=round_obj, county_code="04", status=ReportStatus.SUBMITTED)
    client.force_login(reviewer)
    settings.DOWNLOADS_IN_BACKGROUND = False
    inline = client.get(url)
    settings.DOWNLOADS_IN_BACKGROUND = True
    background = client.get(url)
    assert background.status_code == inline.status_code == 200
    assert background["Content-Disposition"] == inline["Content-Disposition"]
    first, second = (b"".join(r.streaming_content) for r in (inline, background))
    if url.endswith(".csv"):
        assert second == first
        assert "Södermanland".encode() in second
    else:
        assert len(second) > 5000
    # The download thread closed its database connection when it was done (Django keeps the
    # test suite's in-memory SQLite database open: closing it would lose the data).
    default = connections["default"]
    if default.vendor != "sqlite" or not default.is_in_memory_db():
        assert priority.run(lambda: connections["default"].connection) is None


def test_a_download_made_inside_a_download_does_not_wait_for_itself(in_background):
    outer, inner = priority.run(
        lambda: (threading.get_native_id(), priority.run(threading.get_native_id))
    )
    assert outer == inner
