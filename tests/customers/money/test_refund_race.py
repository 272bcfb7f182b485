"""Two pollers with the same final answers at the same moment, on real row locks: each
customer order is refunded once."""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from customers.models import EntryKind
from customers.selectors.account import customer_balance
from customers.services.ordering import customer_order
from orders.models import LocalState, Order
from orders.services.order_money import order_book
from orders.services.polling import apply_statuses, claim_due
from orders.upstream import OrderState
from tests.customers.accounts import make_customer, make_offer
from tests.customers.money.shop import account_holds_together, entries
from tests.factories import make_service
from tests.money.booked import status
from tests.threads import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: row locks across threads"
    ),
]


def test_two_pollers_settling_the_same_customer_orders_at_once_refund_each_once():
    service = make_service(rate=Decimal("2.00"), min_quantity=10, max_quantity=10_000)
    offer = make_offer(service, rate=Decimal("4.00"))
    customers = [make_customer("100", name=f"Customer {i}") for i in range(3)]
    orders = []
    for i in range(30):
        order = customer_order(
            customer=customers[i % 3],
            offer_id=offer.pk,
            params={"link": f"https://x.test/{i}", "quantity": 1000},
        )
        Order.objects.filter(pk=order.pk).update(
            state=LocalState.PLACED, upstream_id=5000 + i, next_check_at=timezone.now()
        )
        order.refresh_from_db()
        order_book(order, at=timezone.now())
        orders.append(order)
    first = claim_due(service.provider, timezone.now())
    Order.objects.update(claimed_until=None)  # the lease ran out: another poller claims them
    second = claim_due(service.provider, timezone.now())
    assert len(first) == len(second) == 30
    answers = {o.upstream_id: status(OrderState.PARTIAL, remains=250) for o in orders}
    batches = iter([first, second])
    at_once(lambda: apply_statuses(next(batches), answers), 2)
    for customer in customers:
        refunds = entries(customer, EntryKind.REFUND)
        assert [r.amount for r in refunds] == [Decimal("1.00")] * 10  # a quarter of 4.00
        assert customer_balance(customer.pk) == Decimal(100) - 10 * Decimal("3.00")
        assert account_holds_together(customer)
