"""`manage.py runsimulator`: the simulator as its own multi-process server, for peer tests."""

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_until(process: subprocess.Popen, marker: str, limit: float = 40) -> str:
    """The server's output up to `marker`, read by a thread so a silent server cannot hang us."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout], daemon=True
    ).start()
    seen = ""
    deadline = time.monotonic() + limit
    while marker not in seen:
        try:
            seen += lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            pytest.fail(f"runsimulator did not start within {limit:.0f}s: {seen!r}")
    return seen


@contextmanager
def running(folder: Path):
    port = free_port()
    command = [
        *(sys.executable, "manage.py", "runsimulator", "--port", str(port)),
        *("--key", "peer-key", "--services", "200", "--workers", "2", "--threads", "4"),
        *("--database", str(folder / "simulator.sqlite3")),
    ]
    env = os.environ | {"VAR_DIR": str(folder / "var")}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        banner = read_until(process, "Database:")
        # A cold worker's first answer can take seconds on a busy machine: wake them all
        # here, so the tests' own short timeouts measure the server, not its start-up.
        for _ in range(4):
            requests.get(f"http://127.0.0.1:{port}/control", timeout=60)
        yield port, banner, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()  # the runsimulator this test started, and only it
                process.wait()


@pytest.fixture
def server(tmp_path):
    with running(tmp_path) as started:
        yield started


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    """One server for the tests that leave it running; each starts by resetting it."""
    with running(tmp_path_factory.mktemp("shared")) as (port, _, _):
        yield f"http://127.0.0.1:{port}"


def test_it_serves_the_api_to_many_clients_and_stops_on_sigterm(server):
    port, banner, process = server
    api = f"http://127.0.0.1:{port}/api/v2"
    assert f"Simulator ready: {api}" in banner
    assert "API key: peer-key" in banner
    post = lambda form: requests.post(api, data={"key": "peer-key"} | form, timeout=10)  # noqa: E731
    assert post({"action": "balance"}).json() == {"balance": "1000.00000", "currency": "USD"}
    assert len(post({"action": "services"}).json()) == 200
    links = [f"https://instagram.com/p/peer{n}" for n in range(20)]
    with ThreadPoolExecutor(8) as pool:
        placed = list(
            pool.map(
                lambda link: post({"action": "add", "service": 3, "link": link, "quantity": 10}),
                links,
            )
        )
    ids = ",".join(str(answer.json()["order"]) for answer in placed)
    with ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(lambda _: post({"action": "status", "orders": ids}).json(), range(40))
        )
    assert all(len(answer) == 20 for answer in answers)

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    with pytest.raises(requests.ConnectionError):
        requests.post(api, data={"key": "peer-key", "action": "balance"}, timeout=2)


def test_a_peer_test_steers_faults_over_http_and_reads_the_log(shared_server):
    base = shared_server
    requests.post(f"{base}/control", json={"reset": True, "clear_log": True}, timeout=5)
    faults = {"timeout_share": 1, "timeout_mode": "after", "timeout_seconds": 2, "actions": ["add"]}
    assert requests.post(f"{base}/control", json={"faults": faults}, timeout=5).ok
    form = {
        "key": "peer-key",
        "action": "add",
        "service": 3,
        "link": "https://x.com/a",
        "quantity": 10,
    }
    with pytest.raises(requests.ReadTimeout):
        requests.post(f"{base}/api/v2", data=form, timeout=0.5)
    time.sleep(2)  # the server finishes its pretended hang
    log = requests.get(f"{base}/control/log", params={"action": "add"}, timeout=5).json()
    assert log["summary"]["orders_added"] == 1
    assert log["entries"][0]["detail"] == "timeout"


def test_the_benchmark_command_measures_status_calls_against_it(shared_server, capsys):
    requests.post(f"{shared_server}/control", json={"reset": True}, timeout=5)
    url = f"{shared_server}/api/v2"
    call_command("simulator_bench", url=url, key="peer-key", orders=30, calls=20, ids=30)
    assert "20 status calls x 30 ids, 4 clients" in capsys.readouterr().out
