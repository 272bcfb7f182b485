"""The provider simulator in its own process on loopback (`manage.py runsimulator`).

It holds the active orders the round polls (`--orders`), the catalogue the sync reads, and a
request log the benchmark reads back over HTTP to count the calls it received.
"""

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from django.conf import settings

KEY = "bench-key"
STARTUP_LIMIT = 600.0  # seeding 100,000 orders takes about 20 s; a busy machine, longer


@dataclass
class Simulator:
    base: str
    key: str
    first_id: int
    last_id: int
    process: subprocess.Popen

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/v2"

    def control(self, **commands) -> dict:
        answer = requests.post(f"{self.base}/control", json=commands, timeout=60)
        answer.raise_for_status()
        return answer.json()

    def log_summary(self) -> dict:
        answer = requests.get(f"{self.base}/control/log", params={"limit": 1}, timeout=60)
        answer.raise_for_status()
        return answer.json()["summary"]

    def calls(self, action: str) -> int:
        return self.log_summary()["by_action"].get(action, 0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_simulator(folder: Path, *, orders: int, services: int) -> Iterator[Simulator]:
    """Start runsimulator with a frozen clock (answers do not drift during a round)."""
    port = free_port()
    command = [
        *(sys.executable, "manage.py", "runsimulator", "--port", str(port), "--key", KEY),
        *("--services", str(services), "--orders", str(orders), "--speed", "0", "--fresh"),
        *("--database", str(folder / "simulator.sqlite3")),
    ]
    # Its own settings module, never the dashboard's database: drop what would point there.
    env = {k: v for k, v in os.environ.items() if k != "SIMULATOR_DATABASE_URL"}
    process = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # Ctrl-C reaches the benchmark, which then stops it in order
    )
    try:
        banner = _banner(process)
        found = re.search(r"Orders: (\d+)-(\d+)", banner)
        first, last = (int(found[1]), int(found[2])) if found else (0, -1)
        yield Simulator(f"http://127.0.0.1:{port}", KEY, first, last, process)
    finally:
        _stop(process)


def _banner(process: subprocess.Popen) -> str:
    """The server's output up to its ready banner, read by a thread so it cannot hang us."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:  # to the end: a full pipe would stall the server's log lines
        for line in process.stdout or ():
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    seen, deadline = "", time.monotonic() + STARTUP_LIMIT
    while "Database:" not in seen:
        if process.poll() is not None and lines.empty():
            raise RuntimeError(f"runsimulator exited ({process.returncode}): {seen}")
        try:
            seen += lines.get(timeout=1)
        except queue.Empty:
            if time.monotonic() > deadline:
                raise RuntimeError(f"runsimulator did not start: {seen}") from None
    return seen


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()  # the server this run started, and only it
            process.wait()
