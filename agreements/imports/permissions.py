"""Who may import into which county, asked of core.access (the one door)."""

from agreements.models import County
from core import access


def may_import(user, county: County) -> bool:
    """Administrators import anywhere; a coordinator into their own counties; nobody else."""
    return access.is_administrator(user) or access.is_coordinator_of(user, county.pk)


def importable_counties(user):
    """The counties ``user`` may import into (none for reviewers and users without a role)."""
    if not (access.is_administrator(user) or access.is_coordinator(user)):
        return County.objects.none()
    return access.choosable(County.objects.all(), user)
