from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import EventKind, LocalState, Order, Status
from orders.services.placement import order_place, order_submit
from orders.services.recovery import (
    ActionRefused,
    order_confirm_not_placed,
    order_confirm_upstream,
    orders_sweep,
)
from simulator import log

pytestmark = pytest.mark.django_db


@pytest.fixture
def unverified(sim, default_service):
    sim.set_faults(timeout_share=1, timeout_mode="after", actions=["add"])
    order = order_place(
        service=default_service, params={"link": "https://x.com/a", "quantity": 100}
    )
    order_submit(order.pk)
    sim.reset_faults()
    order.refresh_from_db()
    assert order.state == LocalState.UNVERIFIED
    return order


def test_staff_enter_the_upstream_id_and_it_is_verified_and_tracked(unverified, staff_user):
    upstream_id = log.orders_added().get().order_id
    order = order_confirm_upstream(order=unverified, upstream_id=upstream_id, user=staff_user)
    assert order.state == LocalState.PLACED
    assert order.upstream_id == upstream_id
    assert order.status == Status.PENDING
    staff = order.events.filter(kind=EventKind.STAFF).get()
    assert staff.actor == staff_user


def test_an_id_the_provider_does_not_know_is_refused(unverified, staff_user):
    with pytest.raises(ActionRefused, match="has no order 424242"):
        order_confirm_upstream(order=unverified, upstream_id=424242, user=staff_user)
    unverified.refresh_from_db()
    assert unverified.state == LocalState.UNVERIFIED


def test_an_id_already_tracked_for_another_order_is_refused(
    unverified, staff_user, default_service
):
    other = order_place(
        service=default_service, params={"link": "https://x.com/b", "quantity": 100}
    )
    order_submit(other.pk)
    other.refresh_from_db()
    with pytest.raises(ActionRefused, match="belongs to another order"):
        order_confirm_upstream(order=unverified, upstream_id=other.upstream_id, user=staff_user)


def test_staff_confirm_it_was_not_placed(unverified, staff_user):
    order = order_confirm_not_placed(order=unverified, user=staff_user)
    assert order.state == LocalState.NOT_PLACED
    with pytest.raises(ActionRefused):
        order_confirm_not_placed(order=order, user=staff_user)


def test_a_submission_cut_short_by_a_dead_worker_becomes_unverified(default_service, settings):
    order = order_place(
        service=default_service, params={"link": "https://x.com/a", "quantity": 100}
    )
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    Order.objects.filter(pk=order.pk).update(state=LocalState.SUBMITTING, submitting_since=long_ago)
    assert orders_sweep().unverified == 1
    order.refresh_from_db()
    assert order.state == LocalState.UNVERIFIED
    assert order_submit(order.pk) is None


def test_a_queued_order_whose_task_was_lost_is_sent_again(default_service, monkeypatch):
    from orders.services import queue

    sent = []
    monkeypatch.setattr(queue, "send", lambda name, *args: sent.append((name, args)) or True)
    order = order_place(
        service=default_service, params={"link": "https://x.com/a", "quantity": 100}
    )
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert orders_sweep().resent == 1
    assert sent == [("orders.tasks.submit_order", (order.pk,))]
