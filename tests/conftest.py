import pytest
from django.contrib.auth import get_user_model

from tests.services import CHROMIUM_ARGS, chromium_path


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


# Playwright: Debian's Chromium, since `playwright install` cannot download browsers here.
@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": chromium_path(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args():
    return {"viewport": {"width": 1280, "height": 800}}
