"""Many thousands of messages through the embedded broker while it is being read: worker
processes publish from their task threads, the test's own threads publish at the same time,
and every delivery is recorded, so what was lost, damaged or delivered twice is counted."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FREE = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")


@dataclass
class Outcome:
    sent: int
    delivered: Counter = field(default_factory=Counter)
    damaged: int = 0
    seconds: float = 0.0
    worker_logs: list[str] = field(default_factory=list)
    workers_died: int = 0

    @property
    def lost(self) -> int:
        return sum(1 for ident in range(self.sent) if ident not in self.delivered)

    @property
    def twice(self) -> int:
        return sum(1 for times in self.delivered.values() if times > 1)

    @property
    def per_second(self) -> float:
        return sum(self.delivered.values()) / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        return (
            f"{self.sent} sent, {len(self.delivered)} delivered, {self.lost} lost, "
            f"{self.twice} twice, {self.damaged} damaged, {self.workers_died} workers died, "
            f"{self.per_second:.0f} messages/s"
        )


def environment(var_dir: Path, broker_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_FREE}
    env |= {"VAR_DIR": str(var_dir), "DEBUG": "true", "STRESS_RECORD": str(var_dir / "seen")}
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    return env


def stress(
    var_dir: Path,
    *,
    worker_args: list[str],
    workers: int = 2,
    fans: int = 40,
    per_fan: int = 100,
    threads: int = 4,
    per_thread: int = 500,
    broker_url: str | None = None,
    wait: float = 60,
) -> Outcome:
    """Start `workers` worker processes, send `fans` tasks that each publish `per_fan` messages
    from a worker thread, and meanwhile `threads` threads here that each publish `per_thread`.
    """
    env = environment(var_dir, broker_url)
    started = [_worker(env, var_dir / f"worker-{n}.log", worker_args) for n in range(workers)]
    outcome = Outcome(sent=fans * per_fan + threads * per_thread)
    try:
        for process, log in started:
            _wait_ready(process, log)
        begun = time.monotonic()
        _publish(env, fans=fans, per_fan=per_fan, threads=threads, per_thread=per_thread)
        deadline = begun + wait
        while time.monotonic() < deadline:
            _read(var_dir, outcome)
            if sum(outcome.delivered.values()) >= outcome.sent:
                break
            if all(process.poll() is not None for process, _ in started):
                break
            time.sleep(0.2)
        outcome.seconds = time.monotonic() - begun
        time.sleep(1)  # a late second delivery would show now
        _read(var_dir, outcome)
    finally:
        for process, log in started:
            outcome.workers_died += process.poll() is not None
            _stop(process)
            outcome.worker_logs.append(log.read_text(errors="replace"))
    return outcome


def _worker(env: dict[str, str], log: Path, args: list[str]) -> tuple[subprocess.Popen, Path]:
    command = [sys.executable, "-m", "celery", "-A", "tests.reliability.stress_app", "worker",
               "--loglevel", "INFO", "--without-heartbeat", "--without-gossip",
               "--without-mingle", *args]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    return process, log


def _wait_ready(process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while " ready." not in log.read_text(errors="replace"):
        assert process.poll() is None, f"the worker exited:\n{log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"the worker is not ready:\n{log.read_text()[-3000:]}"
        time.sleep(0.2)


def _publish(env: dict[str, str], **counts: int) -> None:
    """In a process of its own, so that it reads the same settings as the workers."""
    code = (
        "import sys; from tests.reliability.stress import publish_all; "
        "publish_all(*map(int, sys.argv[1:]))"
    )
    order = [str(counts[k]) for k in ("fans", "per_fan", "threads", "per_thread")]
    subprocess.run([sys.executable, "-c", code, *order], cwd=ROOT, env=env, check=True)


def publish_all(fans: int, per_fan: int, threads: int, per_thread: int) -> None:
    from tests.reliability.stress_app import fan, leaf, padding

    def send_leaves(thread: int) -> None:
        first = fans * per_fan + thread * per_thread
        for ident in range(first, first + per_thread):
            leaf.delay(ident, *padding(ident))

    with ThreadPoolExecutor(threads + 1) as pool:
        fanned = pool.submit(lambda: [fan.delay(n * per_fan, per_fan) for n in range(fans)])
        for done in [pool.submit(send_leaves, n) for n in range(threads)] + [fanned]:
            done.result()


def _read(var_dir: Path, outcome: Outcome) -> None:
    delivered: Counter = Counter()
    damaged = 0
    for record in var_dir.glob("seen.*"):
        for line in record.read_text().splitlines():
            ident, _, state = line.partition(" ")
            delivered[int(ident)] += 1
            damaged += state != "ok"
    outcome.delivered, outcome.damaged = delivered, damaged


def _stop(process: subprocess.Popen) -> None:
    """Everything is counted by now: no need to wait for a warm shutdown."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
