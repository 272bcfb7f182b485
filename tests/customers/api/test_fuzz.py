"""Whatever a client sends, the answer is JSON with HTTP 200 or 429, and no bug of ours was
hidden behind it (the endpoint logs any exception it turned into an answer)."""

import logging
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customers.services.keys import key_issue
from orders.models import LocalState, Status
from tests.customers.accounts import make_customer, make_offer
from tests.customers.api.client import API
from tests.factories import make_order, make_service

pytestmark = pytest.mark.django_db

ACTIONS = ["services", "add", "status", "refill", "refill_status", "cancel", "balance"]
FIELDS = [
    "service",
    "link",
    "quantity",
    "runs",
    "interval",
    "order",
    "orders",
    "refill",
    "refills",
    "comments",
    "usernames",
    "username",
    "min",
    "max",
    "posts",
    "delay",
    "expiry",
    "country",
    "device",
    "type_of_traffic",
    "answer_number",
]
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
ids = st.lists(st.one_of(st.integers(-5, 10**20).map(str), text), max_size=120).map(",".join)
values = st.one_of(
    text,
    ids,
    st.integers(-(10**19), 10**19).map(str),
    st.sampled_from(["1", "50", "1000", "https://x.test/p", "1e309", "NaN", " ", "\n"]),
)


@pytest.fixture
def world(db):
    """A customer with a key, one order of each kind of state, and an offer to order."""
    customer = make_customer("1000", rate_limit_per_minute=1_000_000)
    _, key = key_issue(customer=customer)
    service = make_service(rate=Decimal("0.9"), min_quantity=1, max_quantity=10_000)
    offer = make_offer(service)
    for state, status in [(LocalState.PLACED, Status.COMPLETED), (LocalState.QUEUED, "")]:
        make_order(service, customer=customer, state=state, status=status)
    return key, str(offer.pk)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_answer_is_json_with_200_or_429(client, world, caplog, data):
    key, offer_id = world
    form = {
        "key": data.draw(st.sampled_from([key, "", "wrong", key + "x"]), "key"),
        "action": data.draw(st.one_of(st.sampled_from(ACTIONS), text), "action"),
    }
    form |= data.draw(st.dictionaries(st.sampled_from(FIELDS), values, max_size=6), "fields")
    if data.draw(st.booleans(), "our service"):
        form["service"] = offer_id
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="customers.api"):
        response = client.post(API, urlencode(form), "application/x-www-form-urlencoded")
    assert response.status_code in (200, 429)
    assert response["Content-Type"] == "application/json"
    response.json()
    assert not [r for r in caplog.records if r.name.startswith("customers.api")]
