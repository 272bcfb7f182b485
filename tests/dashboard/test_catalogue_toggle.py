"""Enabling and disabling a service for ordering: admins only, and idempotent."""

import pytest

from tests.factories import make_service

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_an_admin_disables_a_service_and_gets_its_row_back(client_as, admin_user):
    service = make_service(enabled=True)
    response = client_as(admin_user).post(
        f"/catalogue/{service.pk}/enabled/", {"enabled": "0"}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="service-{service.pk}"')
    assert 'aria-checked="false"' in html
    service.refresh_from_db()
    assert not service.enabled


def test_the_button_sets_the_state_it_showed_so_a_double_click_does_not_undo_it(
    client_as, admin_user
):
    service = make_service(enabled=True)
    client = client_as(admin_user)
    for _ in range(2):
        client.post(f"/catalogue/{service.pk}/enabled/", {"enabled": "0"}, headers=HTMX)
    service.refresh_from_db()
    assert not service.enabled


def test_without_htmx_it_goes_back_to_the_list_with_a_message(client_as, admin_user):
    service = make_service(enabled=False, name="Slow likes")
    response = client_as(admin_user).post(
        f"/catalogue/{service.pk}/enabled/",
        {"enabled": "1", "next": "/catalogue/?q=slow"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/catalogue/?q=slow"
    assert "Slow likes is now enabled." in response.content.decode()


def test_an_outside_next_address_is_not_followed(client_as, admin_user):
    service = make_service()
    response = client_as(admin_user).post(
        f"/catalogue/{service.pk}/enabled/", {"enabled": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/catalogue/"


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_viewers_and_operators_may_not_switch_services(client_as, role, request):
    service = make_service(enabled=True)
    user = request.getfixturevalue(role)
    response = client_as(user).post(f"/catalogue/{service.pk}/enabled/", {"enabled": "0"})
    assert response.status_code == 403
    service.refresh_from_db()
    assert service.enabled


def test_switching_needs_a_post(client_as, admin_user):
    service = make_service()
    assert client_as(admin_user).get(f"/catalogue/{service.pk}/enabled/").status_code == 405


def test_an_unknown_service_is_not_found(client_as, admin_user):
    assert client_as(admin_user).post("/catalogue/999999/enabled/").status_code == 404
