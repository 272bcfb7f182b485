"""A Redis server of the test's own, on a free port: stopped, frozen and started again at will.
The machine's shared Redis is never touched."""

import shutil
import signal
import socket
import subprocess
import time

import kombu
import pytest
import redis

from orders.services import queue
from panel.celery import app
from tests.services import unavailable


class OwnRedis:
    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.answers():
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def freeze(self) -> None:
        """Still accepting connections, never answering: a hung server, or a lost network."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def answers(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def own_redis(monkeypatch):
    """A fresh redis-server as the broker of this process (and of workers started in it)."""
    binary = shutil.which("redis-server")
    if not binary:
        unavailable("redis-server is not installed (apt-get install redis-server)")
    server = OwnRedis(binary)
    try:
        server.start()
        monkeypatch.setenv("CELERY_BROKER_URL", server.url)
        monkeypatch.setattr(app.conf, "broker_url", server.url)
        # Producers and their connections are cached per app: drop them so they reconnect.
        monkeypatch.setattr(app, "_pool", None)
        monkeypatch.setattr(app.amqp, "_producer_pool", None)
        monkeypatch.setattr(queue, "_broker_away_until", 0.0, raising=False)
        yield server
    finally:
        server.kill()
        app.pool.force_close_all()
        kombu.pools.reset()  # kombu keeps producer pools per address, closed ones too
