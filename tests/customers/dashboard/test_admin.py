"""Customers in the Django admin: customers, price groups and our services editable; keys
revoked but never shown; the account read-only."""

from decimal import Decimal

import pytest
from django.utils import timezone

from customers.models import AccountEntry, ApiKey, Customer, Offer
from customers.selectors.keys import key_lookup
from customers.services.keys import key_issue
from tests.customers.accounts import make_customer, make_offer
from tests.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    boss = django_user_model.objects.create_superuser(username="boss", password="x-987654321")
    client.force_login(boss)
    return client


def test_a_customer_is_added_and_edited_in_the_admin(admin_client):
    data = {"name": "Acme", "currency": "USD", "rate_limit_per_minute": "60", "active": "on"}
    response = admin_client.post("/admin/customers/customer/add/", data)
    assert response.status_code == 302
    assert Customer.objects.get().rate_limit_per_minute == 60


def test_a_funded_customers_currency_is_read_only_in_the_admin(admin_client):
    customer = make_customer("5")
    page = admin_client.get(f"/admin/customers/customer/{customer.pk}/change/").content.decode()
    assert 'name="currency"' not in page
    assert 'name="name"' in page


def test_the_account_can_only_be_looked_at(admin_client):
    customer = make_customer("5")
    entry = AccountEntry.objects.get()
    assert admin_client.get("/admin/customers/accountentry/").status_code == 200
    assert admin_client.get("/admin/customers/accountentry/add/").status_code == 403
    page = admin_client.get(f"/admin/customers/accountentry/{entry.pk}/change/").content.decode()
    assert 'name="amount"' not in page and "Delete" not in page
    assert admin_client.post(f"/admin/customers/accountentry/{entry.pk}/delete/").status_code == 403
    assert AccountEntry.objects.filter(customer=customer).count() == 1


def test_keys_are_revoked_from_the_admin_and_never_added_or_shown(admin_client):
    key, raw = key_issue(customer=make_customer())
    assert admin_client.get("/admin/customers/apikey/add/").status_code == 403
    page = admin_client.get(f"/admin/customers/apikey/{key.pk}/change/").content.decode()
    assert key.digest not in page and 'name="label"' not in page
    response = admin_client.post(
        "/admin/customers/apikey/", {"action": "revoke_keys", "_selected_action": [key.pk]}
    )
    assert response.status_code == 302
    assert key_lookup(raw) is None


def test_keys_cannot_be_filtered_by_their_digest(admin_client):
    key, _ = key_issue(customer=make_customer())
    response = admin_client.get(f"/admin/customers/apikey/?digest__startswith={key.digest[:1]}")
    assert response.status_code == 400  # the admin refuses the lookup
    assert ApiKey.objects.count() == 1


def test_an_offer_below_cost_is_refused_in_the_admin_too(admin_client):
    service = make_service(rate=Decimal("0.80"), min_quantity=100, max_quantity=5000)
    data = {
        "service": service.pk,
        "name": "Ours",
        "rate": "0.5",
        "min_quantity": "100",
        "max_quantity": "5000",
        "enabled": "on",
    }
    page = admin_client.post("/admin/customers/offer/add/", data).content.decode()
    assert "Below the provider&#x27;s rate (0.80 USD)" in page
    assert not Offer.objects.exists()
    data["rate"] = "1.5"
    assert admin_client.post("/admin/customers/offer/add/", data).status_code == 302
    admin_client.post("/admin/customers/offer/add/", data | {"service": ""})  # no 500
    assert Offer.objects.count() == 1


def test_enabling_an_offer_in_the_admin_clears_the_syncs_reason(admin_client):
    offer = make_offer(
        make_service(), enabled=False, disabled_reason="gone", disabled_at=timezone.now()
    )
    data = {
        "name": offer.name,
        "category": offer.category,
        "description": "",
        "rate": str(offer.rate),
        "min_quantity": offer.min_quantity,
        "max_quantity": offer.max_quantity,
        "enabled": "on",
    }
    response = admin_client.post(f"/admin/customers/offer/{offer.pk}/change/", data)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.enabled, offer.disabled_reason, offer.disabled_at) == (True, "", None)
