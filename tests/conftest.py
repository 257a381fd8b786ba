import pytest


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin", email="admin@example.invalid", password="not-a-real-password"
    )


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client
