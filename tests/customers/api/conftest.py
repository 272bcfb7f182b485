from decimal import Decimal

import pytest

from customers.services.keys import key_issue
from tests.customers.accounts import make_customer, make_offer
from tests.factories import make_service


@pytest.fixture
def customer(db):
    return make_customer("100")


@pytest.fixture
def key(customer) -> str:
    """The customer's raw API key, as they were shown it once."""
    return key_issue(customer=customer, label="shop")[1]


@pytest.fixture
def offer(db):
    """Our service over a provider's Default service: 50..10,000 at 1.50 per 1000."""
    service = make_service(rate=Decimal("0.90"), min_quantity=50, max_quantity=10_000)
    return make_offer(service, rate=Decimal("1.50"), name="Followers", category="Instagram")
