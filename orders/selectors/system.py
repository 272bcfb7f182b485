"""Reads for the system page: periodic jobs, heartbeats, queue depth and the API call log."""

import logging
import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from celery import current_app
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from orders.keyset import ID, Key, Page, Sort, keyset_page, parse_moment
from orders.models import ApiCall, JobRun, Provider

log = logging.getLogger(__name__)

HEARTBEAT = "heartbeat"
# Beat sends the heartbeat every 30 s; four missed beats is no hiccup any more.
HEARTBEAT_STALE = timedelta(minutes=2)
QUEUE_TIMEOUT = 1.0  # seconds; the page must never hang on a broker
FILE_SCAN_LIMIT = 100_000
ACTIONS = ("services", "add", "status", "refill", "refill_status", "cancel", "balance")
OUTCOMES = (
    "ok",
    "rejected",
    "key_refused",
    "unavailable",
    "invalid",
    "ambiguous",
    "error",
    "pending",
)
LOG_PAGE = 50


@dataclass(frozen=True)
class JobStatus:
    name: str
    every: int | None  # seconds between runs, for scheduled jobs
    run: JobRun | None
    provider: Provider | None = None
    job: str = ""
    now: datetime | None = None

    @property
    def every_text(self) -> str:
        return interval_text(self.every) if self.every else ""

    @property
    def running(self) -> bool:
        until = self.run.running_until if self.run else None
        return until is not None and self.now is not None and until > self.now

    @property
    def duration(self) -> timedelta | None:
        run = self.run
        if not run or not run.last_started_at or not run.last_finished_at:
            return None
        spent = run.last_finished_at - run.last_started_at
        return spent if spent >= timedelta(0) else None

    @property
    def late(self) -> bool:
        """A scheduled job that has not started for three of its intervals (and 2 minutes)."""
        if not self.every or self.now is None:
            return False
        started = self.run.last_started_at if self.run else None
        allowed = max(timedelta(seconds=3 * self.every), timedelta(minutes=2))
        return started is None or self.now - started > allowed


def interval_text(seconds: int) -> str:
    """15 s, 5 min, 2 h, 1 d: the largest unit that divides the interval evenly."""
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


@dataclass(frozen=True)
class Jobs:
    scheduled: list[JobStatus]
    per_provider: list[JobStatus]
    heartbeat: JobStatus


def job_statuses(now: datetime | None = None) -> Jobs:
    """Every scheduled job (also those that never ran) and each provider's last jobs."""
    now = now or timezone.now()
    runs = {run.name: run for run in JobRun.objects.all()}
    providers = {p.pk: p for p in Provider.objects.all()}
    schedule = settings.CELERY_BEAT_SCHEDULE
    scheduled = [
        JobStatus(name, int(entry["schedule"]), runs.get(name), now=now)
        for name, entry in schedule.items()
    ]
    per_provider = []
    for name, run in sorted(runs.items()):
        job, _, provider_id = name.partition(":")
        if _is_number(provider_id):
            per_provider.append(
                JobStatus(name, None, run, providers.get(int(provider_id)), job, now=now)
            )
    beat = next((s for s in scheduled if s.name == HEARTBEAT), None)
    every = int(schedule[HEARTBEAT]["schedule"]) if HEARTBEAT in schedule else None
    return Jobs(scheduled, per_provider, beat or JobStatus(HEARTBEAT, every, None, now=now))


@dataclass(frozen=True)
class Heartbeat:
    last: datetime | None
    age: timedelta | None

    @property
    def stale(self) -> bool:
        return self.age is None or self.age > HEARTBEAT_STALE


def heartbeat_of(status: JobStatus, now: datetime | None = None) -> Heartbeat:
    """The heartbeat task runs on a worker when beat sends it: its last finish is both alive."""
    now = now or timezone.now()
    run = status.run
    last = (run.last_finished_at or run.last_started_at) if run else None
    return Heartbeat(last, now - last if last else None)


@dataclass(frozen=True)
class QueueDepth:
    messages: int | None
    transport: str
    note: str = ""


def queue_depth(timeout: float = QUEUE_TIMEOUT, broker_url: str | None = None) -> QueueDepth:
    """Messages waiting in the default queue, where the broker lets us count them cheaply."""
    url = str(broker_url if broker_url is not None else current_app.conf.broker_url or "")
    queue = current_app.conf.task_default_queue or "celery"
    scheme = url.split("://", 1)[0].lower()
    try:
        if scheme in ("redis", "rediss"):
            return QueueDepth(_redis_length(url, queue, timeout), "redis")
        if scheme in ("filesystem", "embedded"):  # embedded: panel/broker.py, same files
            return QueueDepth(_folder_length(queue), scheme)
    except Exception as exc:  # a broker that is down must not take the page with it
        log.warning("queue depth unavailable (%s): %s", scheme, type(exc).__name__)
        note = gettext("the broker did not answer (%s)") % type(exc).__name__
        return QueueDepth(None, scheme, note)
    return QueueDepth(
        None, scheme or "unknown", gettext("this broker cannot be asked for its depth")
    )


def _redis_length(url: str, queue: str, timeout: float) -> int:
    import redis  # only with a Redis broker (celery[redis] installs it)

    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        return int(client.llen(queue))
    finally:
        client.close()


def _folder_length(queue: str) -> int:
    """The filesystem transport keeps one file per message, named `<time>_<id>.<queue>.msg`."""
    folder = str(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
    suffix = f".{queue}.msg"
    count = 0
    with os.scandir(folder) as entries:
        for seen, entry in enumerate(entries):
            if seen >= FILE_SCAN_LIMIT:
                break
            count += entry.name.endswith(suffix)
    return count


@dataclass(frozen=True)
class CallFilter:
    provider: Provider | None = None
    action: str = ""
    outcome: str = ""
    day: date | None = None


# Newest first; calls at the same instant are split by id.
NEWEST_CALLS = Sort((Key("at", True, parse_moment), ID))


def api_call_page(filters: CallFilter, cursor: str = "", size: int = LOG_PAGE) -> Page[ApiCall]:
    """A page of the call log, newest first, after `cursor` (keyset: no OFFSET, no COUNT)."""
    calls = api_calls_matching(filters).select_related("provider")
    return keyset_page(calls, NEWEST_CALLS, after=cursor, size=size)


def api_calls_matching(filters: CallFilter) -> QuerySet[ApiCall]:
    calls = ApiCall.objects.all()
    if filters.provider is not None:
        calls = calls.filter(provider=filters.provider)
    if filters.action:
        calls = calls.filter(action=filters.action)
    if filters.outcome:
        calls = calls.filter(outcome=filters.outcome)
    if filters.day:
        start = timezone.make_aware(datetime.combine(filters.day, time.min))
        calls = calls.filter(at__gte=start, at__lt=start + timedelta(days=1))
    return calls


def _is_number(text: str) -> bool:
    """ASCII digits that fit a bigint (str.isdigit also accepts "²", which int() refuses)."""
    return text.isascii() and text.isdigit() and len(text) < 19
