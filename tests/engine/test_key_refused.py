"""A refused key or account is the provider failing, not answering: it counts, it is shown,
and automatic calls stop until the key is changed or a connection test succeeds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import ApiCall, LocalState, Order, Provider
from orders.services import queue
from orders.services.balances import balance_sync
from orders.services.catalogue import catalogue_sync
from orders.services.placement import order_place, order_submit
from orders.services.polling import orders_poll
from orders.services.provider_admin import provider_save, provider_test_connection
from orders.services.providers import ProviderKeyRefused
from orders.services.recovery import ActionRefused, order_confirm_upstream, orders_sweep
from orders.services.refill_polling import refills_poll
from orders.upstream import KeyRefused, Reason
from simulator import log
from simulator.models import SimAccount
from tests.engine.helpers import make_all_due, placed

pytestmark = pytest.mark.django_db
PARAMS = {"link": "https://instagram.com/p/a", "quantity": 100}


def suspend(provider: Provider) -> None:
    """The provider's answer to every call: "API is disable for this user or user not found"."""
    SimAccount.objects.filter(api_key=provider.api_key).update(suspended=True)


def refuse_once(provider: Provider) -> None:
    suspend(provider)
    with pytest.raises(KeyRefused):
        balance_sync(provider=provider)
    provider.refresh_from_db()


def test_a_refused_key_is_a_failure_in_the_streak_and_the_call_log(provider):
    provider.api_key = "not-the-right-key"
    provider.save()
    with pytest.raises(KeyRefused) as caught:
        balance_sync(provider=provider)
    assert caught.value.reason is Reason.BAD_KEY
    provider.refresh_from_db()
    assert provider.consecutive_failures == 1
    assert provider.key_refused
    assert "Invalid API key" in provider.last_error
    assert list(ApiCall.objects.values_list("outcome", flat=True)) == ["key_refused"]


def test_a_refused_key_pauses_automatic_calls(provider, catalogue, default_service):
    orders = placed(default_service, 2)
    refuse_once(provider)
    sent = log.calls().count()
    with pytest.raises(ProviderKeyRefused):
        balance_sync(provider=provider)
    with pytest.raises(ProviderKeyRefused):
        catalogue_sync(provider=provider)
    make_all_due()
    assert orders_poll(provider=provider).stopped == "API key refused"
    assert refills_poll(provider=provider).stopped == "API key refused"
    order = order_place(service=default_service, params=PARAMS | {"link": "https://x.com/b"})
    order_submit(order.pk)
    order.refresh_from_db()
    assert (order.state, order.submit_attempts) == (LocalState.QUEUED, 0)
    assert log.calls().count() == sent  # not one more call reached the provider
    assert all(o.missing_count == 0 for o in Order.objects.filter(pk__in=[o.pk for o in orders]))


def test_a_queued_order_refused_for_the_key_stays_queued_not_rejected(provider, default_service):
    suspend(provider)
    order = order_place(service=default_service, params=PARAMS)
    order_submit(order.pk)
    order.refresh_from_db()
    assert order.state == LocalState.QUEUED
    assert order.rejection_reason == ""
    assert "stays queued" in order.events.first().message
    provider.refresh_from_db()
    assert provider.key_refused and provider.consecutive_failures == 1


def test_the_sweeper_leaves_a_refused_providers_orders_queued(
    provider, default_service, monkeypatch
):
    sent: list = []
    monkeypatch.setattr(queue, "send", lambda name, *args: sent.append(args) or True)
    order = order_place(service=default_service, params=PARAMS)
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    Provider.objects.filter(pk=provider.pk).update(key_refused_at=timezone.now())
    assert orders_sweep().resent == 0
    Provider.objects.filter(pk=provider.pk).update(key_refused_at=None)
    assert orders_sweep().resent == 1


def test_a_new_key_lifts_the_hold_and_the_queued_order_goes_out(provider, default_service):
    right_key = provider.api_key
    provider.api_key = "not-the-right-key"
    provider.save()
    order = order_place(service=default_service, params=PARAMS)
    order_submit(order.pk)
    provider.refresh_from_db()
    assert provider.key_refused
    provider_save(provider=provider, api_key=right_key)
    provider.refresh_from_db()
    assert not provider.key_refused and provider.consecutive_failures == 0
    order_submit(order.pk)
    order.refresh_from_db()
    assert order.state == LocalState.PLACED


def test_a_successful_connection_test_lifts_the_hold(provider):
    refuse_once(provider)
    assert not provider_test_connection(provider=provider).ok  # still refused: still held
    assert Provider.objects.get(pk=provider.pk).key_refused
    SimAccount.objects.update(suspended=False)
    assert provider_test_connection(provider=provider).ok
    provider.refresh_from_db()
    assert not provider.key_refused
    balance_sync(provider=provider)  # automatic calls go out again


def test_the_hold_stays_until_a_person_acts_even_once_the_provider_would_answer(
    provider, default_service
):
    refuse_once(provider)
    SimAccount.objects.update(suspended=False)
    order = order_place(service=default_service, params=PARAMS)
    order_submit(order.pk)
    order.refresh_from_db()
    assert order.state == LocalState.QUEUED
    assert Provider.objects.get(pk=provider.pk).key_refused


def test_an_account_refusal_never_reads_as_the_provider_having_no_order(
    sim, provider, default_service, staff_user
):
    sim.set_faults(timeout_share=1, timeout_mode="after", actions=["add"])
    order = order_place(service=default_service, params=PARAMS)
    order_submit(order.pk)
    sim.reset_faults()
    order.refresh_from_db()
    assert order.state == LocalState.UNVERIFIED
    suspend(provider)
    upstream_id = log.orders_added().get().order_id
    with pytest.raises(ActionRefused) as caught:
        order_confirm_upstream(order=order, upstream_id=upstream_id, user=staff_user)
    assert "has no order" not in str(caught.value)
    assert "API is disable for this user" in str(caught.value)


def test_polling_a_suspended_account_marks_no_order_missing(provider, default_service):
    orders = placed(default_service, 3)
    suspend(provider)
    make_all_due()
    result = orders_poll(provider=provider)
    assert result.failed_calls == 1
    for order in Order.objects.filter(pk__in=[o.pk for o in orders]):
        assert (order.missing_count, order.missing_upstream) == (0, False)
    provider.refresh_from_db()
    assert provider.key_refused


def test_an_order_refusal_is_still_only_the_orders(provider, default_service):
    order = order_place(service=default_service, params=PARAMS | {"link": "@someone"})
    order_submit(order.pk)
    order.refresh_from_db()
    assert (order.state, order.rejection_reason) == (LocalState.REJECTED, Reason.BAD_LINK)
    provider.refresh_from_db()
    assert (provider.key_refused, provider.consecutive_failures) == (False, 0)
