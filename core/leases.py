"""Leases: "one at a time" that holds across processes and app servers.

A lease is a row in the database, named for what it guards (``import-user-7``,
``import-parse-0``). Taking one is a single conditional write, so of two processes on any two
servers exactly one gets it: an INSERT when no row exists (the primary key refuses the second),
or an UPDATE of a row whose time has run out (the row's lock and the re-checked condition refuse
the second). Letting go deletes the row, only if it is still ours. A process killed while it
holds a lease cannot let go; the lease then lapses after its ``seconds``.

A lease must be taken outside a transaction: inside one, other processes would not see it until
it commits (the import's pages and command call it in autocommit).
"""

import contextlib
import datetime
import logging
import secrets
from collections.abc import Iterator

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from core.models import Lease

logger = logging.getLogger(__name__)


class Taken(Exception):
    """Another process holds the lease."""


def take(name: str, *, seconds: float) -> str | None:
    """Take the lease ``name`` for ``seconds``: the holder's key to let go with, or None when
    another holds it."""
    holder = secrets.token_hex(16)
    now = timezone.now()
    expires_at = now + datetime.timedelta(seconds=seconds)
    lapsed = Lease.objects.filter(name=name, expires_at__lte=now)
    if lapsed.update(holder=holder, expires_at=expires_at):
        return holder
    try:
        with transaction.atomic():
            Lease.objects.create(name=name, holder=holder, expires_at=expires_at)
    except IntegrityError:
        return None
    return holder


def let_go(name: str, holder: str) -> None:
    """Give the lease back, unless it lapsed and another has taken it since. With the database
    gone the lease cannot be given back; it lapses by itself (logged, never raised: the failure
    that matters is the one that stopped the work)."""
    try:
        Lease.objects.filter(name=name, holder=holder).delete()
    except DatabaseError:
        logger.warning("Lease %s not given back; it lapses by itself", name)


@contextlib.contextmanager
def held(name: str, *, seconds: float) -> Iterator[None]:
    """Hold the lease ``name`` (at most ``seconds``) for the block; raises Taken at once when
    another holds it."""
    holder = take(name, seconds=seconds)
    if holder is None:
        raise Taken(name)
    try:
        yield
    finally:
        let_go(name, holder)
