"""The one way the engine gets a client for a provider, and what it learns from each call."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import Error, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from orders.models import ApiCall, Provider
from orders.upstream import CallRecord, ProviderClient, ProviderError, ProviderUnavailable
from orders.upstream.client import MAX_ANSWER_BYTES, Observer

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

# After this many failures in a row a provider is paused, for longer each time.
FAILURES_BEFORE_PAUSE = 3
MAX_PAUSE_SECONDS = 30 * 60
HEALTH_STAMP_EVERY = timedelta(seconds=5)
_session_async = ContextVar("session_async", default=False)


class ProviderPaused(Exception):
    def __init__(self, provider: Provider):
        super().__init__(f"{provider.name} is paused until {provider.paused_until:%H:%M:%S}")
        self.provider = provider


def provider_client(
    provider: Provider,
    *,
    transport: "requests.Session | None" = None,
    observer: Observer | None = None,
) -> ProviderClient:
    """A client for the provider; each call is logged, or handed to `observer` to log later
    (a client called from another thread leaves the database to its caller's thread).

    `transport` carries the calls; by default the PROVIDER_TRANSPORT setting (a session, e.g.
    one with the in-process simulator mounted), else a session of the client's own.
    """
    return ProviderClient(
        provider.api_url,
        provider.api_key,
        timeout=provider.timeouts(),
        deadline=provider.call_deadline,
        max_answer_bytes=getattr(settings, "PROVIDER_MAX_ANSWER_BYTES", MAX_ANSWER_BYTES),
        session=transport or getattr(settings, "PROVIDER_TRANSPORT", None),
        observer=observer or (lambda call: provider_record_call(provider.pk, call)),
    )


@contextmanager
def atomic_async_commit() -> Iterator[None]:
    """An atomic block whose commit does not wait for the disk (PostgreSQL's asynchronous
    commit), for writes a crash may lose without harm: a call log line, a throttle token, a
    poll result the next round asks for again. A durable commit waits ~5 ms on the disk,
    more than such a write itself. Inside another transaction it is a plain atomic block,
    so it never relaxes a commit that is not its own (placement's transitions stay durable).
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql" and not _session_async.get():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO off")
        yield


@contextmanager
def async_commits() -> Iterator[None]:
    """Every commit inside is asynchronous, as in atomic_async_commit: for a polling round,
    whose writes are all of that kind. Set once for the session, not once per transaction
    (four per batch of 100 orders), and put back however the block ends."""
    if connection.vendor != "postgresql" or _session_async.get():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    token = _session_async.set(True)
    try:
        yield
    finally:
        _session_async.reset(token)
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except Error:
            # A lost connection takes the setting with it; an aborted outer transaction
            # undoes it when it rolls back.
            log.warning("synchronous_commit could not be reset", exc_info=True)


def provider_check_usable(provider: Provider) -> None:
    if provider.is_paused:
        raise ProviderPaused(provider)


def provider_record_call(provider_id: int, call: CallRecord) -> None:
    with atomic_async_commit():  # a diagnostic log and a health stamp: one lazy commit
        ApiCall.objects.create(
            provider_id=provider_id,
            action=call.action,
            ids=call.ids,
            duration_ms=round(call.duration_s * 1000),
            outcome=call.outcome,
            reason=str(call.reason)[:100],
            http_status=call.http_status,
        )
        if call.outcome in ("ok", "rejected"):
            # The provider answered: it is healthy, whatever it thought of the request. A
            # provider already marked healthy moments ago is left alone: no write, no lock.
            now = timezone.now()
            Provider.objects.filter(
                Q(consecutive_failures__gt=0)
                | Q(paused_until__isnull=False)
                | Q(last_success_at__isnull=True)
                | Q(last_success_at__lt=now - HEALTH_STAMP_EVERY),
                pk=provider_id,
            ).update(last_success_at=now, consecutive_failures=0, paused_until=None)


def provider_note_failure(provider: Provider, error: ProviderError) -> None:
    """Count a failed call; pause a provider that keeps failing or asked us to slow down."""
    now = timezone.now()
    Provider.objects.filter(pk=provider.pk).update(
        consecutive_failures=F("consecutive_failures") + 1,
        last_failure_at=now,
        last_error=str(error)[:300],
    )
    provider.refresh_from_db(fields=["consecutive_failures", "paused_until"])
    pause = 0.0
    if isinstance(error, ProviderUnavailable) and error.retry_after:
        pause = float(error.retry_after)
    if provider.consecutive_failures >= FAILURES_BEFORE_PAUSE:
        backoff = 30 * 2 ** (provider.consecutive_failures - FAILURES_BEFORE_PAUSE)
        pause = max(pause, min(backoff, MAX_PAUSE_SECONDS))
    if pause:
        paused_until = now + timedelta(seconds=pause)
        Provider.objects.filter(pk=provider.pk).update(paused_until=paused_until)
        provider.paused_until = paused_until
        log.warning("provider=%s paused for %.0fs: %s", provider.pk, pause, error)


def api_calls_purge() -> int:
    cutoff = timezone.now() - timedelta(days=settings.API_CALL_LOG_DAYS)
    deleted, _ = ApiCall.objects.filter(at__lt=cutoff).delete()
    return deleted


def providers_due(job_field: str, every_seconds: int):
    """Active providers whose `job_field` timestamp is missing or older than the interval."""
    stale = timezone.now() - timedelta(seconds=every_seconds)
    return Provider.objects.filter(is_active=True).filter(
        Q(**{f"{job_field}__isnull": True}) | Q(**{f"{job_field}__lt": stale})
    )
