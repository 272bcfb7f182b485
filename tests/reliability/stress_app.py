"""A Celery app for the broker stress test: the panel's broker settings (read from
panel.settings, so the embedded default unless the environment names another broker), with
two tasks of its own. `fan` runs on a worker and publishes `leaf` messages from the worker's
own thread; `leaf` checks its padding and records its id, once per delivery."""

import hashlib
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panel.settings")
from django.conf import settings

app = Celery("stress")
app.conf.update(
    broker_url=settings.CELERY_BROKER_URL,
    broker_transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
    broker_connection_retry_on_startup=True,
    task_ignore_result=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=False,
)
RECORD = os.environ.get("STRESS_RECORD", "")


def padding(ident: int) -> tuple[str, str]:
    """Up to ~24 KB of text, so that a message is written by more than one system call."""
    text = hashlib.sha256(str(ident).encode()).hexdigest() * (ident % 384)
    return text, hashlib.sha256(text.encode()).hexdigest()


@app.task(name="stress.fan")
def fan(first: int, count: int) -> None:
    for ident in range(first, first + count):
        text, digest = padding(ident)
        leaf.delay(ident, text, digest)


@app.task(name="stress.leaf")
def leaf(ident: int, text: str, digest: str) -> None:
    intact = hashlib.sha256(text.encode()).hexdigest() == digest
    record().write(f"{ident} {'ok' if intact else 'damaged'}\n")


_records: dict[int, object] = {}


def record():
    """This process's own record file, opened once (one write per line: whole lines only)."""
    pid = os.getpid()
    if pid not in _records:
        _records[pid] = open(f"{RECORD}.{pid}", "a", buffering=1)  # noqa: SIM115
    return _records[pid]
