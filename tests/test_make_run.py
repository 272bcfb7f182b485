"""`make run`'s processes as Procfile.dev starts them: the worker holds Celery's task time
limits, a process that dies is started again while the others keep serving, and Ctrl-C
still stops everything."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
CONFIGURED = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")


def procfile_command(name: str) -> str:
    for line in (ROOT / "Procfile.dev").read_text().splitlines():
        process, _, command = line.partition(":")
        if process.strip() == name:
            return command.strip()
    raise LookupError(f"no {name} in Procfile.dev")


def embedded_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """What `make run` gives its processes: nothing configured, var/ of the test's own."""
    env = {k: v for k, v in os.environ.items() if k not in CONFIGURED}
    return env | {"VAR_DIR": str(var_dir), "PATH": f"{VENV_BIN}:{env['PATH']}"} | extra


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.2)


def stop_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def test_the_worker_stops_a_task_at_its_time_limits(tmp_path):
    env = embedded_env(tmp_path, CELERY_TASK_SOFT_TIME_LIMIT="2", CELERY_TASK_TIME_LIMIT="4")
    log = tmp_path / "worker.log"
    command = f"{procfile_command('worker')} --include tests.make_run_tasks"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            command, shell=True, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    marker = tmp_path / "marker"
    try:
        wait_for(lambda: " ready." in log.read_text(), 60, "the worker to be ready")
        send = (
            "from panel.celery import app; "
            f"app.send_task('tests.outlive_the_time_limits', args=[{str(marker)!r}])"
        )
        subprocess.run([sys.executable, "-c", send], cwd=ROOT, env=env, check=True)
        wait_for(lambda: "TimeLimitExceeded" in log.read_text(), 40, "the hard time limit")
    finally:
        stop_group(worker)
    assert marker.read_text() == "soft time limit"


def test_a_dead_worker_is_started_again_while_the_site_stays_up_and_ctrl_c_stops_all(tmp_path):
    port = free_port()
    env = embedded_env(tmp_path)
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        run = subprocess.Popen(
            [str(VENV_BIN / "honcho"), "--procfile", "Procfile.dev", "start", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_for(lambda: log.read_text().count(" ready.") == 1, 90, "the worker to be ready")
        wait_for(lambda: site_answers(port), 30, "the web server")

        os.kill(worker_pid(log), signal.SIGKILL)

        wait_for(lambda: log.read_text().count(" ready.") == 2, 90, "the worker to start again")
        assert site_answers(port)
        assert "worker died" in log.read_text()

        os.kill(run.pid, signal.SIGINT)  # what Ctrl-C sends to honcho
        run.wait(30)
        assert not site_answers(port)
        assert not processes_in_sessions_of(log)
    finally:
        stop_group(run)


def site_answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            return answer.status == 200
    except OSError:
        return False


def worker_pid(log: Path) -> int:
    """The Celery worker's main process: the child of the worker's keeper."""
    keeper_shell = int(re.search(r"worker\.1 started \(pid=(\d+)\)", log.read_text())[1])
    for pid in descendants(keeper_shell):
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
        if b"celery" in command and b"keep_running" not in command:
            return pid
    raise AssertionError("no worker process found")


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in sorted(children.get(todo.pop(0), [])):
            found.append(child)
            todo.append(child)
    return found


def processes_in_sessions_of(log: Path) -> list[int]:
    """Every process honcho started (each in a session of its own) that is still alive."""
    started = [int(pid) for pid in re.findall(r"started \(pid=(\d+)\)", log.read_text())]
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) in started and fields[0] != "Z":
                alive.append(int(entry.name))
    return alive
