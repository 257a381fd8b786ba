"""Creating a user with a role, for operators (``python manage.py create_user``).

The rules of a role live here once: a coordinator keeps one or more counties, a reviewer and an
administrator keep none (they read every county); every user with a role may sign in to the
admin. The password is checked against the same validators as a password change.
"""

from collections.abc import Sequence

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agreements.models import County
from core.refusals import WriteRefused
from core.roles import Role, ensure_role_groups
from followup.models import User


class UserError(WriteRefused):
    """A user that cannot be created as asked; the message says why, in Swedish."""


def role_county_problem(*, role: Role, has_counties: bool) -> str | None:
    """The one rule between a role and counties: a coordinator keeps one or more counties, the
    other roles none. Used by the admin's add page and by ``create_user``."""
    if role == Role.COORDINATOR and not has_counties:
        return _("En regional samordnare behöver minst ett län.")
    if role != Role.COORDINATOR and has_counties:
        return _(
            "Bara regionala samordnare har län; handläggare och administratörer läser alla län."
        )
    return None


def user_role_problems(*, username: str, role: Role, county_codes: list[str]) -> list[str]:
    """What is wrong with the request before a password is asked for (empty: nothing)."""
    problems = []
    if User.objects.filter(username__iexact=username).exists():
        problems.append(_("Det finns redan en användare som heter %(name)s.") % {"name": username})
    problem = role_county_problem(role=role, has_counties=bool(county_codes))
    if problem:
        problems.append(problem)
    known = set(County.objects.filter(code__in=county_codes).values_list("code", flat=True))
    for code in county_codes:
        if code not in known:
            problems.append(_("Det finns inget län med koden %(code)s.") % {"code": code})
    return problems


@transaction.atomic
def user_create(
    *,
    username: str,
    role: Role,
    password: str,
    county_codes: Sequence[str] = (),
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    county_codes = list(county_codes)
    problems = user_role_problems(username=username, role=role, county_codes=county_codes)
    if problems:
        raise UserError(" ".join(problems))
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=True,
        is_active=True,
    )
    try:
        user.full_clean(exclude=["password"])
        validate_password(password, user)
    except ValidationError as error:
        raise UserError(" ".join(error.messages)) from error
    user.set_password(password)
    user.save()
    user.groups.add(ensure_role_groups()[role])
    if county_codes:
        user.counties.set(County.objects.filter(code__in=county_codes))
    return user


def user_update_notices(*, user, email: str, notify_steps: bool, notify_reminders: bool) -> None:
    """A user's own address and choice of e-mail (the profile page)."""
    user.email = email
    user.notify_steps = notify_steps
    user.notify_reminders = notify_reminders
    user.save(update_fields=["email", "notify_steps", "notify_reminders"])
