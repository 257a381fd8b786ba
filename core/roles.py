"""The three roles, as groups with model permissions.

Which county a coordinator may touch is a separate assignment (User.counties); the groups
only say what kind of thing each role may do.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "Regional samordnare", _("Regional samordnare")
    REVIEWER = "Departementets handläggare", _("Departementets handläggare")
    ADMINISTRATOR = "Administratör", _("Administratör")


# The roles by the names operators type (python manage.py create_user … --role reviewer).
BY_NAME = {
    "coordinator": Role.COORDINATOR,
    "reviewer": Role.REVIEWER,
    "administrator": Role.ADMINISTRATOR,
}

ALL = ("add", "change", "delete", "view")
VIEW = ("view",)


def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Role → (model label, action) pairs, from what each model is (``core.access`` scopes):
    a county's rows are the coordinators' to write and the ministry's to read; shared data is
    read by all and kept by administrators; organisations are kept by coordinators too; the
    ministry writes its conclusions; rows the system writes (review events) are read only."""
    from core.access import scopes  # the scopes are declared once the apps are ready

    wanted: dict[str, list[tuple[str, str]]] = {role: [] for role in Role}
    for label, scope in scopes().items():
        coordinator: tuple[str, ...]
        reviewer: tuple[str, ...]
        administrator: tuple[str, ...]
        if scope.read_only:
            coordinator, reviewer, administrator = VIEW, VIEW, VIEW
        elif scope.written_by_reviewers:
            coordinator, reviewer, administrator = VIEW, ALL, ALL
        elif scope.kept_by_county:
            coordinator, reviewer, administrator = ("add", "change", "view"), VIEW, ALL
        elif scope.shared:
            coordinator, reviewer, administrator = VIEW, VIEW, ALL
        else:  # a county's register or report
            coordinator, reviewer, administrator = ALL, VIEW, ALL
        for role, actions in (
            (Role.COORDINATOR, coordinator),
            (Role.REVIEWER, reviewer),
            (Role.ADMINISTRATOR, administrator),
        ):
            wanted[role] += [(label, action) for action in actions]
    wanted[Role.ADMINISTRATOR] += [
        *((settings.AUTH_USER_MODEL.lower(), action) for action in ALL),
        ("auth.group", "view"),
        # Unlocking a locked-out user: delete the access attempt.
        ("axes.accessattempt", "view"),
        ("axes.accessattempt", "delete"),
        ("axes.accesslog", "view"),
        ("axes.accessfailurelog", "view"),
        # Everyone's API tokens (never the token itself): revoking one that has leaked.
        ("followup.apitoken", "view"),
        ("followup.apitoken", "change"),
        ("followup.apithrottlewindow", "view"),
    ]
    return wanted


def ensure_role_groups() -> dict:
    """Create or update the three groups so they hold exactly the permissions above."""
    from django.contrib.auth.models import Group, Permission

    groups = {}
    for role, pairs in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for label, action in pairs:
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


def sync_role_groups(sender=None, apps=None, **kwargs) -> None:
    """post_migrate receiver: after the last app has migrated (every app's permissions exist by
    then), the three groups are created or brought back to their permissions — so a fresh
    deployment has its roles after a bare ``migrate``, and every later migrate keeps them."""
    from django.apps import apps as global_apps

    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    if sender is not with_models[-1]:  # post_migrate is sent once per app with models
        return
    if apps is not None:
        try:  # migrated backwards past auth's tables: nothing to keep
            apps.get_model("auth", "Group")
        except LookupError:
            return
    ensure_role_groups()
