"""Stuck: placed over 24 h ago, not final, and no status change in the last 24 h."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import EventKind, LocalState, OrderEvent, Status
from orders.selectors.home import stuck_orders
from tests.factories import make_order

pytestmark = pytest.mark.django_db


def placed_ago(hours, **fields):
    return make_order(submitted_at=timezone.now() - timedelta(hours=hours), **fields)


def status_change(order, hours_ago):
    event = OrderEvent.objects.create(order=order, kind=EventKind.STATUS, message="a → b")
    OrderEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(hours=hours_ago))


def test_an_order_placed_two_days_ago_with_no_status_change_is_stuck():
    order = placed_ago(48, status=Status.IN_PROGRESS)
    assert list(stuck_orders()) == [order]


def test_an_order_never_checked_yet_is_stuck_after_a_day():
    order = placed_ago(30, status="")
    assert list(stuck_orders()) == [order]


def test_an_old_status_change_does_not_keep_it_from_being_stuck():
    order = placed_ago(72, status=Status.PENDING)
    status_change(order, hours_ago=30)
    assert list(stuck_orders()) == [order]


def test_a_status_change_within_the_day_means_it_is_moving():
    order = placed_ago(72, status=Status.IN_PROGRESS)
    status_change(order, hours_ago=2)
    assert not stuck_orders().exists()


def test_a_young_order_is_not_stuck():
    placed_ago(5, status=Status.PENDING)
    assert not stuck_orders().exists()


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.PARTIAL, Status.CANCELED])
def test_a_finished_order_is_never_stuck(status):
    placed_ago(72, status=status)
    assert not stuck_orders().exists()


def test_an_order_not_placed_upstream_is_not_stuck():
    placed_ago(72, state=LocalState.UNVERIFIED, status="")
    assert not stuck_orders().exists()
