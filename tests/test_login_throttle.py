import pytest

pytestmark = pytest.mark.django_db


def sign_in(client, password):
    return client.post("/login/", {"username": "alice", "password": password})


def test_sign_in_is_locked_after_five_failures_even_with_the_right_password(
    client, staff_user, staff_password
):
    for _ in range(4):
        assert sign_in(client, "wrong").status_code == 200
    assert sign_in(client, "wrong").status_code == 429  # the fifth failure locks
    locked = sign_in(client, staff_password)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_clears_the_failures(client, staff_user, staff_password):
    for _ in range(4):
        sign_in(client, "wrong")
    assert sign_in(client, staff_password).status_code == 302
    client.post("/logout/")
    for _ in range(4):
        sign_in(client, "wrong")
    assert sign_in(client, staff_password).status_code == 302
