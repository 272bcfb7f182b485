"""A clock the test moves: the engine's `timezone.now`, and the poller's throttle waits.

Leases, next checks, pauses and the throttle's token bucket all read `timezone.now`, so a
round "a minute later" costs no real minute. Waits advance the clock instead of sleeping.
"""

import math
import threading
import time
from datetime import datetime, timedelta

from django.utils import timezone


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.start = (start or timezone.now()).replace(microsecond=0)
        self._now = self.start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            return self._now

    def advance_to(self, moment: datetime) -> datetime:
        """Move on to `moment`, or stay if the clock is already past it."""
        with self._lock:
            self._now = max(self._now, moment)
            return self._now

    def elapsed(self) -> float:
        return (self.now() - self.start).total_seconds()


class SleepOnClock:
    """Stands in for the `time` module of a service: `sleep` moves the clock, the rest is real."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock

    def sleep(self, seconds: float) -> None:
        # Never less than a microsecond, the clock's grain: a real sleep never returns early,
        # and a wait of 1e-8 s that moved nothing would be asked for again forever.
        self.clock.advance(math.ceil(seconds * 1e6) / 1e6)

    def __getattr__(self, name: str):
        return getattr(time, name)
