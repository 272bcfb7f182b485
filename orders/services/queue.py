"""Hand work to Celery once the transaction that made it commits.

Tasks are sent by name so services never import the task module (tasks import services).
A broker that is down loses nothing: the order stays queued and the sweeper sends it later.
"""

import logging

from celery import current_app
from django.db import transaction

log = logging.getLogger(__name__)


def send(task_name: str, *args) -> bool:
    try:
        current_app.send_task(task_name, args=args)
    except Exception as exc:  # the broker is away; the sweeper will resend
        log.warning("task=%s args=%s not sent: %s", task_name, args, exc)
        return False
    return True


def send_on_commit(task_name: str, *args) -> None:
    transaction.on_commit(lambda: send(task_name, *args))
