"""Periodic jobs never overlap themselves, and each records when it ran and how it went."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from orders.models import JobRun

log = logging.getLogger(__name__)


class JobReport:
    """What a job says about its run; kept as the job's last summary. A job that handles
    its own failure (to go on with the next provider) sets `failed`: the run is not ok."""

    def __init__(self) -> None:
        self.summary = ""
        self.failed = False


@contextmanager
def job_run(name: str, *, lease_seconds: int = 600) -> Iterator[JobReport | None]:
    """Run the block as job `name`, or yield None when another run of it holds the lease.

    The lease expires by itself, so a worker killed mid-run cannot block the job forever.
    """
    JobRun.objects.get_or_create(name=name)
    now = timezone.now()
    claimed = JobRun.objects.filter(
        Q(running_until__isnull=True) | Q(running_until__lt=now), name=name
    ).update(running_until=now + timedelta(seconds=lease_seconds), last_started_at=now)
    if not claimed:
        log.info("job=%s skipped: a previous run is still going", name)
        yield None
        return
    report = JobReport()
    ok = False
    try:
        yield report
        ok = not report.failed
    except Exception as exc:
        report.summary = f"{type(exc).__name__}: {exc}"[:1000]
        raise
    finally:
        JobRun.objects.filter(name=name).update(
            running_until=None,
            last_finished_at=timezone.now(),
            last_ok=ok,
            last_summary=report.summary,
        )
        log.info("job=%s ok=%s summary=%s", name, ok, report.summary)
