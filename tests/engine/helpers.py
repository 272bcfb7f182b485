from django.utils import timezone

from orders.models import LocalState, Order
from orders.services.placement import order_place, order_submit
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


def make_all_due() -> None:
    """Time passes: every order that is still tracked comes due for a check."""
    Order.objects.filter(next_check_at__isnull=False).update(next_check_at=timezone.now())
