"""Setting a service's markup from the catalogue: validated on the server, admins only."""

from decimal import Decimal

import pytest

from orders.models import Markup
from tests.factories import make_service

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def post(client, service, headers=None, **data):
    return client.post(f"/catalogue/{service.pk}/markup/", data, headers=headers or {})


def test_a_percent_markup_is_saved_and_the_row_shows_the_new_selling_price(client_as, admin_user):
    service = make_service(rate=Decimal("2.00"))
    response = post(
        client_as(admin_user), service, HTMX, markup_kind="percent", markup_value="12.5"
    )
    html = response.content.decode()
    service.refresh_from_db()
    assert (service.markup_kind, service.markup_value) == (Markup.PERCENT, Decimal("12.5"))
    assert "Markup saved." in html
    assert 'hx-swap-oob="true"' in html and "<strong>2.25</strong>" in html


def test_a_fixed_markup_adds_to_the_rate(client_as, admin_user):
    service = make_service(rate=Decimal("2.00"))
    post(client_as(admin_user), service, HTMX, markup_kind="fixed", markup_value="0,75")
    service.refresh_from_db()
    assert service.selling_rate() == Decimal("2.75")


def test_the_provider_default_clears_the_services_own_markup(client_as, admin_user):
    service = make_service(markup_kind=Markup.FIXED, markup_value=Decimal(1))
    post(client_as(admin_user), service, HTMX, markup_kind="", markup_value="99")
    service.refresh_from_db()
    assert (service.markup_kind, service.markup_value) == ("", None)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("percent", "-1", "A markup cannot be negative."),
        ("percent", "1000.01", "At most 1000 for this kind of markup."),
        ("fixed", "10001", "At most 10000 for this kind of markup."),
        ("percent", "ten", "Enter a number, like 25 or 0.5."),
        ("percent", "", "Enter a number, like 25 or 0.5."),
        ("percent", "NaN", "Enter a number, like 25 or 0.5."),
        ("percent", "0.000001", "At most 5 decimal places."),
    ],
)
def test_a_wrong_value_is_refused_beside_the_field(client_as, admin_user, kind, value, message):
    service = make_service()
    response = post(client_as(admin_user), service, HTMX, markup_kind=kind, markup_value=value)
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps only successful answers
    assert f'<ul class="errorlist" id="markup-value-{service.pk}-errors"><li>{message}' in html
    assert 'aria-invalid="true"' in html
    service.refresh_from_db()
    assert service.markup_kind == ""


def test_an_unknown_kind_is_refused(client_as, admin_user):
    service = make_service()
    html = post(client_as(admin_user), service, HTMX, markup_kind="double").content.decode()
    assert "Select a valid choice" in html


def test_without_htmx_a_saved_markup_goes_to_the_service_page(client_as, admin_user):
    service = make_service()
    response = post(client_as(admin_user), service, markup_kind="percent", markup_value="5")
    assert response.status_code == 302 and response["Location"] == f"/catalogue/{service.pk}/"


def test_without_htmx_an_error_shows_the_full_service_page(client_as, admin_user):
    service = make_service()
    response = post(client_as(admin_user), service, markup_kind="percent", markup_value="-5")
    html = response.content.decode()
    assert "<html" in html and "A markup cannot be negative." in html


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_only_admins_set_markups(client_as, role, request):
    service = make_service()
    client = client_as(request.getfixturevalue(role))
    response = post(client, service, markup_kind="percent", markup_value="5")
    assert response.status_code == 403
