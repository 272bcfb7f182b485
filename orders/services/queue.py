"""Hand work to Celery once the transaction that made it commits.

Tasks are sent by name so services never import the task module (tasks import services).
A broker that is down loses nothing: the order stays queued and the sweeper sends it later.
Nor does it hold anyone up: after a failed send, sends fail at once for a few seconds
instead of each waiting on the broker again (a mass order of hundreds of lines would
otherwise spend minutes on a dead Redis, at about 0.6 s a send, and hang on one that hangs).
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime

from celery import current_app
from django.db import transaction

log = logging.getLogger(__name__)

# One retry covers a pooled connection the broker closed (a Redis restart); more would only
# keep a page waiting on a broker that is away.
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
SKIP_AFTER_FAILURE = 10.0  # seconds

_broker_away_until = 0.0  # time.monotonic() before which sends are not tried


def send(task_name: str, *args, eta: datetime | None = None) -> bool:
    """Send a task, to run at `eta` if given; False when the broker did not take it (logged,
    never raised)."""
    global _broker_away_until
    if time.monotonic() < _broker_away_until:
        log.warning("task=%s args=%s not sent: the broker was away moments ago", task_name, args)
        return False
    try:
        current_app.send_task(task_name, args=args, eta=eta, retry=True, retry_policy=RETRY_POLICY)
    except Exception as exc:  # the broker is away; the sweeper will resend
        _broker_away_until = time.monotonic() + SKIP_AFTER_FAILURE
        log.warning("task=%s args=%s not sent: %s", task_name, args, exc)
        return False
    return True


def send_on_commit(task_name: str, *args, on_failure: Callable[[], object] | None = None) -> None:
    """Send once the transaction commits; `on_failure` runs if the broker does not take it."""

    def go() -> None:
        if not send(task_name, *args) and on_failure is not None:
            on_failure()

    transaction.on_commit(go, robust=True)
