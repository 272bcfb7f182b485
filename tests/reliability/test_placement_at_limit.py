"""A mass order at the provider's request limit: 200 orders at 60 calls a minute.

A worker works the queue on the engine's clock (a task sent for later runs when the clock
reaches it), and the sweeper runs every minute, as beat runs it. The floor is the limit
itself: 200 orders at 60 a minute take 200 s at least.
"""

import math
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest

from orders.models import ApiCall, EventKind, LocalState, Order, OrderEvent, Provider
from orders.services import polling
from orders.services.catalogue import catalogue_sync
from orders.services.placement import order_place
from orders.services.polling import orders_poll
from orders.tasks import sweep_orders
from simulator import log
from simulator.testing import API_URL, funded_account
from tests.engine.helpers import make_all_due
from tests.factories import make_provider
from tests.reliability.broker import InProcessBroker, use_broker
from tests.reliability.clock import FakeClock, SleepOnClock
from tests.reliability.figures import busiest_minute
from tests.reliability.upstream import placed_upstream

pytestmark = pytest.mark.django_db

ORDERS, LIMIT = 200, 60
FLOOR = timedelta(minutes=ORDERS / LIMIT)


@pytest.fixture
def shop(sim, clock, monkeypatch):
    provider = make_provider(
        name="Delta",
        api_url=API_URL,
        api_key=funded_account(Decimal("100000")),
        rate_limit_per_minute=100_000,  # while the catalogue and the active orders are set up
    )
    catalogue_sync(provider=provider)
    return provider, provider.services.get(upstream_id=1), use_broker(monkeypatch)


def at_limit(provider: Provider) -> None:
    Provider.objects.filter(pk=provider.pk).update(
        rate_limit_per_minute=LIMIT, throttle_tokens=None, throttle_at=None
    )


def place(service, count: int, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(count):
            link = f"https://instagram.com/p/mass-{n}"
            order_place(service=service, params={"link": link, "quantity": 100})


def work(broker: InProcessBroker, clock: FakeClock, until) -> None:
    """One worker until `until`: each task when it is due, the sweeper every minute."""
    sweep_at = clock.now() + timedelta(minutes=1)
    while clock.now() < until:
        broker.run()
        due = broker.next_due()
        if due is None or due >= sweep_at:
            clock.advance_to(sweep_at)
            sweep_orders()
            sweep_at += timedelta(minutes=1)
        else:
            clock.advance_to(due)


def test_200_orders_at_60_a_minute_go_out_at_the_limit_with_a_task_run_each(
    shop, clock, django_capture_on_commit_callbacks, figures
):
    provider, service, broker = shop
    at_limit(provider)
    start = clock.now()
    place(service, ORDERS, django_capture_on_commit_callbacks)
    work(broker, clock, until=start + 3 * FLOOR)

    orders = Order.objects.filter(provider=provider)
    assert Counter(orders.values_list("state", flat=True)) == {LocalState.PLACED: ORDERS}
    assert log.added_twice() == []
    last = max(orders.values_list("submitted_at", flat=True))
    assert last - start <= FLOOR * 1.15
    adds = list(ApiCall.objects.filter(provider=provider, action="add").values_list("at"))
    assert busiest_minute([at for (at,) in adds]) <= LIMIT

    put_back = Counter(
        OrderEvent.objects.filter(order__provider=provider, kind=EventKind.RETRY).values_list(
            "order_id", flat=True
        )
    )
    assert max(put_back.values()) == 1  # nothing else takes calls: one put-back at most
    runs = broker.ran["orders.tasks.submit_order"]
    assert runs <= ORDERS + put_back.total() + 5  # a few sent again by the sweeper at most
    figures.add(
        f"{ORDERS} orders at {LIMIT}/min: the last placed after "
        f"{(last - start).total_seconds():.0f} s (floor {FLOOR.total_seconds():.0f} s), "
        f"{runs} submit_order runs, {put_back.total()} put back"
    )


class SleepWorkingTheQueue(SleepOnClock):
    """The round's waits on the clock, while another worker runs the tasks that come due."""

    def __init__(self, clock: FakeClock, broker: InProcessBroker) -> None:
        super().__init__(clock)
        self.broker = broker

    def sleep(self, seconds: float) -> None:
        until = self.clock.now() + timedelta(microseconds=max(1, math.ceil(seconds * 1e6)))
        while (due := self.broker.next_due()) is not None and due <= until:
            self.clock.advance_to(due)
            self.broker.run()
        self.clock.advance_to(until)


def test_a_long_status_round_takes_turns_with_orders_waiting_to_be_placed(
    shop, clock, monkeypatch, django_capture_on_commit_callbacks, figures
):
    provider, service, broker = shop
    placed_upstream(provider, service, [100] * 999, tag="round")  # and the line's first:
    at_limit(provider)
    place(service, 20, django_capture_on_commit_callbacks)
    broker.run()  # the first call goes to the first order, the others wait in line
    monkeypatch.setattr(polling, "time", SleepWorkingTheQueue(clock, broker))
    make_all_due()
    round_start = clock.now()

    result = orders_poll(provider=provider)

    assert result.stopped == "" and result.calls >= 10  # of 100 orders each
    calls = ApiCall.objects.filter(provider=provider, at__gt=round_start, at__lte=clock.now())
    adds = calls.filter(action="add").count()
    assert adds >= result.calls - 1  # the line had every other call while the round ran
    work(broker, clock, until=clock.now() + 2 * FLOOR)
    assert Order.objects.filter(state=LocalState.QUEUED).count() == 0
    assert log.added_twice() == []
    figures.add(f"during a round of {result.calls} status calls, {adds} orders were placed")
