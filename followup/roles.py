"""The three roles, as groups with model permissions.

Which county a coordinator may touch is a separate assignment (User.counties); the groups
only say what kind of thing each role may do.
"""

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _

REGISTER_MODELS = [
    "agreements.agreement",
    "agreements.priorityarea",
    "agreements.measure",
    "agreements.financialframe",
    "agreements.partnership",
    "agreements.partnershipmember",
    "agreements.project",
    "agreements.financingline",
    "agreements.cluster",
    "agreements.clusteractor",
    "agreements.clusterlink",
]
SHARED_MODELS = [
    "agreements.county",
    "agreements.municipality",
    "agreements.organisationkind",
    "agreements.financingsource",
    "followup.theme",
    "followup.followupround",
]
REPORT_MODELS = ["followup.countyreport", "followup.observation"]


class Role(models.TextChoices):
    COORDINATOR = "Regional samordnare", _("Regional samordnare")
    REVIEWER = "Departementets handläggare", _("Departementets handläggare")
    ADMINISTRATOR = "Administratör", _("Administratör")


def _perms(labels: list[str], actions: tuple[str, ...]) -> list[str]:
    return [f"{label}:{action}" for label in labels for action in actions]


ALL = ("add", "change", "delete", "view")

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COORDINATOR: (
        _perms(REGISTER_MODELS + REPORT_MODELS, ALL)
        + _perms(["agreements.organisation"], ("add", "change", "view"))
        + _perms(SHARED_MODELS + ["followup.nationalconclusion", "followup.reviewevent"], ("view",))
    ),
    Role.REVIEWER: (
        _perms(REGISTER_MODELS + REPORT_MODELS + SHARED_MODELS, ("view",))
        + _perms(["agreements.organisation", "followup.reviewevent"], ("view",))
        + _perms(["followup.nationalconclusion"], ALL)
    ),
    Role.ADMINISTRATOR: (
        _perms(REGISTER_MODELS + REPORT_MODELS + SHARED_MODELS, ALL)
        + _perms(["agreements.organisation", "followup.nationalconclusion", "followup.user"], ALL)
        + _perms(["auth.group", "followup.reviewevent"], ("view",))
        # Unlocking a locked-out user: delete the access attempt.
        + _perms(["axes.accessattempt"], ("view", "delete"))
        + _perms(["axes.accesslog", "axes.accessfailurelog"], ("view",))
    ),
}


def ensure_role_groups() -> dict[str, Group]:
    """Create or update the three groups so they hold exactly the permissions above."""
    groups = {}
    for role, specs in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for spec in specs:
            label, action = spec.split(":")
            app_label, model = label.split(".")
            wanted.append((app_label, f"{action}_{model}"))
        query = models.Q()
        for app_label, codename in wanted:
            query |= models.Q(content_type__app_label=app_label, codename=codename)
        permissions = list(Permission.objects.filter(query))
        if len(permissions) != len(wanted):
            found = {(p.content_type.app_label, p.codename) for p in permissions}
            missing = sorted(set(wanted) - found)
            raise RuntimeError(f"Permissions missing for role {role}: {missing}")
        group.permissions.set(permissions)
        groups[role] = group
    return groups
