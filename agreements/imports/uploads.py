"""An uploaded file waiting between the preview and the confirmation, and the import's turns.

The file is kept in the ``imports`` storage (``settings.STORAGES``: a folder every app server
shares, or an S3-compatible bucket) under a random token; the session (in the database)
remembers which tokens belong to this user, for which county, and the digest of the preview
they saw. The confirming POST carries only the token: the county, the file and the plan never
come from the browser. Any app server can confirm what another previewed.

Whose turn it is — one import per user at a time, ``IMPORT_PARSE_CONCURRENCY`` files read at
once — is kept in leases in the database (``core.leases``), so it holds across the processes
of every app server.
"""

import contextlib
import datetime
import re
import secrets
import tempfile
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.utils import timezone

from core import leases

SESSION_KEY = "agreements_project_imports"
MAX_PENDING = 5  # per session; older previews are forgotten and their files removed
MAX_AGE_SECONDS = 24 * 3600
TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
SUFFIX = ".xlsx"
# How long a user's import may hold their turn at most: a server that dies mid-import cannot
# give it back, and the user may import again once it lapses. Longer than any import gunicorn
# lets a worker finish (its timeout is 30 s by default).
USER_TURN_SECONDS = 5 * 60


class Gone(Exception):
    """No file waits under this token (confirmed, cancelled, pruned, or never there)."""


def storage() -> Storage:
    return storages["imports"]


def name_for(token: str) -> str:
    if not TOKEN.fullmatch(token or ""):
        raise ValueError("not an upload token")
    return f"{token}{SUFFIX}"


def save(uploaded) -> str:
    """Store an uploaded file under a new random token; returns the token."""
    prune()
    token = secrets.token_urlsafe(32)
    stored = storage().save(name_for(token), uploaded)
    if stored != name_for(token):  # never expected: a random name is not taken
        storage().delete(stored)
        raise RuntimeError(f"the imports storage renamed {name_for(token)} to {stored}")
    return token


def local_copy(token: str) -> IO[bytes]:
    """The waiting file copied into a temporary file of this process (deleted when closed),
    for the sandboxed parse to read. Raises Gone when no file waits under ``token``."""
    try:
        stored = storage().open(name_for(token), "rb")
    except (FileNotFoundError, ValueError):
        raise Gone from None
    local = tempfile.TemporaryFile()  # noqa: SIM115 - the caller closes it
    try:
        with stored:
            for chunk in stored.chunks():
                local.write(chunk)
    except BaseException:
        local.close()
        raise
    local.seek(0)
    return local


def exists(token: str) -> bool:
    try:
        return storage().exists(name_for(token))
    except ValueError:
        return False


def discard(token: str) -> None:
    with contextlib.suppress(ValueError):
        storage().delete(name_for(token))


def waiting() -> list[str]:
    """The names of the files waiting for a confirmation."""
    try:
        _folders, files = storage().listdir("")
    except FileNotFoundError:  # nothing was ever stored
        return []
    return sorted(f for f in files if f.endswith(SUFFIX) and TOKEN.fullmatch(f[: -len(SUFFIX)]))


def prune() -> None:
    """Remove files left by previews nobody confirmed or cancelled."""
    limit = timezone.now() - datetime.timedelta(seconds=MAX_AGE_SECONDS)
    for name in waiting():
        try:
            if storage().get_modified_time(name) < limit:
                storage().delete(name)
        except (FileNotFoundError, OSError):  # removed meanwhile by another server
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
    if entry is None or not exists(token):
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
    """As many files as may be read at once are being read (IMPORT_PARSE_CONCURRENCY)."""


@contextlib.contextmanager
def one_at_a_time(user) -> Iterator[None]:
    """Hold this user's import turn; raises Busy at once when another import of theirs, on
    any app server, holds it."""
    try:
        with leases.held(f"import-user-{int(user.pk)}", seconds=USER_TURN_SECONDS):
            yield
    except leases.Taken:
        raise Busy from None


@contextlib.contextmanager
def parse_slot() -> Iterator[None]:
    """Hold one of the IMPORT_PARSE_CONCURRENCY slots for reading a file; raises ServerBusy at
    once when all are taken, by any process of any app server.

    A file is read in a sandboxed child process, and the worker that asked waits for it: with
    every worker waiting, no page would be served. The slots keep the others free. A slot lapses
    a little after the sandbox's own time limit, should its holder die.
    """
    seconds = settings.IMPORT_PARSE_SECONDS + 30
    for slot in range(max(1, settings.IMPORT_PARSE_CONCURRENCY)):
        name = f"import-parse-{slot}"
        holder = leases.take(name, seconds=seconds)
        if holder is None:
            continue
        try:
            yield
        finally:
            leases.let_go(name, holder)
        return
    raise ServerBusy
