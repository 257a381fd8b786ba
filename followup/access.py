"""Who is who: the one place that answers role questions about a user.

Roles are groups (followup.roles.Role); a coordinator's counties are User.counties.
"""

from followup.roles import Role


def _role_names(user) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_followup_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._followup_roles = cached
    return cached


def is_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser) or (
        Role.ADMINISTRATOR in _role_names(user)
    )


def is_reviewer(user) -> bool:
    return Role.REVIEWER in _role_names(user)


def coordinated_county_ids(user) -> frozenset[int]:
    """The counties this user keeps as regional coordinator (empty for everyone else)."""
    if Role.COORDINATOR not in _role_names(user):
        return frozenset()
    cached = getattr(user, "_followup_county_ids", None)
    if cached is None:
        cached = frozenset(user.counties.values_list("pk", flat=True))
        user._followup_county_ids = cached
    return cached


def is_coordinator_of(user, county_id: int) -> bool:
    return county_id in coordinated_county_ids(user)
