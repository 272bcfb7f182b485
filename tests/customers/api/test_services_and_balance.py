"""`services` lists our services at the customer's price; `balance` their account."""

from decimal import Decimal

import pytest

from customers.services.account import funds_add
from customers.services.keys import key_issue
from tests.customers.accounts import make_customer, make_group, make_offer
from tests.customers.api.client import answer
from tests.factories import make_provider, make_service

pytestmark = pytest.mark.django_db


def test_services_are_listed_in_the_seeds_shape(client, key, offer):
    offer.description = "Real-looking profiles"
    offer.save()
    assert answer(client, key, "services") == [
        {
            "service": offer.pk,
            "name": "Followers",
            "type": "Default",
            "category": "Instagram",
            "rate": "1.5",
            "min": "50",
            "max": "10000",
            "refill": True,
            "cancel": True,
            "dripfeed": False,
            "desc": "Real-looking profiles",
        }
    ]


def test_a_customers_price_group_sets_the_rate_they_see(client, offer):
    customer = make_customer("0", price_group=make_group("-10"))
    _, key = key_issue(customer=customer)
    [service] = answer(client, key, "services")
    assert service["rate"] == "1.35"


def test_disabled_services_and_other_currencies_are_not_listed(client, key, offer):
    make_offer(make_service(), enabled=False)
    make_offer(make_service(make_provider(currency="EUR")))
    make_offer(make_service(enabled=False))
    assert [s["service"] for s in answer(client, key, "services")] == [offer.pk]


def test_the_balance_is_given_with_five_decimals_in_the_customers_currency(client):
    customer = make_customer("100.842926", currency="EUR")
    _, key = key_issue(customer=customer)
    assert answer(client, key, "balance") == {"balance": "100.84292", "currency": "EUR"}
    funds_add(customer=customer, amount=Decimal("0.5"), reason="bonus", actor=None)
    assert answer(client, key, "balance")["balance"] == "101.34292"
