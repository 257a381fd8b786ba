"""Named personas, so that every permission test is one line.

- ``coordinator_04``: regional coordinator of Södermanland
- ``coordinator_05``: regional coordinator of Östergötland
- ``reviewer``: ministry reviewer (departementets handläggare)
- ``administrator``: administrator role (not a superuser)
- ``staff_without_role``: may log in to the admin but has no role
- ``superuser``
- ``coordinator_04_reviewer``: coordinator of Södermanland *and* ministry reviewer
- ``coordinator_04_05``: coordinator of both Södermanland and Östergötland
"""

import pytest
from django.contrib.auth.models import Group

from agreements.models import County
from core.roles import Role


def _make_user(django_user_model, username, *, role=None, counties=(), **extra):
    user = django_user_model.objects.create_user(
        username=username, password="not-a-real-password", is_staff=True, **extra
    )
    if role is not None:
        user.groups.add(Group.objects.get(name=role))  # made by migrate
    if counties:
        user.counties.set(County.objects.filter(code__in=counties))
    return user


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin", email="admin@example.invalid", password="not-a-real-password"
    )


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def coordinator_04(django_user_model):
    return _make_user(django_user_model, "samordnare04", role=Role.COORDINATOR, counties=["04"])


@pytest.fixture
def coordinator_05(django_user_model):
    return _make_user(django_user_model, "samordnare05", role=Role.COORDINATOR, counties=["05"])


@pytest.fixture
def reviewer(django_user_model):
    return _make_user(django_user_model, "departementet", role=Role.REVIEWER)


@pytest.fixture
def administrator(django_user_model):
    return _make_user(django_user_model, "administratoren", role=Role.ADMINISTRATOR)


@pytest.fixture
def staff_without_role(django_user_model):
    return _make_user(django_user_model, "utanroll")


@pytest.fixture
def coordinator_04_reviewer(django_user_model):
    user = _make_user(
        django_user_model, "samordnare-och-handlaggare", role=Role.COORDINATOR, counties=["04"]
    )
    user.groups.add(Group.objects.get(name=Role.REVIEWER))
    return user


@pytest.fixture
def coordinator_04_05(django_user_model):
    return _make_user(
        django_user_model, "samordnare0405", role=Role.COORDINATOR, counties=["04", "05"]
    )


@pytest.fixture
def personas(coordinator_04, coordinator_05, reviewer, administrator, staff_without_role):
    return {
        "coordinator_04": coordinator_04,
        "coordinator_05": coordinator_05,
        "reviewer": reviewer,
        "administrator": administrator,
        "staff_without_role": staff_without_role,
    }


@pytest.fixture
def import_upload_dir(settings, tmp_path):
    """Uploaded import files wait between preview and confirmation in this test's own folder
    (the imports storage as production's default: a folder, here the test's)."""
    folder = tmp_path / "imports"
    imports = settings.STORAGES["imports"]
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {**imports, "OPTIONS": {**imports.get("OPTIONS", {}), "location": folder}},
    }
    return folder
