"""An uploaded file waiting between the preview and the confirmation.

The file is kept on disk under a random token; the session remembers which tokens belong to
this user, for which county, and the digest of the preview they saw. The confirming POST
carries only the token: the county, the file and the plan never come from the browser.
"""

import contextlib
import fcntl
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "agreements_project_imports"
MAX_PENDING = 5  # per session; older previews are forgotten and their files removed
MAX_AGE_SECONDS = 24 * 3600
TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def _directory() -> Path:
    directory = Path(settings.IMPORT_UPLOAD_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


def path_for(token: str) -> Path:
    if not TOKEN.fullmatch(token or ""):
        raise ValueError("not an upload token")
    return _directory() / f"{token}.xlsx"


def save(uploaded) -> str:
    """Write an uploaded file under a new random token; returns the token."""
    prune()
    token = secrets.token_urlsafe(32)
    fd = os.open(path_for(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as target:
        for chunk in uploaded.chunks():
            target.write(chunk)
    return token


def discard(token: str) -> None:
    with contextlib.suppress(ValueError):
        path_for(token).unlink(missing_ok=True)


def prune() -> None:
    """Remove files left by previews nobody confirmed or cancelled."""
    limit = time.time() - MAX_AGE_SECONDS
    for path in _directory().glob("*.xlsx"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def remember(session, token: str, *, county_id: int, digest: str, filename: str) -> None:
    pending = dict(session.get(SESSION_KEY, {}))
    pending[token] = {"county": county_id, "digest": digest, "filename": filename[:200]}
    while len(pending) > MAX_PENDING:
        oldest = next(iter(pending))
        discard(oldest)
        pending.pop(oldest)
    session[SESSION_KEY] = pending


def recall(session, token: str) -> dict | None:
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        return None
    entry = session.get(SESSION_KEY, {}).get(token)
    if entry is None or not path_for(token).exists():
        return None
    return entry


def forget(session, token: str) -> None:
    pending = dict(session.get(SESSION_KEY, {}))
    pending.pop(token, None)
    session[SESSION_KEY] = pending
    discard(token)


class Busy(Exception):
    """This user's other import is still being read or saved."""


class ServerBusy(Exception):
    """As many files as the server reads at once are being read (IMPORT_PARSE_CONCURRENCY)."""


def _try_lock(name: str) -> int | None:
    """An open file descriptor holding the lock file ``name`` (a file lock, so it holds across
    server processes; closing the descriptor releases it), or None when another holds it."""
    locks = _directory() / "locks"
    locks.mkdir(exist_ok=True, mode=0o700)
    fd = os.open(locks / name, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def one_at_a_time(user):
    """Hold this user's import lock; raises Busy at once when another import of theirs holds it."""
    fd = _try_lock(f"user-{int(user.pk)}.lock")
    if fd is None:
        raise Busy
    try:
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def parse_slot():
    """Hold one of the server's IMPORT_PARSE_CONCURRENCY slots for reading a file; raises
    ServerBusy at once when all are taken.

    A file is read in a sandboxed child process, and the worker that asked waits for it: with
    every worker waiting, no page would be served. The slots keep the others free.
    """
    for slot in range(max(1, settings.IMPORT_PARSE_CONCURRENCY)):
        fd = _try_lock(f"parse-{slot}.lock")
        if fd is None:
            continue
        try:
            yield
        finally:
            os.close(fd)
        return
    raise ServerBusy
