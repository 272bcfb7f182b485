"""The network between the panel and the in-process simulator, on the test's clock.

Every request takes `latency` seconds of the clock, and one that times out takes the whole
read timeout, as a worker waits it out. For the actions named, a seeded share of requests is
refused before anything leaves (nothing was sent) and another share of the requests the
simulator answered lose that answer on the way back (a connection reset): the two network
failures the simulator's own faults cannot play in process.
"""

import random
import threading
from collections import Counter
from urllib.parse import parse_qs

import requests
from pytest_django.fixtures import Settings

from simulator.testing import BASE_URL, SimulatorAdapter
from tests.reliability.clock import FakeClock


class Wire(SimulatorAdapter):
    def __init__(
        self,
        clock: FakeClock,
        *,
        latency: float = 0.2,
        refused_share: float = 0.0,
        reset_share: float = 0.0,
        actions: tuple[str, ...] = ("add",),
        seed: int = 0,
    ) -> None:
        super().__init__()
        self.clock = clock
        self.latency = latency
        self.refused_share = refused_share
        self.reset_share = reset_share
        self.actions = actions
        self.failures: Counter[str] = Counter()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, stream=False, timeout=None, **kwargs
    ) -> requests.Response:
        self.clock.advance(self.latency)
        draw = self._draw(request)
        if draw < self.refused_share:
            self._count("refused")
            raise requests.ConnectionError(
                ConnectionRefusedError(111, "Connection refused"), request=request
            )
        try:
            response = super().send(request, stream=stream, timeout=timeout, **kwargs)
        except requests.ReadTimeout:
            self.clock.advance(timeout[1] if isinstance(timeout, tuple) else timeout or 0)
            raise
        if draw < self.refused_share + self.reset_share and response.status_code == 200:
            self._count("reset")
            raise requests.ConnectionError(
                ConnectionResetError(104, "Connection reset by peer"), request=request
            )
        return response

    def _draw(self, request: requests.PreparedRequest) -> float:
        if _action(request) not in self.actions:
            return 1.0
        with self._lock:
            return self._rng.random()

    def _count(self, failure: str) -> None:
        with self._lock:
            self.failures[failure] += 1


def _action(request: requests.PreparedRequest) -> str:
    body = request.body or ""
    text = body.decode() if isinstance(body, bytes) else body
    return parse_qs(text).get("action", [""])[0]


def use_wire(settings: Settings, wire: Wire) -> Wire:
    """Route every provider client's requests through `wire`."""
    session = requests.Session()
    session.mount(BASE_URL + "/", wire)
    settings.PROVIDER_TRANSPORT = session
    return wire
