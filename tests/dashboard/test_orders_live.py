"""Active rows on the orders list refresh themselves: the page polls a fragment that swaps
only the live cells (progress, status, charge) by id, so checkboxes are never replaced."""

import re
from decimal import Decimal

import pytest

from orders.models import LocalState, Order, Status
from tests.factories import make_order, make_service

pytestmark = pytest.mark.django_db


def poller(page: str) -> str:
    found = re.search(r'<div id="orders-live"[^>]*>', page)
    assert found, "no poller on the page"
    return found.group(0)


def test_the_list_polls_only_for_its_active_rows(staff_client):
    service = make_service()
    running = make_order(service, status=Status.IN_PROGRESS)
    queued = make_order(service, state=LocalState.QUEUED, upstream_id=None)
    done = make_order(service, status=Status.COMPLETED)
    tag = poller(staff_client.get("/orders/").content.decode())
    assert f"/orders/live/?ids={queued.pk},{running.pk}" in tag
    assert str(done.pk) not in tag.split("ids=")[1]
    assert 'hx-trigger="every 5s"' in tag


def test_a_list_with_nothing_active_does_not_poll(staff_client):
    make_order(make_service(), status=Status.COMPLETED)
    assert "hx-get" not in poller(staff_client.get("/orders/").content.decode())


def test_the_fragment_swaps_the_live_cells_out_of_band(staff_client):
    order = make_order(make_service(), status=Status.IN_PROGRESS, remains=30, currency="USD")
    Order.objects.filter(pk=order.pk).update(charge=Decimal("0.9"))
    page = staff_client.get("/orders/live/", {"ids": str(order.pk)}).content.decode()
    assert f'<div id="order-{order.pk}-status" class="badges" hx-swap-oob="true">' in page
    assert f'<div id="order-{order.pk}-progress" class="order-progress" hx-swap-oob="true">' in page
    assert f'<div id="order-{order.pk}-charge" hx-swap-oob="true">0.90 USD</div>' in page
    assert 'value="70"' in page
    assert "In progress" in page
    assert 'type="checkbox"' not in page  # the selection is never replaced
    assert "<html" not in page


def test_an_order_that_finished_gets_its_last_update_and_leaves_the_poller(staff_client):
    service = make_service()
    finished = make_order(service, status=Status.COMPLETED, remains=0)
    running = make_order(service, status=Status.PENDING)
    page = staff_client.get("/orders/live/", {"ids": f"{finished.pk},{running.pk}"}).content
    page = page.decode()
    assert "Completed" in page
    assert f"ids={running.pk}" in poller(page)
    assert str(finished.pk) not in poller(page).split("ids=")[1]


def test_when_the_last_active_order_finishes_the_polling_stops(staff_client):
    order = make_order(make_service(), status=Status.CANCELED)
    page = staff_client.get("/orders/live/", {"ids": str(order.pk)}).content.decode()
    assert "hx-get" not in poller(page)
    assert "Canceled" in page


def test_ids_that_are_not_numbers_are_ignored(staff_client):
    page = staff_client.get("/orders/live/", {"ids": "abc,,-1"}).content.decode()
    assert "hx-get" not in poller(page)


def test_the_fragment_costs_the_same_queries_for_one_or_fifty_rows(
    staff_client, django_assert_num_queries
):
    service = make_service()
    one = make_order(service, status=Status.PENDING)
    # Session, user, the rows with provider and service, and the nav's two permission reads.
    with django_assert_num_queries(5):
        staff_client.get("/orders/live/", {"ids": str(one.pk)})
    many = [make_order(service, status=Status.PENDING).pk for _ in range(49)]
    with django_assert_num_queries(5):
        staff_client.get("/orders/live/", {"ids": ",".join(map(str, [one.pk, *many]))})


def test_the_fragment_needs_a_signed_in_staff_member(client):
    assert client.get("/orders/live/", {"ids": "1"}).status_code == 302
