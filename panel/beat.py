"""Celery beat's scheduler (CELERY_BEAT_SCHEDULER): Celery's persistent one, plus two things.

- Every tick touches a heartbeat file beside the schedule. Compose's health check reads its
  age: on Python 3.13 the schedule itself is an SQLite database in WAL mode, whose file's
  modification time does not move while beat writes to it.
- At start, the scheduled jobs that have never run are sent at once, instead of after their
  first interval: a fresh install syncs its providers' catalogues within seconds, and the
  daily purge does not show as "never run, late" for a day.
"""

import logging
from pathlib import Path

from celery.beat import PersistentScheduler

log = logging.getLogger(__name__)

HEARTBEAT_SUFFIX = ".alive"


def heartbeat_path(schedule_filename: str) -> Path:
    return Path(f"{schedule_filename}{HEARTBEAT_SUFFIX}")


class Scheduler(PersistentScheduler):
    def setup_schedule(self) -> None:
        super().setup_schedule()
        self.send_never_run()

    def tick(self, *args, **kwargs) -> float:
        heartbeat_path(self.schedule_filename).touch()
        return super().tick(*args, **kwargs)

    def send_never_run(self) -> None:
        try:
            from orders.models import JobRun

            ran = set(
                JobRun.objects.filter(last_started_at__isnull=False).values_list("name", flat=True)
            )
        except Exception as exc:  # no database yet: the jobs run at their first interval
            log.warning("beat: cannot tell which jobs never ran (%s)", type(exc).__name__)
            return
        configured = self.app.conf.beat_schedule  # not Celery's own default entries
        for name, entry in self.schedule.items():
            if name in configured and name not in ran:
                log.info("beat: job=%s never ran; sending it now", name)
                self.apply_async(entry, producer=self.producer, advance=False)
