"""Customers' orders taken through the API and placed upstream on the in-process simulator,
as the engine places them (the submit task run here, in the test's thread)."""

from orders.models import LocalState, Order, Status
from orders.services.placement import order_submit
from tests.customers.api.client import answer
from tests.engine.orders_of_every_type import valid_params
from tests.engine.test_polling import TEN_DAYS, poll


def place(client, key: str, offer, **fields) -> int:
    """An order added through the API and placed upstream; its id."""
    params = valid_params(offer.service) | fields
    order_id = answer(client, key, "add", service=offer.pk, **params)["order"]
    submit(order_id)
    return order_id


def submit(order_id: int) -> None:
    order_submit(order_id)
    assert Order.objects.get(pk=order_id).state == LocalState.PLACED


def complete_all(sim, provider) -> None:
    """Time passes upstream until every order is done, and a polling round reads it."""
    sim.advance_clock(TEN_DAYS)
    poll(provider)
    assert not Order.objects.exclude(status=Status.COMPLETED).filter(state=LocalState.PLACED)
