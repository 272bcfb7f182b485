"""The downstream part of the bench on a small dataset: our API v2 answers `status` for a
customer's orders without asking any provider, and `add` charges and queues the order
without placing it. No timing is asserted: the figures depend on the machine."""

import pytest

from bench import dataset, downstream
from bench.placement import SERVICE
from orders.models import Order
from tests.factories import make_provider, make_service

# Committed as in the bench, so each order's queue send runs (and is kept in the process).
pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 4
CUSTOMERS = 2


@pytest.fixture
def figures(django_user_model) -> dict:
    # A provider nothing listens for (port 9, discard): a call would fail, and be counted.
    provider = make_provider(api_url="http://127.0.0.1:9/api/v2")
    make_service(provider, upstream_id=SERVICE, min_quantity=10)
    make_service(provider, upstream_id=SERVICE + 1)
    actor = django_user_model.objects.create_superuser("bench", "bench@example.com", None)
    customers = downstream.make_customers(CUSTOMERS)
    dataset.build_orders(provider, 1, 0, 1500, customers, vacuum=False)
    downstream.make_offers()
    keys = downstream.build_accounts(actor, vacuum=False)
    return downstream.measure_downstream(keys, provider, ROUNDS)


def test_every_downstream_figure_is_there(figures):
    for name in (
        *("status_100_p50_ms", "status_100_p95_ms", "status_queries"),
        *("add_p50_ms", "add_p95_ms", "add_queries", "customer_orders", "account_entries"),
    ):
        assert figures[name] is not None, name
    assert figures["status_ids"] == downstream.STATUS_IDS
    assert figures["status_queries"] > 0 and figures["add_queries"] > 0


def test_status_of_a_hundred_orders_asks_no_provider(figures):
    assert figures["upstream_calls_for_status"] == 0


def test_each_add_is_one_charged_queued_order_that_nothing_sends_upstream(figures):
    made = CUSTOMERS + 1 + ROUNDS  # a warm-up request per customer, one counted
    assert figures["add_orders"] == figures["add_charged"] == figures["add_tasks_kept"] == made
    assert figures["upstream_calls_for_add"] == 0
    assert Order.objects.filter(customer__isnull=False, upstream_id=None).count() == made
