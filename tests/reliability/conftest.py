import pytest
from django.utils import timezone

from orders.services import polling
from tests.reliability.clock import FakeClock, SleepOnClock
from tests.reliability.figures import REPORTED, figures, write_summary  # noqa: F401 (fixture)
from tests.reliability.redis_server import own_redis  # noqa: F401 (fixture)
from tests.reliability.workers import broker, http_provider, workers  # noqa: F401 (fixtures)


@pytest.fixture
def clock(monkeypatch):
    """The engine's time, moved by the test; the poller's throttle waits move it too."""
    clock = FakeClock()
    monkeypatch.setattr(timezone, "now", clock.now)
    monkeypatch.setattr(polling, "time", SleepOnClock(clock))
    return clock


def pytest_terminal_summary(terminalreporter):
    if REPORTED:
        terminalreporter.section("reliability figures")
        write_summary(terminalreporter.write_line)
