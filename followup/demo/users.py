"""Demo users: an administrator, a coordinator per county, a ministry reviewer.

The passwords are fixed so the demo can be tried at once; they are for a local demo only.
Users that already exist keep their password unless --password is given.
"""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from agreements.models import County
from core.roles import Role, ensure_role_groups
from followup.models import User

ADMIN_URL = "http://127.0.0.1:8000/admin/"
MIN_PASSWORD_LENGTH = 12
DEFAULT_PASSWORDS = {
    "admin": "demo-admin-2026",
    "samordnare": "demo-samordnare-2026",
    "departementet": "demo-departementet-2026",
}
MAIN_COORDINATORS = ["04", "05"]
PEOPLE = {
    "admin": ("Alva", "Admin"),
    "departementet": ("Eva", "Sundqvist"),
    "04": ("Karin", "Lindqvist"),
    "05": ("Johan", "Ek"),
}
FIRST = ["Anna", "Lars", "Maria", "Per", "Lena", "Anders", "Ingrid", "Mikael", "Birgitta", "Jan"]
LAST = ["Holm", "Berg", "Nyström", "Wallin", "Åberg", "Falk", "Strand", "Sandberg", "Dahl"]


@dataclass
class DemoUsers:
    admin: User
    reviewer: User
    coordinators: dict[str, User]  # by county code
    # Username -> password set in this run (the ones not listed kept theirs).
    passwords: dict[str, str] = field(default_factory=dict)


def coordinator_username(county_code: str) -> str:
    return f"samordnare{county_code}"


def _password_for(username: str) -> str:
    key = "samordnare" if username.startswith("samordnare") else username
    return DEFAULT_PASSWORDS[key]


def ensure_demo_users(counties: list[County], password: str | None = None) -> DemoUsers:
    """Create the demo users (or bring existing ones into their groups and counties)."""
    groups = ensure_role_groups()
    hashes: dict[str, str] = {}
    passwords: dict[str, str] = {}

    def user(username, names, *, superuser=False, group=None, county=None):
        obj = User.objects.filter(username=username).first()
        if obj is None:
            obj = User(username=username, email=f"{username}@example.invalid")
            obj.first_name, obj.last_name = names
        if obj.pk is None or password:
            raw = password or _password_for(username)
            if raw not in hashes:  # hashing is slow on purpose; once per password
                hashes[raw] = make_password(raw)
            obj.password = hashes[raw]
            passwords[username] = raw
        obj.is_staff = True
        obj.is_active = True
        if superuser:
            obj.is_superuser = True
        obj.save()
        if group is not None:
            obj.groups.add(groups[group])
        if county is not None:
            obj.counties.set([county])
        return obj

    admin = user("admin", PEOPLE["admin"], superuser=True)
    coordinators = {}
    for index, county in enumerate(counties):
        names = PEOPLE.get(county.code) or (FIRST[index % len(FIRST)], LAST[index % len(LAST)])
        coordinators[county.code] = user(
            coordinator_username(county.code), names, group=Role.COORDINATOR, county=county
        )
    reviewer = user("departementet", PEOPLE["departementet"], group=Role.REVIEWER)
    return DemoUsers(admin, reviewer, coordinators, passwords)


def login_lines(passwords: dict[str, str] | None = None) -> list[str]:
    """How to log in, for the end of the output (and for seed_demo --logins)."""
    passwords = dict(passwords or {})
    main = [
        ("admin", "administratör (superanvändare)"),
        (coordinator_username("04"), "regional samordnare, Södermanland"),
        (coordinator_username("05"), "regional samordnare, Östergötland"),
        ("departementet", "departementets handläggare"),
    ]
    existing = {u.username: u for u in User.objects.filter(username__in=[m[0] for m in main])}
    lines = [
        f"Logga in på {ADMIN_URL}",
        "Lösenorden nedan gäller bara den lokala demon – använd dem aldrig i en riktig miljö.",
    ]
    for username, role in main:
        user = existing.get(username)
        if user is None:
            shown = "(användaren finns inte – kör seed_demo)"
        elif username in passwords:
            shown = passwords[username]
        elif user.check_password(_password_for(username)):
            shown = _password_for(username)
        else:
            shown = "(eget lösenord, oförändrat)"
        lines.append(f"  {username:<15} {shown:<26} {role}")
    others = [
        u
        for u in User.objects.filter(username__startswith="samordnare").order_by("username")
        if u.username not in {m[0] for m in main}
    ]
    if others:
        first = others[0]
        default = _password_for(first.username)
        shown = passwords.get(first.username) or (
            default if first.check_password(default) else None
        )
        note = f"lösenord {shown}" if shown else "egna lösenord"
        lines.append(
            f"  Övriga län: {first.username} … {others[-1].username} "
            f"({len(others)} samordnare, {note})."
        )
    return lines
