"""Downloads made at a lower CPU priority, so that the pages people read stay fast.

A county workbook takes seconds of CPU, the country's projects as CSV about as long; a page takes
tens of milliseconds. Each gunicorn worker process writes its downloads in one thread of its own
whose Linux nice value is ``DOWNLOAD_NICENESS`` (10 by default) above the process's: when pages
and downloads compete for the processors, the kernel gives the pages about nine tenths. A
download still uses every idle cycle, so it is as fast as before on a quiet server. The request
waits for its file.

The thread runs the job with the request's language and its own database connection, closed
when the job is done. With ``DOWNLOADS_IN_BACKGROUND`` off (the tests: their data lives in a
transaction other threads cannot see) the job runs in the request's own thread. On a system
where a thread's priority cannot be set, downloads run at the normal priority.
"""

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections
from django.utils import translation

logger = logging.getLogger(__name__)

_executor: ThreadPoolExecutor | None = None
_executor_pid: int | None = None
_lock = threading.Lock()
_here = threading.local()  # set in the download thread itself


def _lower_priority() -> None:
    _here.download_thread = True
    try:
        # On Linux a nice value belongs to a thread: this one only, never the request's.
        me = threading.get_native_id()
        lower = min(19, os.getpriority(os.PRIO_PROCESS, me) + settings.DOWNLOAD_NICENESS)
        os.setpriority(os.PRIO_PROCESS, me, lower)
    except (AttributeError, OSError) as error:
        logger.info("Nedladdningar körs med normal prioritet: %s", error)


def _download_thread() -> ThreadPoolExecutor:
    """This process's download thread, started on first use (after gunicorn's fork)."""
    global _executor, _executor_pid
    with _lock:
        if _executor is None or _executor_pid != os.getpid():
            _executor = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="nedladdning", initializer=_lower_priority
            )
            _executor_pid = os.getpid()
        return _executor


def run(function, *args):
    """``function(*args)`` at the download priority; its result, or its exception."""
    if not settings.DOWNLOADS_IN_BACKGROUND or getattr(_here, "download_thread", False):
        return function(*args)  # (in the download thread, waiting for itself would hang)
    language = translation.get_language()

    def job():
        try:
            with translation.override(language):
                return function(*args)
        finally:
            connections.close_all()

    return _download_thread().submit(job).result()
