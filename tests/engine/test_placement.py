from decimal import Decimal

import pytest

from orders.models import EventKind, LocalState, Order
from orders.services.placement import OrderInvalid, order_place, order_submit
from orders.upstream import Reason
from simulator import log
from simulator.models import SimAccount, SimOrder
from tests.engine.orders_of_every_type import valid_params

pytestmark = pytest.mark.django_db

KNOWN_TYPES = [
    "Default",
    "Package",
    "SEO",
    "Custom Comments",
    "Mentions",
    "Mentions Custom List",
    "Mentions User Followers",
    "Mentions Media Likers",
    "Subscriptions",
    "Web Traffic",
    "Custom Comments Package",
    "Comment Likes",
    "Poll",
    "Comment Replies",
    "Invites from Groups",
    "Mentions with Hashtags",
    "Mentions Hashtag",
]


def place(service, **params):
    return order_place(service=service, params=params or valid_params(service))


def test_placing_queues_the_order_with_its_cost_and_price(default_service):
    order = place(default_service, link="https://instagram.com/p/a", quantity=1000)
    assert order.state == LocalState.QUEUED
    assert order.cost == default_service.rate  # 1000 units at the rate per 1000
    assert order.price > order.cost
    assert order.events.get().kind == EventKind.QUEUED


def test_submitting_places_it_upstream_once(default_service):
    order = place(default_service, link="https://instagram.com/p/a", quantity=1000)
    order_submit(order.pk)
    order.refresh_from_db()
    assert order.state == LocalState.PLACED
    assert SimOrder.objects.get(pk=order.upstream_id).quantity == 1000
    assert order.next_check_at is not None


def test_a_redelivered_submission_sends_nothing(default_service):
    order = place(default_service, link="https://instagram.com/p/a", quantity=1000)
    order_submit(order.pk)
    assert order_submit(order.pk) is None
    assert log.orders_added().count() == 1


@pytest.mark.parametrize("type_name", KNOWN_TYPES)
def test_every_order_type_is_placed(catalogue, type_name):
    service = catalogue[type_name]
    order = place(service)
    order_submit(order.pk)
    order.refresh_from_db()
    assert order.state == LocalState.PLACED, order.events.first()
    assert SimOrder.objects.filter(pk=order.upstream_id).exists()


def test_invalid_parameters_are_refused_before_anything_is_saved(default_service):
    with pytest.raises(OrderInvalid) as refused:
        place(default_service, link="https://instagram.com/p/a", quantity=10)
    assert "quantity" in refused.value.errors
    assert not Order.objects.exists()


def test_a_type_the_dashboard_does_not_know_cannot_be_ordered(provider, catalogue):
    unknown = next(s for t, s in catalogue.items() if t not in KNOWN_TYPES)
    with pytest.raises(OrderInvalid, match="not supported"):
        place(unknown, link="https://instagram.com/p/a", quantity=100)


def test_a_disabled_service_cannot_be_ordered(default_service):
    default_service.enabled = False
    default_service.save()
    with pytest.raises(OrderInvalid, match="not available"):
        place(default_service, link="https://instagram.com/p/a", quantity=100)


def test_the_same_form_token_gives_one_order(default_service):
    params = {"link": "https://instagram.com/p/a", "quantity": 100}
    first = order_place(service=default_service, params=params, idempotency_key="tok-1")
    again = order_place(service=default_service, params=params, idempotency_key="tok-1")
    assert first.pk == again.pk
    assert Order.objects.count() == 1


def test_a_refusal_is_stored_with_the_providers_words(provider, default_service):
    SimAccount.objects.update(balance=Decimal("0.01"))
    order = place(default_service, link="https://instagram.com/p/a", quantity=1000)
    order_submit(order.pk)
    order.refresh_from_db()
    assert order.state == LocalState.REJECTED
    assert order.rejection_reason == Reason.INSUFFICIENT_FUNDS
    assert "funds" in order.rejection_message.lower()


def test_an_answer_lost_after_the_provider_placed_it_leaves_it_unverified(sim, default_service):
    sim.set_faults(timeout_share=1, timeout_mode="after", actions=["add"])
    order = place(default_service, link="https://instagram.com/p/a", quantity=1000)
    order_submit(order.pk)
    order.refresh_from_db()
    assert order.state == LocalState.UNVERIFIED
    assert order.upstream_id is None
    assert log.orders_added().count() == 1  # it does exist upstream: staff must resolve it
    assert order_submit(order.pk) is None  # and nothing ever resends it


def test_a_5xx_on_add_is_ambiguous_too(sim, default_service):
    sim.set_faults(error_5xx_share=1, actions=["add"])
    order = place(default_service, link="https://instagram.com/p/a", quantity=1000)
    order_submit(order.pk)
    order.refresh_from_db()
    assert order.state == LocalState.UNVERIFIED


def test_a_provider_that_cannot_be_reached_is_retried_later(sim, default_service):
    provider = default_service.provider
    provider.api_url = "http://127.0.0.1:9/api/v2"  # nothing listens: refused before sending
    provider.save()
    order = place(default_service, link="https://instagram.com/p/a", quantity=1000)
    order_submit(order.pk)
    order.refresh_from_db()
    assert order.state == LocalState.QUEUED
    assert order.submit_after is not None
    assert order.events.first().kind == EventKind.RETRY


def test_a_rate_limited_add_waits_for_retry_after(sim, default_service):
    sim.set_faults(rate_limit_share=1, retry_after=120, actions=["add"])
    order = place(default_service, link="https://instagram.com/p/a", quantity=1000)
    order_submit(order.pk)
    order.refresh_from_db()
    assert order.state == LocalState.QUEUED
    wait = (order.submit_after - order.created_at).total_seconds()
    assert wait >= 119
    assert log.orders_added().count() == 0


def test_orders_for_a_paused_provider_wait(default_service):
    provider = default_service.provider
    provider.pause_for(300)
    provider.save()
    order = place(default_service, link="https://instagram.com/p/a", quantity=1000)
    order_submit(order.pk)
    order.refresh_from_db()
    assert order.state == LocalState.QUEUED
    assert log.calls("add").count() == 0
