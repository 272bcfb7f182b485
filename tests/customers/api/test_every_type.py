"""Every order type of the protocol can be bought through our API and is placed upstream."""

import pytest

from customers.selectors.account import customer_balance
from customers.services.keys import key_issue
from orders.models import LocalState, Order
from simulator import log
from tests.customers.accounts import make_customer, make_offer
from tests.customers.api.client import answer
from tests.customers.api.upstream import submit
from tests.engine.orders_of_every_type import valid_params

pytestmark = pytest.mark.django_db

SEED_TYPES = [
    "Default",
    "Package",
    "SEO",
    "Custom Comments",
    "Mentions",
    "Mentions Custom List",
    "Mentions User Followers",
    "Mentions Media Likers",
    "Subscriptions",
    "Web Traffic",
    "Custom Comments Package",
    "Comment Likes",
    "Poll",
    "Comment Replies",
    "Invites from Groups",
]


@pytest.mark.parametrize("type_name", SEED_TYPES)
def test_an_order_of_each_type_is_taken_charged_and_placed(client, sim, catalogue, type_name):
    customer = make_customer("10000")
    _, key = key_issue(customer=customer)
    offer = make_offer(catalogue[type_name])
    params = valid_params(offer.service)
    if type_name == "Subscriptions":
        params["posts"] = 3  # paid up front: how many posts it covers
    reply = answer(client, key, "add", service=offer.pk, **params)
    order = Order.objects.get(pk=reply["order"])
    assert (order.customer, order.order_type) == (customer, type_name)
    assert customer_balance(customer.pk) < 10000
    submit(order.pk)
    assert Order.objects.get(pk=order.pk).state == LocalState.PLACED
    status = answer(client, key, "status", order=order.pk)
    assert status["status"] in {"Pending", "In progress"}
    assert status["currency"] == "USD"
    assert log.calls("status").count() == 0  # answered from our records alone
