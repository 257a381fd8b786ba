"""Leases (core.leases): one holder at a time, across processes — here on one connection;
tests/test_two_servers.py holds them in one process and meets them in app servers of their own."""

import datetime

import pytest
from django.utils import timezone

from core import leases
from core.models import Lease

pytestmark = pytest.mark.django_db


def test_a_lease_has_one_holder_until_it_is_given_back():
    first = leases.take("import-user-1", seconds=60)

    assert first is not None
    assert leases.take("import-user-1", seconds=60) is None
    assert leases.take("import-user-2", seconds=60) is not None  # another name, another lease

    leases.let_go("import-user-1", first)
    assert leases.take("import-user-1", seconds=60) is not None


def test_a_lease_whose_holder_died_lapses_and_can_be_taken():
    dead = leases.take("import-parse-0", seconds=60)
    Lease.objects.filter(name="import-parse-0").update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    new = leases.take("import-parse-0", seconds=60)

    assert new is not None and new != dead
    # The dead holder, should it wake, cannot give back what is no longer its own.
    leases.let_go("import-parse-0", dead)
    assert Lease.objects.get(name="import-parse-0").holder == new


def test_held_raises_taken_while_another_holds_it_and_gives_it_back_after():
    with (
        leases.held("import-user-3", seconds=60),
        pytest.raises(leases.Taken),
        leases.held("import-user-3", seconds=60),
    ):
        pass
    assert not Lease.objects.exists()


def test_held_gives_the_lease_back_when_the_work_fails():
    with pytest.raises(RuntimeError), leases.held("import-user-4", seconds=60):
        raise RuntimeError("the import broke")
    assert not Lease.objects.exists()
