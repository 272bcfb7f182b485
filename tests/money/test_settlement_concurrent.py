"""Two writers with the same final answers at the same moment, on real row locks: each
order is settled once."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.utils import timezone

from orders.models import EventKind, Order
from orders.services.polling import apply_statuses, claim_due
from orders.upstream import OrderState
from tests.factories import make_service
from tests.money.booked import booked_order, ledger_of, rollup_matches_entries, status
from tests.threads import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: row locks across threads"
    ),
]


def test_two_writers_settling_the_same_orders_at_once_settle_each_once():
    service = make_service(rate=D("2.40"), max_quantity=50_000)
    orders = [booked_order(service=service) for _ in range(30)]
    first = claim_due(service.provider, timezone.now())
    Order.objects.update(claimed_until=None)  # the lease ran out: another worker claims them
    second = claim_due(service.provider, timezone.now())
    answers = {
        o.upstream_id: status(OrderState.PARTIAL, remains=25_000, charge="60") for o in orders
    }
    batches = iter([first, second])
    at_once(lambda: apply_statuses(next(batches), answers), 2)
    for order in orders:
        order.refresh_from_db()
        assert ledger_of(order) == {"USD": (D(60), D(78))}
        assert order.ledger.count() == 4
        assert order.events.filter(kind=EventKind.STATUS).count() == 1
    assert rollup_matches_entries()
