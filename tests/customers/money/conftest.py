import sqlite3
from collections.abc import Iterator

import pytest
from django.db import connections
from django.utils import timezone

from orders.services import polling
from tests.reliability.clock import FakeClock, SleepOnClock

# Figures show in the reliability runs' summary (CI), or at once with -s.
from tests.reliability.figures import figures  # noqa: F401 (fixture)


@pytest.fixture
def writers_at_once(request, tmp_path) -> Iterator[str]:
    """A database several threads write to at once, as the panel's processes do.

    PostgreSQL: the test database as it is. SQLite: a copy of it in a file, as the panel runs
    SQLite (WAL, immediate transactions, a busy timeout): the in-memory test database is
    shared through SQLite's shared cache, which refuses a second writer at once ("database
    table is locked") instead of making it wait its turn. The in-memory database stays open
    beside the copy and is the test database again afterwards. Yields which it is.
    """
    request.getfixturevalue("transactional_db")
    connection = connections["default"]
    if connection.vendor != "sqlite":
        yield connection.vendor
        return
    connection.ensure_connection()
    path = tmp_path / "panel.sqlite3"
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    in_memory, name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None  # kept open aside: closing it would drop the database
    connection.settings_dict["NAME"] = str(path)  # every thread's connection reads this dict
    try:
        yield "sqlite, in a file"
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = in_memory


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    """The engine's time, moved by the test; the poller's throttle waits move it too."""
    clock = FakeClock()
    monkeypatch.setattr(timezone, "now", clock.now)
    monkeypatch.setattr(polling, "time", SleepOnClock(clock))
    return clock
