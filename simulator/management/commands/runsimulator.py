"""Serve the simulator alone on 127.0.0.1:PORT at /api/v2, for benchmarks and peer tests.

It prepares its own database (var/simulator-PORT.sqlite3 unless SIMULATOR_DATABASE_URL or
--database says otherwise), then runs gunicorn with threaded workers, so many clients are
served at once. Ctrl-C or SIGTERM stops the server and its workers.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STANDALONE = "simulator.standalone.settings"


class Command(BaseCommand):
    help = "Run the provider simulator as its own server on 127.0.0.1:PORT (API at /api/v2)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8100)
        parser.add_argument("--key", help="make this API key a funded account")
        parser.add_argument("--services", type=int, default=0, help="catalogue size")
        parser.add_argument("--speed", type=float, help="simulated seconds per real second")
        parser.add_argument("--workers", type=int, default=min(4, (os.cpu_count() or 1) + 1))
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--database", help="SQLite file (default: var/simulator-PORT.sqlite3)")
        parser.add_argument("--fresh", action="store_true", help="start from an empty database")
        parser.add_argument(
            "--orders", type=int, default=0, help="seed N active orders for the account"
        )

    def handle(
        self, *args, port, key, services, speed, workers, threads, database, fresh, orders, **o
    ):
        if _listening(port):
            raise CommandError(f"port {port} is taken: is another simulator running there?")
        path = Path(database or settings.VAR_DIR / f"simulator-{port}.sqlite3").resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": STANDALONE,
            "SIMULATOR_DB_PATH": str(path),
            "DEBUG": "true",  # the panel settings' embedded secrets; the simulator turns it off
        }
        key, seeded = self._prepare(env, key, services, speed, orders)
        server = subprocess.Popen(self._gunicorn(port, workers, threads), env=env, cwd=_root())
        stop = _stop_on_sigterm()
        try:
            _wait_until_listening(port, server)
            base = f"http://127.0.0.1:{port}"
            self.stdout.write(
                f"Simulator ready: {base}/api/v2\n  API key: {key}\n"
                f"  Control: {base}/control\n{seeded}  Database: {path}\n"
            )
            self.stdout.flush()
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, stop)
            _terminate(server)

    def _prepare(self, env, key, services, speed, orders) -> tuple[str, str]:
        """The account's key, and a banner line naming the seeded orders' ids (if any)."""
        command = [sys.executable, "manage.py", "simulator_prepare", "--services", str(services)]
        if key:
            command += ["--key", key]
        if speed is not None:
            command += ["--speed", str(speed)]
        if orders:
            command += ["--orders", str(orders)]
        done = subprocess.run(command, env=env, cwd=_root(), capture_output=True, text=True)
        if done.returncode:
            raise CommandError(f"could not prepare the simulator database:\n{done.stderr}")
        lines = done.stdout.strip().splitlines()
        seeded = ""
        for line in lines:
            if line.startswith("orders "):
                first, last = line.split()[1].split("-")
                seeded = f"  Orders: {first}-{last} ({orders} active)\n"
        return lines[-1], seeded

    def _gunicorn(self, port: int, workers: int, threads: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "simulator.standalone.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--worker-class=gthread",
            "--graceful-timeout=3",
            "--log-level=warning",
        ]


def _root() -> Path:
    return Path(settings.BASE_DIR)


def _stop_on_sigterm():
    """Turn SIGTERM into KeyboardInterrupt, so both stop the server the same way."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _wait_until_listening(port: int, server: subprocess.Popen, limit: float = 20) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"the server exited with status {server.returncode}")
        if _listening(port):
            return
        time.sleep(0.1)
    raise CommandError(f"the server did not listen on port {port} within {limit:.0f}s")


def _terminate(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
