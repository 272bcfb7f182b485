"""A task for tests/test_make_run.py, loaded into `make run`'s worker with --include."""

import time
from pathlib import Path

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded


@shared_task(name="tests.outlive_the_time_limits")
def outlive_the_time_limits(marker: str) -> None:
    """Sleep far past both limits; note the soft one if it fires, and keep sleeping."""
    try:
        time.sleep(60)
    except SoftTimeLimitExceeded:
        Path(marker).write_text("soft time limit")
        time.sleep(60)
    Path(marker).write_text("ran to the end")
