"""A polling round against a provider over real HTTP: the status call of one batch is in
flight while the answers to the one before are written, yet each order is asked for once
and nothing more is sent to a provider whose last call failed."""

import pytest
from django.db import connection
from django.utils import timezone

from orders.models import Order, Status
from orders.services.polling import RETRY_AFTER_FAILURE, orders_poll
from orders.services.providers import FAILURES_BEFORE_PAUSE
from simulator import control
from simulator.models import SimRequest
from tests.reliability.upstream import placed_upstream

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: the live server writes from its own thread during the round",
    ),
]


def status_calls() -> list[list[int]]:
    rows = SimRequest.objects.filter(action="status").order_by("pk")
    return [[int(i) for i in ids.split(",")] for ids in rows.values_list("ids", flat=True)]


@pytest.fixture
def due_orders(http_provider):
    service = http_provider.services.get(upstream_id=1)
    orders = placed_upstream(http_provider, service, [100] * 350, tag="http")
    Order.objects.update(next_check_at=timezone.now())
    control.advance_clock(10 * 24 * 3600)  # every one completed upstream
    SimRequest.objects.all().delete()
    return orders


def test_a_round_over_http_asks_for_each_order_once_and_writes_every_answer(
    http_provider, due_orders
):
    result = orders_poll(provider=http_provider)

    calls = status_calls()
    assert [len(ids) for ids in calls] == [100, 100, 100, 50]
    assert sorted(i for ids in calls for i in ids) == sorted(o.upstream_id for o in due_orders)
    assert (result.calls, result.orders, result.failed_calls) == (4, 350, 0)
    assert Order.objects.filter(status=Status.COMPLETED, next_check_at__isnull=True).count() == 350


def test_a_provider_that_keeps_failing_gets_no_call_after_the_one_that_paused_it(
    http_provider, due_orders
):
    control.set_faults(error_5xx_share=1.0, actions=["status"])
    started = timezone.now()

    result = orders_poll(provider=http_provider)

    assert len(status_calls()) == FAILURES_BEFORE_PAUSE
    assert (result.calls, result.failed_calls, result.orders) == (3, 3, 0)
    assert result.stopped == "provider paused"
    assert not Order.objects.filter(last_checked_at__isnull=False).exists()
    # The batches that failed wait a minute; the rest are due as they were.
    retried = Order.objects.filter(next_check_at__gte=started + RETRY_AFTER_FAILURE)
    assert retried.count() == 300
    assert Order.objects.filter(next_check_at__lte=timezone.now()).count() == 50
