"""Our services: listed beside their provider services with cost and margin, made from a
provider service with its defaults, kept within its limits, taken off and put back on sale."""

from decimal import Decimal

import pytest
from django.utils import timezone

from customers.models import Offer
from customers.services.offers import LOSING
from orders.models import AuditEntry
from tests.customers.accounts import make_offer
from tests.factories import make_provider, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    provider = make_provider(name="Fast panel", default_markup_value=Decimal(50))
    return make_service(
        provider,
        name="IG Followers HQ",
        category="Instagram",
        rate=Decimal("0.80"),
        min_quantity=100,
        max_quantity=5000,
        description="Real-looking accounts.",
    )


def offer_data(service, **overrides) -> dict:
    data = {
        "service": service.pk,
        "name": "Instagram followers",
        "category": "Instagram",
        "description": "",
        "rate": "1.20",
        "min_quantity": "100",
        "max_quantity": "5000",
    }
    return data | overrides


def row_of(page: str, offer: Offer) -> str:
    start = page.index(f'data-offer="{offer.pk}"')
    return page[start : page.index("</tr>", start)]


def test_the_list_shows_cost_our_rate_and_margin(client_as, viewer, service):
    offer = make_offer(service, rate=Decimal("1.00"))
    row = row_of(client_as(viewer).get("/customers/services/").content.decode(), offer)
    assert "0.80 USD" in row and "1.00 USD" in row and "20.0%" in row
    assert "Fast panel" in row and f"#{service.upstream_id}" in row
    assert "100 – 5,000" in row


def test_an_offer_the_sync_took_off_sale_says_why(client_as, viewer, service):
    offer = make_offer(service, enabled=False, disabled_reason=LOSING, disabled_at=timezone.now())
    row = row_of(client_as(viewer).get("/customers/services/").content.decode(), offer)
    assert f'<div class="disabled-reason" role="note">{LOSING}'.replace("'", "&#x27;") in row
    assert "Put on sale" not in row  # a viewer only looks


def test_a_new_offer_starts_from_the_provider_services_figures(client_as, admin_user, service):
    client = client_as(admin_user)
    found = client.get("/customers/services/new/?q=HQ").content.decode()
    assert f'href="/customers/services/new/?service={service.pk}"' in found
    page = client.get(f"/customers/services/new/?service={service.pk}").content.decode()
    for value in ('value="IG Followers HQ"', 'value="Instagram"', 'value="1.2"'):
        assert value in page  # the rate defaults to the catalogue's selling rate (+50%)
    assert 'name="min_quantity" value="100"' in page
    assert 'name="max_quantity" value="5000"' in page
    assert "Real-looking accounts." in page


def test_an_admin_puts_a_provider_service_on_sale(client_as, admin_user, service):
    response = client_as(admin_user).post("/customers/services/new/", offer_data(service))
    offer = Offer.objects.get()
    assert response["Location"] == "/customers/services/"
    assert (offer.service, offer.rate, offer.enabled) == (service, Decimal("1.2"), True)
    assert AuditEntry.objects.filter(action="our service added").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("min_quantity", "99", "At least the provider&#x27;s minimum, 100."),
        ("max_quantity", "5001", "At most the provider&#x27;s maximum, 5000."),
        ("max_quantity", "150", ""),
        ("rate", "0.79", "Below the provider&#x27;s rate (0.80 USD): every order would lose"),
        ("rate", "0", "Enter a rate above zero."),
        ("rate", "1e3", "Enter an amount as digits with an optional point"),
        ("name", "", "This field is required."),
    ],
)
def test_each_wrong_field_is_named_beside_it(client_as, admin_user, service, field, value, message):
    data = offer_data(service, **{field: value})
    if field == "max_quantity" and value == "150":
        data["min_quantity"], message = "200", "Must not be below the minimum."
    response = client_as(admin_user).post("/customers/services/new/", data)
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}' in html
    assert not Offer.objects.exists()


def test_an_edit_keeps_the_limits_within_the_providers(client_as, admin_user, service):
    offer = make_offer(service)
    client = client_as(admin_user)
    refused = client.post(
        f"/customers/services/{offer.pk}/", offer_data(service, max_quantity="9000")
    )
    assert "At most the provider&#x27;s maximum, 5000." in refused.content.decode()
    client.post(
        f"/customers/services/{offer.pk}/", offer_data(service, rate="2", min_quantity="500")
    )
    offer.refresh_from_db()
    assert (offer.rate, offer.min_quantity, offer.max_quantity) == (Decimal(2), 500, 5000)


def test_putting_an_offer_back_on_sale_clears_the_syncs_reason(client_as, admin_user, service):
    offer = make_offer(service, enabled=False, disabled_reason=LOSING, disabled_at=timezone.now())
    response = client_as(admin_user).post(
        f"/customers/services/{offer.pk}/enabled/", {"enabled": "1"}, follow=True
    )
    offer.refresh_from_db()
    assert (offer.enabled, offer.disabled_reason, offer.disabled_at) == (True, "", None)
    assert f"{offer} is now on sale." in response.content.decode()


def test_keeping_an_offer_off_sale_takes_it_out_of_needs_a_person(client_as, admin_user, service):
    offer = make_offer(service, enabled=False, disabled_reason=LOSING, disabled_at=timezone.now())
    client = client_as(admin_user)
    listed = client.get("/customers/services/").content.decode()
    assert "Keep off sale" in listed
    assert LOSING in client.get("/").content.decode()
    client.post(f"/customers/services/{offer.pk}/enabled/", {"enabled": "0"})
    offer.refresh_from_db()
    assert (offer.enabled, offer.disabled_reason) == (False, "")
    assert LOSING not in client.get("/").content.decode()
    assert "Keep off sale" not in client.get("/customers/services/").content.decode()


def test_taking_off_sale_twice_leaves_it_off(client_as, admin_user, service):
    offer = make_offer(service)
    client = client_as(admin_user)
    for _ in range(2):
        client.post(f"/customers/services/{offer.pk}/enabled/", {"enabled": "0"})
    offer.refresh_from_db()
    assert offer.enabled is False and offer.disabled_at is not None


def test_an_offer_over_a_gone_service_or_below_cost_stays_off(client_as, admin_user, service):
    below = make_offer(service, rate=Decimal("0.5"), enabled=False)
    gone_service = make_service(service.provider, removed_at=timezone.now())
    gone = make_offer(gone_service, enabled=False)
    client = client_as(admin_user)
    first = client.post(f"/customers/services/{below.pk}/enabled/", {"enabled": "1"}, follow=True)
    assert "its rate is below the provider&#x27;s; raise it first." in first.content.decode()
    second = client.post(f"/customers/services/{gone.pk}/enabled/", {"enabled": "1"}, follow=True)
    assert "removed from the provider&#x27;s catalogue" in second.content.decode()
    assert not Offer.objects.filter(enabled=True).exists()


def test_only_admins_write_our_services(client_as, operator, viewer, service):
    offer = make_offer(service)
    for user in (operator, viewer):
        client = client_as(user)
        assert client.get("/customers/services/").status_code == 200
        assert client.get("/customers/services/new/").status_code == 403
        assert client.post("/customers/services/new/", offer_data(service)).status_code == 403
        assert (
            client.post(f"/customers/services/{offer.pk}/", offer_data(service)).status_code == 403
        )
        response = client.post(f"/customers/services/{offer.pk}/enabled/", {"enabled": "0"})
        assert response.status_code == 403
    assert Offer.objects.get().enabled is True
