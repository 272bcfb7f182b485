from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import AuditEntry, EventKind, LocalState, Order, Status
from orders.services.placement import order_place, order_submit
from orders.services.providers import provider_client
from orders.services.recovery import (
    ActionRefused,
    NeedsConfirmation,
    order_candidates,
    order_confirm_not_placed,
    order_confirm_upstream,
    orders_sweep,
)
from orders.upstream import ProviderClient
from simulator import log
from tests.engine.helpers import unverified_between

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


def _stranger(service, quantity=100) -> int:
    """An order placed at the provider around us: same key, another link."""
    return provider_client(service.provider).add(
        service.upstream_id, link="https://x.com/stranger", quantity=quantity
    )


@pytest.fixture
def bounded(sim, default_service):
    return unverified_between(sim, default_service)


def test_an_id_issued_after_the_next_order_is_refused_as_another_submissions(
    bounded, default_service, staff_user
):
    order, _ = bounded
    stranger = _stranger(default_service)  # same service, same cost: only the window tells
    with pytest.raises(NeedsConfirmation, match=f"issued order {stranger} to another"):
        order_confirm_upstream(order=order, upstream_id=stranger, user=staff_user)
    order.refresh_from_db()
    assert (order.state, order.upstream_id) == (LocalState.UNVERIFIED, None)


def test_an_id_whose_charge_is_not_the_orders_cost_is_refused(
    unverified, default_service, staff_user
):
    stranger = _stranger(default_service, quantity=900)
    with pytest.raises(NeedsConfirmation, match="this order should cost") as refused:
        order_confirm_upstream(order=unverified, upstream_id=stranger, user=staff_user)
    assert "It charges 0.81 USD; this order should cost 0.09 USD." in str(refused.value)
    unverified.refresh_from_db()
    assert unverified.state == LocalState.UNVERIFIED


def test_a_refused_id_is_attached_on_a_second_confirmation_kept_in_the_audit_trail(
    unverified, default_service, staff_user
):
    stranger = _stranger(default_service, quantity=900)
    order = order_confirm_upstream(
        order=unverified, upstream_id=stranger, user=staff_user, despite_doubts=True
    )
    assert (order.state, order.upstream_id) == (LocalState.PLACED, stranger)
    entry = AuditEntry.objects.get(action="unverified confirmed")
    assert (entry.actor, entry.target) == (staff_user, f"order #{order.pk}")
    assert entry.details["confirmed_despite_doubts"] == "yes"
    assert "this order should cost" in entry.details["checks"]
    assert "Confirmed despite" in order.events.filter(kind=EventKind.STAFF).get().message


def test_the_candidates_are_the_untracked_ids_of_the_window_with_status_and_charge(
    bounded, default_service
):
    order, issued = bounded
    _stranger(default_service)  # issued after the window: not proposed
    candidates = order_candidates(order=order)
    [candidate] = candidates.found
    assert candidate.upstream_id == issued
    assert candidate.answer.status == Status.PENDING
    assert candidate.answer.charge == order.cost
    assert candidate.doubts == []
    assert issued in candidates.window
    assert candidates.asked == 1


def test_picking_the_proposed_candidate_tracks_the_order_and_is_audited(bounded, staff_user):
    order, issued = bounded
    [candidate] = order_candidates(order=order).found
    order = order_confirm_upstream(order=order, upstream_id=candidate.upstream_id, user=staff_user)
    assert (order.state, order.upstream_id) == (LocalState.PLACED, issued)
    entry = AuditEntry.objects.get(action="unverified confirmed")
    assert entry.details["confirmed_despite_doubts"] == "no"
    assert entry.details["upstream_id"] == str(issued)


def test_an_add_answer_that_arrives_after_the_sweeper_gave_up_is_kept_and_proposed_first(
    sim, default_service, monkeypatch, staff_user
):
    order = order_place(
        service=default_service, params={"link": "https://x.com/a", "quantity": 100}
    )
    real_add = ProviderClient.add

    def add_while_swept(self, service, **params):
        Order.objects.filter(pk=order.pk).update(state=LocalState.UNVERIFIED)
        return real_add(self, service, **params)

    monkeypatch.setattr(ProviderClient, "add", add_while_swept)
    order_submit(order.pk)
    issued = log.orders_added().get().order_id
    order.refresh_from_db()
    assert (order.state, order.upstream_id) == (LocalState.UNVERIFIED, None)
    late = order.events.filter(kind=EventKind.ANOMALY).get()
    assert late.data["upstream_id"] == issued
    assert f"answered order id {issued}" in late.message
    first = order_candidates(order=order).found[0]
    assert (first.upstream_id, first.late, first.doubts) == (issued, True, [])
    with pytest.raises(ActionRefused, match=f"answered order id {issued}"):
        order_confirm_not_placed(order=order, user=staff_user)


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
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (staff_user, "unverified not placed")
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
