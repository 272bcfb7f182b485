"""Two workers polling one provider at the same moment, on real database row locks."""

from collections import Counter

import pytest
from django.db import connection

from orders.models import Order, Provider
from orders.services.polling import orders_poll
from simulator import log
from tests.engine.helpers import make_all_due, placed
from tests.threads import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: row locks across threads"
    ),
]


def test_two_workers_polling_at_once_ask_for_each_order_once(sim, provider, default_service):
    placed(default_service, 450)
    make_all_due()
    results = at_once(lambda: orders_poll(provider=Provider.objects.get(pk=provider.pk)), 2)
    asked = Counter(
        order_id
        for ids in log.calls("status").values_list("ids", flat=True)
        for order_id in ids.split(",")
    )
    assert sum(r.orders for r in results) == 450
    assert len(asked) == 450
    assert max(asked.values()) == 1
    assert all(r.calls >= 1 for r in results), "both workers took a share"
    assert not Order.objects.filter(next_check_at__isnull=True).exclude(status="completed")
