from django.utils import timezone

from orders.models import LocalState, Order
from orders.services.placement import order_place, order_submit
from simulator import log
from tests.engine.orders_of_every_type import valid_params


def placed(service, n=1, **params) -> list[Order]:
    """n orders placed upstream through the real path."""
    orders = []
    for _ in range(n):
        order = order_place(service=service, params=params or valid_params(service))
        order_submit(order.pk)
        order.refresh_from_db()
        assert order.state == LocalState.PLACED, order.events.first()
        orders.append(order)
    return orders


def unverified_between(sim, service) -> tuple[Order, int]:
    """An order whose `add` answer was lost, with an order placed just before and just after
    it; returns it and the id the provider gave it."""
    placed(service)
    sim.set_faults(timeout_share=1, timeout_mode="after", actions=["add"])
    order = order_place(service=service, params={"link": "https://x.com/u", "quantity": 100})
    order_submit(order.pk)
    sim.reset_faults()
    issued = log.orders_added().order_by("pk").last().order_id
    placed(service)
    order.refresh_from_db()
    assert order.state == LocalState.UNVERIFIED
    return order, issued


def make_all_due() -> None:
    """Time passes: every order that is still tracked comes due for a check."""
    Order.objects.filter(next_check_at__isnull=False).update(next_check_at=timezone.now())
