"""Keyset pages stay fast: the page after a cursor is a range read of an index, not a scan
of the table (the plan is read from SQLite, the embedded default)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import Status
from orders.selectors.orders import OrderFilter, orders_page
from tests.factories import make_order, make_service

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan"),
]


def plan_of_next_page(sort: str) -> str:
    first = orders_page(OrderFilter(), sort=sort)
    with CaptureQueriesContext(connection) as queries:
        orders_page(OrderFilter(), sort=sort, after=first.next_cursor)
    # The ids of the page (the one that reads the table), then their rows by id.
    ids, rows = queries.captured_queries
    assert "IN (" in rows["sql"]
    query = ids
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.fixture(autouse=True)
def orders():
    service = make_service()
    return [make_order(service, status=Status.COMPLETED) for _ in range(60)]


def test_the_next_page_by_date_is_a_range_of_the_recent_index():
    plan = plan_of_next_page("-created")
    assert "INDEX order_recent_idx (created_at<?)" in plan
    assert "SCAN orders_order" not in plan


def test_the_next_page_by_status_is_a_range_of_the_status_index():
    plan = plan_of_next_page("status")
    assert "INDEX order_status_idx (status>?)" in plan
    assert "SCAN orders_order" not in plan
