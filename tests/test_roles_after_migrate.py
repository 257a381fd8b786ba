"""A fresh deployment has its roles: ``migrate`` creates the three role groups with their
permissions and brings them back after any change; ``create_user`` gives a person a role.

The password is asked for at the terminal or read from a pipe, never taken as an argument.
"""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError

from core.roles import Role, role_permissions
from followup.models import User

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "ett-riktigt-bra-losen-42"


def permissions_of(role: Role) -> set[tuple[str, str]]:
    group = Group.objects.get(name=role)
    return {
        (f"{p.content_type.app_label}.{p.content_type.model}", p.codename.split("_", 1)[0])
        for p in group.permissions.select_related("content_type")
    }


def test_migrate_alone_creates_the_three_roles_with_their_permissions():
    # Nothing in this test has called ensure_role_groups(): the groups come from migrate.
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    for role, pairs in role_permissions().items():
        assert permissions_of(role) == set(pairs), role
    # What each role is for, as a person would notice it:
    assert ("agreements.project", "add") in permissions_of(Role.COORDINATOR)
    assert ("agreements.project", "add") not in permissions_of(Role.REVIEWER)
    assert ("followup.user", "add") in permissions_of(Role.ADMINISTRATOR)


def test_migrate_again_restores_a_changed_or_deleted_role():
    coordinator = Group.objects.get(name=Role.COORDINATOR)
    coordinator.permissions.add(Permission.objects.get(codename="add_followupround"))
    Group.objects.filter(name=Role.REVIEWER).delete()

    call_command("migrate", verbosity=0)

    assert ("followup.followupround", "add") not in permissions_of(Role.COORDINATOR)
    assert permissions_of(Role.REVIEWER) == set(role_permissions()[Role.REVIEWER])


def sign_in(client, username: str) -> None:
    response = client.post("/konto/logga-in/", {"username": username, "password": GOOD_PASSWORD})
    assert response.status_code == 302, "the login page did not let the new user in"


def create_user(*args, password=GOOD_PASSWORD, monkeypatch=None):
    """Run the command as an operator would, the password on standard input (a pipe)."""
    stdin, stdout = io.StringIO(f"{password}\n"), io.StringIO()
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", stdin)
    call_command("create_user", *args, stdout=stdout)
    return stdout.getvalue()


@pytest.fixture
def piped(monkeypatch):
    def run(*args, password=GOOD_PASSWORD):
        return create_user(*args, password=password, monkeypatch=monkeypatch)

    return run


def test_a_coordinator_of_two_counties_can_sign_in_and_keep_only_those(client, piped):
    out = piped("karin", "--role", "coordinator", "--county", "04", "--county", "05",
                "--email", "karin@example.se")  # fmt: skip
    assert "karin" in out and "Regional samordnare" in out and "04, 05" in out

    user = User.objects.get(username="karin")
    assert (user.email, user.is_staff, user.is_superuser) == ("karin@example.se", True, False)
    assert sorted(user.counties.values_list("code", flat=True)) == ["04", "05"]
    assert user.check_password(GOOD_PASSWORD)
    sign_in(client, "karin")
    assert client.get("/admin/agreements/project/add/").status_code == 200
    assert client.get("/lan/04/utveckling/").status_code == 200
    assert client.get("/lan/12/utveckling/").status_code == 404  # another county: not there


@pytest.mark.parametrize(
    ("role", "may_add_project", "may_add_user"),
    [("reviewer", False, False), ("administrator", True, True)],
)
def test_reviewers_and_administrators_get_their_roles(client, piped, role, may_add_project,
                                                      may_add_user):  # fmt: skip
    piped("eva", "--role", role, "--first-name", "Eva", "--last-name", "Sundqvist")
    user = User.objects.get(username="eva")
    assert user.get_full_name() == "Eva Sundqvist"
    assert not user.counties.exists()
    sign_in(client, "eva")
    assert client.get("/lan/12/utveckling/").status_code == 200  # every county
    expected = {True: 200, False: 403}
    assert client.get("/admin/agreements/project/add/").status_code == expected[may_add_project]
    assert client.get("/admin/followup/user/add/").status_code == expected[may_add_user]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "coordinator"], "minst ett län"),
        (["--role", "coordinator", "--county", "99"], "inget län med koden 99"),
        (["--role", "reviewer", "--county", "04"], "Bara regionala samordnare har län"),
    ],
)
def test_a_request_that_cannot_be_met_is_refused_before_the_password(piped, args, message):
    with pytest.raises(CommandError, match=message):
        piped("nisse", *args, password="")  # refused before the (empty) password is read
    assert not User.objects.filter(username="nisse").exists()


def test_an_existing_username_is_refused_whatever_its_case(piped):
    piped("karin", "--role", "reviewer")
    with pytest.raises(CommandError, match="finns redan en användare som heter Karin"):
        piped("Karin", "--role", "reviewer")
    assert User.objects.filter(username__iexact="karin").count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [("abc", "för kort"), ("eva-sundqvist-2026", "för likt"), ("", "Inget lösenord")],
)
def test_a_weak_or_missing_password_creates_nobody(piped, password, message):
    with pytest.raises(CommandError, match=message):
        piped("eva", "--role", "reviewer", "--email", "eva-sundqvist-2026@example.se",
              password=password)  # fmt: skip
    assert not User.objects.filter(username="eva").exists()


def test_the_password_is_never_an_argument():
    with pytest.raises(CommandError, match="password"):
        call_command("create_user", "eva", "--role", "reviewer", "--password", GOOD_PASSWORD)
    assert not User.objects.filter(username="eva").exists()


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_at_a_terminal_the_password_is_asked_twice(monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal())
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="inte lika"):
        call_command("create_user", "eva", "--role", "reviewer", stdout=io.StringIO())
    assert not User.objects.filter(username="eva").exists()

    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    call_command("create_user", "eva", "--role", "reviewer", stdout=io.StringIO())
    assert User.objects.get(username="eva").check_password(GOOD_PASSWORD)
