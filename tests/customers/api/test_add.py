"""`add` takes an order for our service, charges the customer and answers its id; a refused
one answers the seed's text and leaves the balance as it was."""

from decimal import Decimal

import pytest

from customers.selectors.account import customer_balance
from orders.models import LocalState, Order
from tests.customers.accounts import make_offer
from tests.customers.api.client import answer
from tests.factories import make_service

pytestmark = pytest.mark.django_db
LINK = "https://instagram.com/p/abc"


def test_an_order_is_taken_charged_and_queued_for_the_provider(client, customer, key, offer):
    reply = answer(client, key, "add", service=offer.pk, link=LINK, quantity=1000)
    order = Order.objects.get()
    assert reply == {"order": order.pk}
    assert (order.customer, order.state, order.link) == (customer, LocalState.QUEUED, LINK)
    assert customer_balance(customer.pk) == Decimal("98.5")  # 1000 at 1.50 per 1000


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"service": "999999"}, "Incorrect service ID"),
        ({"service": "abc"}, "Incorrect service ID"),
        ({"service": ""}, "Incorrect service ID"),
        ({"link": "mailto:me@example.com"}, "Incorrect link"),
        ({"link": ""}, "Incorrect link"),
        ({"quantity": "ten"}, "Incorrect quantity"),
        ({"quantity": ""}, "Incorrect quantity"),
        ({"quantity": "49"}, "Quantity less than minimal 50"),
        ({"quantity": "10001"}, "Quantity more than maximum 10000"),
        ({"quantity": "-5"}, "Quantity less than minimal 50"),
        ({"runs": "3", "interval": "10"}, "Drip-feed is disabled for this service"),
    ],
)
def test_a_refused_order_answers_the_seeds_text_and_costs_nothing(
    client, customer, key, offer, fields, text
):
    form = {"service": offer.pk, "link": LINK, "quantity": 100} | fields
    assert answer(client, key, "add", **form) == {"error": text}
    assert not Order.objects.exists()
    assert customer_balance(customer.pk) == Decimal("100")


def test_runs_that_add_up_past_the_maximum_are_refused(client, key):
    service = make_service(dripfeed=True, min_quantity=50, max_quantity=1000)
    offer = make_offer(service)
    form = {"service": offer.pk, "link": LINK, "quantity": 500, "runs": 3, "interval": 10}
    assert answer(client, key, "add", **form) == {"error": "Quantity more than maximum 1000"}


def test_our_bounds_not_the_providers_are_the_ones_quoted(client, key):
    offer = make_offer(make_service(min_quantity=10, max_quantity=10_000), min_quantity=100)
    form = {"service": offer.pk, "link": LINK, "quantity": 50}
    assert answer(client, key, "add", **form) == {"error": "Quantity less than minimal 100"}


def test_an_order_the_balance_cannot_pay_is_refused(client, customer, key, offer):
    form = {"service": offer.pk, "link": LINK, "quantity": 10_000}  # 15.00 of the 100
    for n in range(6):
        assert "order" in answer(client, key, "add", **(form | {"link": f"{LINK}{n}"}))
    assert answer(client, key, "add", **form) == {"error": "Not enough funds on balance"}
    assert customer_balance(customer.pk) == Decimal("10")
    assert Order.objects.count() == 6


def test_fields_a_type_does_not_take_are_ignored_as_panels_do(client, key):
    offer = make_offer(make_service(type="Package", min_quantity=1, max_quantity=1))
    reply = answer(client, key, "add", service=offer.pk, link=LINK, quantity=1000, runs="")
    assert reply == {"order": Order.objects.get().pk}


def test_custom_comments_outside_the_bounds_say_which_bound(client, key):
    offer = make_offer(make_service(type="Custom Comments", min_quantity=3, max_quantity=5))
    form = {"service": offer.pk, "link": LINK}
    reply = answer(client, key, "add", **form, comments="one\ntwo")
    assert reply == {"error": "Quantity less than minimal 3"}
    reply = answer(client, key, "add", **form, comments="\n".join("abcdef"))
    assert reply == {"error": "Quantity more than maximum 5"}
    assert answer(client, key, "add", **form, comments=" \n ") == {"error": "Incorrect comments"}


def test_a_missing_type_parameter_is_named(client, key):
    offer = make_offer(make_service(type="Poll", min_quantity=10, max_quantity=100))
    form = {"service": offer.pk, "link": LINK, "quantity": 10}
    assert answer(client, key, "add", **form) == {"error": "Incorrect answer number"}


def test_a_subscription_needs_its_posts_and_its_bounds(client, key):
    offer = make_offer(make_service(type="Subscriptions", min_quantity=10, max_quantity=100))
    form = {"service": offer.pk, "username": "someone", "min": 10, "max": 20, "delay": 0}
    assert answer(client, key, "add", **form) == {"error": "Incorrect posts"}
    reply = answer(client, key, "add", **(form | {"max": 500, "posts": 3}))
    assert reply == {"error": "Quantity more than maximum 100"}
    assert answer(client, key, "add", **(form | {"delay": 7, "posts": 3})) == {
        "error": "Incorrect delay"
    }
    assert "order" in answer(client, key, "add", **(form | {"posts": 3}))


def test_an_offer_over_a_type_we_do_not_know_cannot_be_ordered(client, key):
    offer = make_offer(make_service(type="Mystery Boost"))
    form = {"service": offer.pk, "link": LINK, "quantity": 100}
    assert answer(client, key, "add", **form) == {"error": "Incorrect service ID"}
