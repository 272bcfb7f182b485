"""`status` answers from our own records: the customer's price, the seed's status words, and
never a call to the provider."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.services.keys import key_issue
from customers.services.ordering import customer_order
from orders.models import ApiCall, LocalState, Order, Status
from tests.customers.accounts import make_customer
from tests.customers.api.client import answer

pytestmark = pytest.mark.django_db


def order_for(customer, offer, n=1000, **fields) -> Order:
    order = customer_order(
        customer=customer,
        offer_id=offer.pk,
        params={"link": f"https://instagram.com/p/{Order.objects.count()}", "quantity": n},
    )
    Order.objects.filter(pk=order.pk).update(**fields)
    order.refresh_from_db()
    return order


def test_one_orders_status_is_given_in_the_seeds_shape(client, customer, key, offer):
    order = order_for(
        customer,
        offer,
        state=LocalState.PLACED,
        status=Status.PARTIAL,
        start_count=3572,
        remains=157,
        charge=Decimal("0.1"),  # the provider's charge to us: never shown
    )
    assert answer(client, key, "status", order=order.pk) == {
        "charge": "1.50000",
        "start_count": "3572",
        "status": "Partial",
        "remains": "157",
        "currency": "USD",
    }


@pytest.mark.parametrize(
    ("state", "status", "text"),
    [
        (LocalState.QUEUED, "", "Pending"),
        (LocalState.SUBMITTING, "", "Pending"),
        (LocalState.UNVERIFIED, "", "Pending"),
        (LocalState.REJECTED, "", "Canceled"),
        (LocalState.NOT_PLACED, "", "Canceled"),
        (LocalState.PLACED, "", "Pending"),
        (LocalState.PLACED, Status.PENDING, "Pending"),
        (LocalState.PLACED, Status.IN_PROGRESS, "In progress"),
        (LocalState.PLACED, Status.PROCESSING, "Processing"),
        (LocalState.PLACED, Status.COMPLETED, "Completed"),
        (LocalState.PLACED, Status.PARTIAL, "Partial"),
        (LocalState.PLACED, Status.CANCELED, "Canceled"),
        (LocalState.PLACED, Status.REFUNDED, "Canceled"),
        (LocalState.PLACED, Status.FAILED, "Canceled"),
    ],
)
def test_our_states_read_as_the_seeds_status_words(
    client, customer, key, offer, state, status, text
):
    order = order_for(customer, offer, state=state, status=status)
    assert answer(client, key, "status", order=order.pk)["status"] == text


def test_an_order_never_placed_charges_nothing_and_delivers_nothing(client, customer, key, offer):
    order = order_for(customer, offer, n=400, state=LocalState.REJECTED)
    reply = answer(client, key, "status", order=order.pk)
    assert (reply["charge"], reply["remains"], reply["status"]) == ("0.00000", "400", "Canceled")


def test_many_statuses_answer_each_id_with_its_status_or_an_error(client, customer, key, offer):
    one, two = order_for(customer, offer), order_for(customer, offer, n=2000)
    reply = answer(client, key, "status", orders=f"{one.pk}, {two.pk},999999,abc,{one.pk}")
    assert list(reply) == [str(one.pk), str(two.pk), "999999", "abc"]
    assert reply[str(two.pk)]["charge"] == "3.00000"
    assert reply["999999"] == reply["abc"] == {"error": "Incorrect order ID"}


def test_another_customers_orders_are_incorrect_order_ids(client, customer, key, offer):
    theirs = order_for(make_customer("100", name="Rival"), offer)
    mine = order_for(customer, offer)
    assert answer(client, key, "status", order=theirs.pk) == {"error": "Incorrect order ID"}
    reply = answer(client, key, "status", orders=f"{theirs.pk},{mine.pk}")
    assert reply[str(theirs.pk)] == {"error": "Incorrect order ID"}
    assert reply[str(mine.pk)]["status"] == "Pending"


def test_more_than_100_ids_are_refused_whole(client, key, offer):
    ids = ",".join(str(n) for n in range(1, 102))
    assert answer(client, key, "status", orders=ids) == {"error": "Too many IDs: 100 at most"}
    assert len(answer(client, key, "status", orders=ids.rsplit(",", 1)[0])) == 100


def test_a_status_without_an_order_is_an_incorrect_request(client, key):
    assert answer(client, key, "status") == {"error": "Incorrect request"}
    assert answer(client, key, "status", orders=" , ") == {"error": "Incorrect request"}


def test_statuses_of_100_orders_take_one_query_and_no_provider_call(client, customer, key, offer):
    orders = [order_for(customer, offer, n=100, state=LocalState.PLACED) for _ in range(100)]
    ids = ",".join(str(o.pk) for o in orders)
    with CaptureQueriesContext(connection) as queries:
        reply = answer(client, key, "status", orders=ids)
    assert len(reply) == 100
    of_orders = [q["sql"] for q in queries if "orders_" in q["sql"]]
    assert len(of_orders) == 1 and "JOIN" not in of_orders[0]
    assert not ApiCall.objects.exists()


def test_a_revoked_key_sees_nothing(client, customer, offer):
    from customers.services.keys import key_revoke

    api_key, raw = key_issue(customer=customer)
    order = order_for(customer, offer)
    key_revoke(key=api_key)
    assert answer(client, raw, "status", order=order.pk) == {"error": "Invalid API key"}
