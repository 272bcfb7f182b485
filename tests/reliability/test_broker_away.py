"""Broker away: with Redis stopped (or hung), pages still render and placing an order says
it is queued, in seconds, losing nothing; when Redis is back, the sweeper sends the queued
work and a worker places it. Runs on its own redis-server, never the machine's."""

import re
import threading
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from orders.models import EventKind, LocalState, Order, Provider
from orders.services import queue
from orders.services.placement import order_place
from orders.services.recovery import orders_sweep
from orders.tasks import sweep_orders
from panel.celery import app
from simulator import log
from tests.factories import make_order, make_provider, make_service

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
PAGES = ("/", "/orders/", "/providers/", "/system/")


def place(service, n: int = 0) -> Order:
    return order_place(
        service=service, params={"link": f"https://instagram.com/p/away-{n}", "quantity": 100}
    )


def placed_from_the_page(client, service) -> tuple[Order, str]:
    """The operator fills in the new-order form and sends it; returns the order and the page."""
    form = client.get(f"/orders/new/?service={service.pk}").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', form)[1]
    data = {"service": service.pk, "token": token, "link": "https://x.com/p", "quantity": 100}
    response = client.post("/orders/new/", data, follow=True)
    assert response.status_code == 200
    return Order.objects.get(idempotency_key__endswith=token), response.content.decode()


def wait_for(check, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def within(seconds: float, work):
    """Run `work` in a thread; fail (instead of hanging the suite) if it takes longer."""
    done: list = []
    thread = threading.Thread(target=lambda: done.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert done, f"still waiting after {seconds} s"
    return done[0]


def ten_seconds_pass() -> None:
    queue._broker_away_until = 0.0  # the pause after a failed send is over


def test_with_redis_stopped_an_order_is_queued_and_placed_once_redis_is_back(
    sim, default_service, own_redis, client_as, operator, caplog, figures
):
    own_redis.stop()
    client = client_as(operator)
    started = time.monotonic()
    order, page = placed_from_the_page(client, default_service)
    took = time.monotonic() - started
    assert re.search(rf"Order #?{order.pk} is queued", page)
    assert "The task queue could not be reached" in page  # on the order's timeline
    assert order.state == LocalState.QUEUED
    assert order.events.filter(kind=EventKind.QUEUED).exists()
    assert order.events.filter(kind=EventKind.ERROR).exists()
    assert "not sent" in caplog.text
    for url in (*PAGES, f"/orders/{order.pk}/"):
        assert client.get(url).status_code == 200, url
    health = client.get("/healthz").json()
    assert (health["database"], health["broker"][:5]) == ("ok", "error")

    own_redis.start()
    ten_seconds_pass()
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        sweep_orders.delay()  # beat's next minute
        assert wait_for(lambda: Order.objects.get(pk=order.pk).state == LocalState.PLACED)
    assert log.orders_added().count() == 1
    assert client.get("/healthz").json()["broker"] == "ok"
    figures.add(
        f"Redis stopped: the order page answered in {took:.2f} s with 'queued'; "
        "5 pages and /healthz (503, broker error) rendered; Redis back: placed once by the sweeper"
    )


def test_with_redis_hung_placing_an_order_takes_seconds_not_forever(
    sim, default_service, own_redis, figures
):
    own_redis.freeze()
    try:
        started = time.monotonic()
        order = within(30, lambda: place(default_service, 1))
        first = time.monotonic() - started
        started = time.monotonic()
        others = within(30, lambda: [place(default_service, n) for n in range(2, 12)])
        then = time.monotonic() - started
    finally:
        own_redis.thaw()
    assert first < 15
    assert then < 2  # the next few seconds' sends do not wait on the broker again
    assert all(o.state == LocalState.QUEUED for o in [order, *others])
    figures.add(
        f"Redis hung (SIGSTOP): the first order queued in {first:.1f} s, "
        f"the next 10 in {then:.2f} s"
    )


def test_a_mass_order_with_redis_stopped_is_queued_in_seconds(
    sim, default_service, own_redis, figures
):
    own_redis.stop()
    started = time.monotonic()
    orders = within(30, lambda: [place(default_service, n) for n in range(100)])
    took = time.monotonic() - started
    assert took < 5  # each would wait about 0.6 s on a refused connection
    assert Order.objects.filter(state=LocalState.QUEUED).count() == len(orders) == 100
    figures.add(f"Redis stopped: 100 orders queued in {took:.2f} s")


def test_with_the_broker_away_the_sweeper_stops_at_the_first_refused_send(
    sim, default_service, own_redis
):
    for n in range(20):
        place(default_service, n)
    Order.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    own_redis.stop()
    ten_seconds_pass()
    started = time.monotonic()
    result = orders_sweep()
    assert time.monotonic() - started < 3
    assert (result.resent, result.broker_away) == (0, True)
    assert "the broker is away" in str(result)


def test_a_backlog_is_sent_oldest_first_no_faster_than_each_provider_takes_it(monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(queue, "send", lambda name, order_id: sent.append(order_id) or True)
    small = make_service(make_provider(rate_limit_per_minute=60))
    paused = make_service(make_provider(paused_until=timezone.now() + timedelta(minutes=1)))
    long_ago = timezone.now() - timedelta(hours=2)
    backlog = []
    for n in range(100):  # created a minute apart, oldest first
        order = make_order(small, state=LocalState.QUEUED, upstream_id=None)
        Order.objects.filter(pk=order.pk).update(created_at=long_ago + timedelta(minutes=n))
        backlog.append(order.pk)
    make_order(paused, state=LocalState.QUEUED, upstream_id=None, created_at=long_ago)
    Order.objects.filter(service=paused).update(created_at=long_ago)
    assert orders_sweep().resent == 60
    assert sent == backlog[:60]
    assert Provider.objects.filter(paused_until__isnull=False).count() == 1
