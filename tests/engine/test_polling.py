import json
import threading
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection
from django.utils import timezone

from orders.models import EventKind, Order, Provider, Status
from orders.services import polling
from orders.services.polling import claim_due, orders_poll
from simulator import log
from tests.engine.helpers import make_all_due, placed
from tests.factories import make_order, make_provider, make_service
from tests.upstream import network

pytestmark = pytest.mark.django_db
TEN_DAYS = 10 * 24 * 3600


def poll(provider):
    make_all_due()
    return orders_poll(provider=provider)


def test_250_orders_take_three_status_calls_of_at_most_100(sim, provider, default_service):
    placed(default_service, 250)
    result = poll(provider)
    assert (result.orders, result.calls) == (250, 3)
    assert sorted(log.batch_sizes("status")) == [50, 100, 100]


def test_orders_progress_to_completed_and_are_no_longer_polled(sim, provider, default_service):
    [order] = placed(default_service, 1, link="https://instagram.com/p/a", quantity=1000)
    sim.advance_clock(TEN_DAYS)
    poll(provider)
    order.refresh_from_db()
    assert order.status == Status.COMPLETED
    assert order.remains == 0
    assert order.start_count is not None
    assert order.completed_at is not None
    assert order.next_check_at is None
    assert poll(provider).calls == 0


def test_status_changes_are_on_the_timeline(sim, provider, default_service):
    [order] = placed(default_service, 1)
    sim.advance_clock(TEN_DAYS)
    poll(provider)
    change = order.events.filter(kind=EventKind.STATUS).get()
    assert change.message.endswith("→ Completed")
    assert change.data["after"] == Status.COMPLETED


def test_a_partial_order_keeps_what_was_not_delivered(sim, provider, default_service):
    sim.set_behaviour(partial_share=1)
    [order] = placed(default_service, 1, link="https://instagram.com/p/a", quantity=1000)
    sim.advance_clock(TEN_DAYS)
    poll(provider)
    order.refresh_from_db()
    assert order.status == Status.PARTIAL
    assert 0 < order.remains < 1000
    # Charged for the delivered part only, and settled at that charge.
    assert order.charge < default_service.cost_of(1000)
    assert order.cost == order.charge


def test_an_order_the_provider_cancels_ends_canceled(sim, provider, default_service):
    sim.set_behaviour(cancel_share=1)
    [order] = placed(default_service, 1)
    sim.advance_clock(TEN_DAYS)
    poll(provider)
    order.refresh_from_db()
    assert order.status == Status.CANCELED


def test_a_final_status_is_never_overwritten_by_an_earlier_one(sim, provider, default_service):
    [order] = placed(default_service, 1)
    Order.objects.filter(pk=order.pk).update(
        status=Status.COMPLETED, status_raw="Completed", next_check_at=timezone.now()
    )
    orders_poll(provider=provider)  # the simulator still says Pending
    order.refresh_from_db()
    assert order.status == Status.COMPLETED
    assert order.events.filter(kind=EventKind.ANOMALY).count() == 1


def test_per_item_errors_leave_the_order_as_it_was_and_are_asked_again(
    sim, provider, default_service
):
    [order] = placed(default_service, 1)
    sim.set_faults(item_error_share=1, actions=["status"])
    poll(provider)
    order.refresh_from_db()
    assert order.status == ""
    assert order.next_check_at is not None
    assert (order.missing_count, order.missing_upstream) == (1, False)


def test_an_order_unknown_upstream_is_called_missing_only_after_three_answers(
    sim, provider, default_service
):
    order = make_order(default_service, upstream_id=987654)
    for _ in range(2):
        poll(provider)
    order.refresh_from_db()
    assert (order.missing_count, order.missing_upstream) == (2, False)
    poll(provider)
    order.refresh_from_db()
    assert order.missing_upstream is True


def test_a_failing_provider_is_paused_and_then_not_called(sim, provider, default_service):
    placed(default_service, 3)
    sim.set_faults(error_5xx_share=1, actions=["status"])
    for _ in range(3):
        assert poll(provider).failed_calls == 1
    provider.refresh_from_db()
    assert provider.is_paused
    calls_before = log.calls("status").count()
    result = poll(provider)
    assert result.stopped == "provider paused"
    assert log.calls("status").count() == calls_before


def test_a_429_pauses_the_provider_for_its_retry_after(sim, provider, default_service):
    placed(default_service, 1)
    sim.set_faults(rate_limit_share=1, retry_after=90, actions=["status"])
    poll(provider)
    provider.refresh_from_db()
    assert provider.paused_until > timezone.now() + timedelta(seconds=80)


def test_the_round_stops_at_the_providers_request_limit(sim, provider, default_service):
    placed(default_service, 150)
    Provider.objects.filter(pk=provider.pk).update(
        rate_limit_per_minute=6, throttle_tokens=None, throttle_at=None
    )
    result = poll(provider)
    assert result.calls == 1
    assert result.stopped == "request limit reached"
    # The orders not asked for are due again, not held by a lease.
    assert Order.objects.filter(next_check_at__lte=timezone.now()).count() == 50


def test_two_pollers_never_claim_the_same_order(sim, provider, default_service):
    placed(default_service, 150)
    make_all_due()
    first = claim_due(provider, timezone.now())
    second = claim_due(provider, timezone.now())
    assert len(first) == 100 and len(second) == 50
    assert not {o.pk for o in first} & {o.pk for o in second}


def test_subscriptions_report_posts_and_child_orders(sim, provider, catalogue):
    [order] = placed(catalogue["Subscriptions"], 1)
    sim.advance_clock(3 * 24 * 3600)
    poll(provider)
    order.refresh_from_db()
    assert order.upstream_extra["posts"] > 0
    assert order.upstream_extra["orders"]


def test_drip_feed_orders_report_their_runs(sim, provider, default_service):
    [order] = placed(
        default_service, 1, link="https://instagram.com/p/a", quantity=100, runs=3, interval=30
    )
    assert order.quantity == 300  # what is charged: quantity × runs
    sim.advance_clock(45 * 60)  # past the second run's start
    poll(provider)
    order.refresh_from_db()
    assert order.upstream_extra["runs"] == 3
    assert 1 <= order.upstream_extra["runs_done"] < 3
    sim.advance_clock(TEN_DAYS)
    poll(provider)
    order.refresh_from_db()
    assert order.upstream_extra["runs_done"] == 3
    assert order.status == Status.COMPLETED


def test_a_claimed_order_is_held_until_answered_or_its_lease_runs_out(
    sim, provider, default_service
):
    [order] = placed(default_service, 1)
    make_all_due()
    assert [o.pk for o in claim_due(provider, timezone.now())] == [order.pk]
    assert claim_due(provider, timezone.now()) == []  # another worker finds nothing to take
    order.refresh_from_db()
    assert order.next_check_at <= timezone.now()  # still shown as due: it is being asked
    Order.objects.filter(pk=order.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert [o.pk for o in claim_due(provider, timezone.now())] == [order.pk]  # lease ran out


def test_an_answered_order_is_released_for_its_next_check(sim, provider, default_service):
    placed(default_service, 120)
    poll(provider)
    assert not Order.objects.filter(claimed_until__isnull=False).exists()
    make_all_due()
    assert orders_poll(provider=provider).orders == 120


def cut_after_the_first_batch(done: int) -> None:
    raise SoftTimeLimitExceeded()


def test_a_round_cut_short_puts_back_what_it_claimed_and_had_not_answered(
    sim, provider, default_service, monkeypatch
):
    placed(default_service, 5)
    make_all_due()
    monkeypatch.setattr(polling, "BATCH", 2)
    with pytest.raises(SoftTimeLimitExceeded):
        orders_poll(provider=provider, on_batch=cut_after_the_first_batch)
    assert not Order.objects.filter(claimed_until__isnull=False).exists()
    assert orders_poll(provider=provider).orders == 3  # asked for now, not in 5 minutes


def test_a_round_cut_short_does_not_wait_for_the_call_it_has_in_flight(settings, monkeypatch):
    """Over the network the call in flight runs beside the round; a cut round leaves it."""
    release, second_answered = threading.Event(), threading.Event()
    answered = []

    def provider_side(conn) -> None:
        request = network.read_request(conn)
        ids = parse_qs(request.split(b"\r\n\r\n", 1)[1].decode())["orders"][0].split(",")
        if answered:  # the second call: kept waiting until the test is done looking
            release.wait(10)
        body = json.dumps({i: {"status": "In progress", "remains": "5"} for i in ids}).encode()
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        conn.sendall(head.encode() + body)
        if answered:
            second_answered.set()
        answered.append(ids)

    settings.PROVIDER_TRANSPORT = network.direct_session()
    monkeypatch.setattr(polling, "BATCH", 2)
    with network.local_server(provider_side) as url:
        service = make_service(make_provider(api_url=url))
        orders = [make_order(service) for _ in range(4)]
        with pytest.raises(SoftTimeLimitExceeded):
            orders_poll(provider=service.provider, on_batch=cut_after_the_first_batch)
        assert not second_answered.is_set()  # the round ended with its call still out
        release.set()
    in_flight = Order.objects.filter(pk__in=[o.pk for o in orders[2:]])
    assert not in_flight.filter(claimed_until__isnull=False).exists()


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: commit setting")
def test_a_round_commits_lazily_and_leaves_the_next_tasks_commits_durable(
    sim, provider, default_service, monkeypatch
):
    placed(default_service, 3)
    seen, real = [], polling.apply_statuses

    def apply(batch, answers):
        seen.append(synchronous_commit())
        return real(batch, answers)

    monkeypatch.setattr(polling, "apply_statuses", apply)
    assert poll(provider).orders == 3
    assert seen == ["off"]
    assert synchronous_commit() == "on"  # a placement next on this connection waits for the disk

    def broken(batch, answers):
        raise RuntimeError("the worker fails mid-round")

    monkeypatch.setattr(polling, "apply_statuses", broken)
    with pytest.raises(RuntimeError):
        poll(provider)
    assert synchronous_commit() == "on"
