import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.services import CHROMIUM_ARGS, chromium_path
from tests.simulated import catalogue, default_service, provider, sim  # noqa: F401 (fixtures)


@pytest.fixture
def staff_password() -> str:
    return "correct horse battery staple"


@pytest.fixture
def staff_user(db, staff_password):
    return get_user_model().objects.create_user(
        username="alice", password=staff_password, is_staff=True
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _member_of(role: str, db):
    user = get_user_model().objects.create_user(
        username=role, password=f"{role}-password-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def viewer(db):
    return _member_of("viewer", db)


@pytest.fixture
def operator(db):
    return _member_of("operator", db)


@pytest.fixture
def admin_user(db):
    """A staff member in the admin role (not a Django superuser)."""
    return _member_of("admin", db)


@pytest.fixture
def client_as(client):
    """client_as(user): the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


# Playwright: Debian's Chromium, since `playwright install` cannot download browsers here.
@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": chromium_path(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args():
    return {"viewport": {"width": 1280, "height": 800}}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Counts kept by one test must not answer the next (the cache is process-wide)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
