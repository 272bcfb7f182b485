"""A real Celery worker process on Redis, placing and polling through a real HTTP provider
(the simulator served by the live server), on the PostgreSQL test database."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import redis
from django.db import connection
from kombu import pools

from orders.models import EventKind, LocalState, Order, OrderEvent, Provider, Status
from orders.services.placement import order_place
from orders.tasks import for_each_provider
from panel.celery import app
from simulator import control, log
from simulator.testing import funded_account
from tests.engine.test_polling import TEN_DAYS
from tests.factories import make_provider
from tests.services import redis_url

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: a worker process shares the test database",
    ),
]


@pytest.fixture
def broker(monkeypatch):
    """A Redis database of its own, emptied, used by this process and the worker."""
    url = redis_url().rsplit("/", 1)[0] + "/15"
    redis.Redis.from_url(url).flushdb()
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    monkeypatch.setattr(app.conf, "broker_url", url)
    # Producers and their connections are cached per app: drop them so they reconnect.
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    yield url
    app.pool.force_close_all()
    pools.reset()  # kombu keeps the closed pool per URL: the next test would be handed it


@pytest.fixture
def worker(broker):
    settings = connection.settings_dict
    database = (
        f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    )
    env = os.environ | {"CELERY_BROKER_URL": broker, "DATABASE_URL": database}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "panel",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def http_provider(db, live_server):
    control.reset()
    control.set_behaviour(partial_share=0, cancel_share=0, refill_reject_share=0)
    control.set_speed(0)
    provider = make_provider(
        api_url=f"{live_server.url}/simulator/api/v2",
        api_key=funded_account(),
        rate_limit_per_minute=600,
    )
    from orders.services.catalogue import catalogue_sync

    catalogue_sync(provider=provider)
    return provider


def wait_for(check, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_a_worker_process_on_redis_places_and_polls_an_order(http_provider, worker):
    service = http_provider.services.get(upstream_id=1)
    order = order_place(service=service, params={"link": "https://x.com/a", "quantity": 100})
    assert wait_for(lambda: Order.objects.get(pk=order.pk).state == LocalState.PLACED), (
        worker.stderr.read1().decode() if worker.poll() is not None else "worker still running"
    )
    control.advance_clock(TEN_DAYS)
    Order.objects.update(next_check_at=Order.objects.get(pk=order.pk).submitted_at)
    for_each_provider.delay("poll_orders")
    assert wait_for(lambda: Order.objects.get(pk=order.pk).status == Status.COMPLETED)


def test_orders_the_request_limit_puts_back_are_placed_by_their_own_timed_tasks(
    http_provider, worker
):
    # 120 calls a minute: a burst of 2, then one every 0.5 s. No beat runs: no sweeper.
    Provider.objects.filter(pk=http_provider.pk).update(rate_limit_per_minute=120)
    service = http_provider.services.get(upstream_id=1)
    for n in range(20):
        order_place(service=service, params={"link": f"https://x.com/{n}", "quantity": 100})
    assert wait_for(lambda: Order.objects.filter(state=LocalState.PLACED).count() == 20), Counter(
        Order.objects.values_list("state", flat=True)
    )
    put_back = OrderEvent.objects.filter(kind=EventKind.RETRY)
    assert put_back.exists()  # some waited in line, and each was sent at its slot
    assert log.added_twice() == []
