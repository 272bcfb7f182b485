"""Every URL except sign-in, static files, /healthz and our API v2 needs a signed-in staff
user."""

import pytest
from django.contrib.auth import get_user_model

from tests.security.urls import all_paths

# Sign-in and sign-out (ours and the admin's), and the health check for load balancers.
PUBLIC = {"/login/", "/logout/", "/admin/login/", "/admin/logout/", "/healthz"}
# Our API v2 for customers: the key in the form is its sign-in (tests/customers/api/).
PUBLIC |= {"/api/v2", "/api/v2/"}
# The built-in simulator stands in for an upstream provider in the embedded demo: it speaks
# the provider protocol (key in the form), and is not mounted when DEBUG is off.
PROVIDER_STAND_IN = "/simulator/"


def guarded_paths():
    return [
        (path, name)
        for path, name in all_paths()
        if path not in PUBLIC and not path.startswith(PROVIDER_STAND_IN)
    ]


def test_the_url_configuration_is_enumerated():
    names = {name for _, name in guarded_paths()}
    assert {"home", "order_list", "order_detail", "order_new", "audit_log"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("path", [path for path, _ in guarded_paths()])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.post(path)
    assert response.status_code == 302, (path, response.status_code)
    assert "login" in response["Location"], (path, response["Location"])
    # A GET is sent to sign in too, unless the URL only takes POST (it then says so).
    response = client.get(path)
    assert response.status_code in (302, 405), (path, response.status_code)
    if response.status_code == 302:
        assert "login" in response["Location"], (path, response["Location"])


@pytest.mark.django_db
@pytest.mark.parametrize("path", [p for p, _ in guarded_paths() if not p.startswith("/admin/")])
def test_signed_in_users_who_are_not_staff_are_refused(client, path):
    user = get_user_model().objects.create_user(username="customer", password="x")
    client.force_login(user)
    for method in (client.get, client.post):
        assert method(path).status_code in (403, 404, 405), path


def test_the_simulator_is_not_served_when_debug_is_off(tmp_path):
    import os
    import subprocess
    import sys

    from tests.test_settings import PRODUCTION, ROOT

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    show = "from django.urls import resolve; resolve('/simulator/api/v2')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", show],
        cwd=ROOT,
        env=env | PRODUCTION | {"VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Resolver404" in result.stderr
