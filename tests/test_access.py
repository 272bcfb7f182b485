import pytest
from django.contrib.auth import get_user_model


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


@pytest.mark.django_db
def test_signed_in_users_who_are_not_staff_are_refused(client):
    user = get_user_model().objects.create_user(username="bob", password="x")
    client.force_login(user)
    assert client.get("/").status_code == 403


def test_staff_see_the_dashboard_shell(staff_client):
    page = staff_client.get("/").content.decode()
    assert "Signed in as alice" in page
    assert "Sign out" in page


def test_signing_in_with_the_right_password_opens_the_dashboard(client, staff_user, staff_password):
    response = client.post(
        "/login/", {"username": "alice", "password": staff_password}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Signed in as alice" in response.content.decode()


def test_a_wrong_password_says_so_and_stays_on_sign_in(client, staff_user):
    response = client.post("/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_signing_out_ends_the_session(staff_client):
    staff_client.post("/logout/")
    assert staff_client.get("/").status_code == 302


def test_pages_carry_a_content_security_policy_without_inline_scripts(staff_client):
    policy = staff_client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
