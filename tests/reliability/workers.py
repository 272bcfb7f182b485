"""Real Celery worker processes on a Redis database of their own, sharing the PostgreSQL
test database, against the simulator served over HTTP by the live server."""

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import kombu
import pytest
import redis
from django.db import connection

from orders.services import queue
from orders.services.catalogue import catalogue_sync
from panel.celery import app
from simulator import control
from simulator.testing import funded_account
from tests.factories import make_provider
from tests.services import redis_url

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 13  # test_redis_worker uses 15; these tests flush their own
QUEUE = "celery"


class Worker:
    """`celery -A panel worker --pool solo`, its log in a file."""

    def __init__(self, broker: str, log_path: Path) -> None:
        self.log_path = log_path
        settings = connection.settings_dict
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        database = (
            f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}"
            f"/{settings['NAME']}"
        )
        env = os.environ | {"CELERY_BROKER_URL": broker, "DATABASE_URL": database}
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "panel", "worker", "--pool", "solo",
                 "--loglevel", "INFO", "--without-heartbeat", "--without-gossip",
                 "--without-mingle"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.wait_ready()

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while " ready." not in self.log:
            assert self.process.poll() is None, f"the worker exited:\n{self.log[-3000:]}"
            assert time.monotonic() < deadline, f"the worker is not ready:\n{self.log[-3000:]}"
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, no cleanup of any kind."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


class Broker:
    """A Redis database of its own, emptied first, used by this process and the workers."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.redis = redis.Redis.from_url(url)
        self.redis.flushdb()

    def waiting(self) -> int:
        """Messages on the queue, plus those delivered to a worker and not acknowledged."""
        return self.redis.llen(QUEUE) + self.redis.hlen("unacked")

    def unacked(self) -> int:
        return self.redis.hlen("unacked")

    def redeliver_unacked(self) -> int:
        """What Redis does with a message whose worker died once its visibility timeout
        (an hour by default) has passed: put it back on its queue for another worker."""
        lost = self.unacked()
        with kombu.Connection(self.url, transport_options={"visibility_timeout": 0}) as conn:
            conn.default_channel.qos.restore_visible(num=1000, interval=1)
        return lost


@pytest.fixture
def broker(monkeypatch):
    url = redis_url().rsplit("/", 1)[0] + f"/{REDIS_DB}"
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    monkeypatch.setattr(app.conf, "broker_url", url)
    # Producers and their connections are cached per app: drop them so they reconnect.
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    monkeypatch.setattr(queue, "_broker_away_until", 0.0, raising=False)
    yield Broker(url)
    app.pool.force_close_all()
    kombu.pools.reset()  # kombu keeps producer pools per address, closed ones too


@pytest.fixture
def workers(broker, tmp_path):
    """workers(): a new worker process; every one started is stopped at the end."""
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(broker.url, tmp_path / f"worker-{len(started) + 1}.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def http_provider(live_server):
    """A provider whose API is the simulator over real HTTP, every order completing."""
    control.reset()
    control.set_behaviour(partial_share=0, cancel_share=0, refill_reject_share=0)
    control.set_speed(0)
    provider = make_provider(
        api_url=f"{live_server.url}/simulator/api/v2",
        api_key=funded_account(Decimal("5000")),
        rate_limit_per_minute=600,
    )
    catalogue_sync(provider=provider)
    return provider


def wait_for(check, seconds: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.1)
