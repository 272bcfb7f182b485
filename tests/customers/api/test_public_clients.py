"""Two public API v2 client packages, used unchanged against our endpoint on a live server:
every action each offers works, and our errors reach their users as errors."""

import gc
from decimal import Decimal

import pytest
import smmpy
from smm import SMM, SMMAPIError

from customers.selectors.account import customer_balance
from orders.models import Refill
from tests.customers.accounts import make_offer
from tests.customers.api.upstream import submit
from tests.engine.test_polling import TEN_DAYS, poll

pytestmark = pytest.mark.django_db(transaction=True)
CLIENTS = {"babismm": SMM, "smmpy": smmpy.smm}


@pytest.fixture(params=sorted(CLIENTS))
def package(request):
    return request.param


@pytest.fixture
def connect(live_server, package):
    """connect(key): the package's client for our API on the live server."""
    made = []

    def make(key: str):
        made.append(CLIENTS[package](f"{live_server.url}/api/v2", key))
        return made[-1]

    yield make
    for client in made:
        if hasattr(client, "close"):  # babismm keeps its connection open between calls
            client.close()
    # Responses a caught error still refers to hold their connection open too, and with it
    # the live server's thread and its database session.
    gc.collect()


@pytest.fixture
def api(connect, key):
    return connect(key)


def test_every_action_of_the_client_works_against_our_api(
    api, sim, provider, default_service, customer
):
    offer = make_offer(default_service)
    [listed] = api.get_services()
    assert (listed["service"], listed["rate"], listed["min"]) == (offer.pk, "1.35", "50")
    assert api.get_balance() == {"balance": "100.00000", "currency": "USD"}

    first, second, third = (
        api.add_order(offer.pk, f"https://instagram.com/p/client{n}", 1000)["order"]
        for n in range(3)
    )
    for order_id in (first, second, third):
        submit(order_id)
    assert customer_balance(customer.pk) == Decimal("95.95")  # 3 × 1000 at 1.35
    assert api.get_status(first)["status"] == "Pending"
    many = api.get_multi_status([first, second, 999999])
    assert many[str(second)]["charge"] == "1.35000"
    assert many["999999"] == {"error": "Incorrect order ID"}

    assert api.cancel_orders([third, 999999]) == [
        {"order": third, "cancel": 1},
        {"order": 999999, "cancel": {"error": "Incorrect order ID"}},
    ]
    settle(sim, provider)
    assert api.get_status(third)["status"] in {"Canceled", "Partial"}
    assert api.get_status(first)["status"] == "Completed"

    one = api.create_refill(first)["refill"]
    [other] = api.create_multi_refill([second])
    assert other["order"] == second
    assert {int(one), other["refill"]} == set(Refill.objects.values_list("pk", flat=True))
    assert api.get_refill_status(one) == {"status": "Pending"}
    statuses = api.get_multi_refill_status([other["refill"], 424242])
    assert statuses == [
        {"refill": other["refill"], "status": "Pending"},
        {"refill": 424242, "status": {"error": "Refill not found"}},
    ]


def test_our_error_texts_reach_the_clients_user_as_errors(api, package, offer):
    assert refusal(package, api.add_order, 999999, "https://x.test/p", 100) == (
        "Incorrect service ID"
    )
    assert refusal(package, api.add_order, offer.pk, "https://x.test/p", 10) == (
        "Quantity less than minimal 50"
    )
    assert refusal(package, api.get_status, 123456) == "Incorrect order ID"
    assert refusal(package, api.get_refill_status, 123456) == "Refill not found"


def test_a_wrong_key_is_an_error_for_the_client(connect, package, db):
    api = connect("not-our-key")
    assert refusal(package, api.get_balance) == "Invalid API key"


def refusal(package: str, method, *args) -> str:
    """The error a client raised for our answer: babismm's own SMMAPIError, smmpy's plain
    Exception."""
    with pytest.raises(SMMAPIError if package == "babismm" else Exception) as raised:
        method(*args)
    return str(raised.value)


def settle(sim, provider) -> None:
    """Time passes upstream and a polling round reads it: every order has ended."""
    sim.advance_clock(TEN_DAYS)
    poll(provider)
