"""The one way the engine gets a client for a provider, and what it learns from each call."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import Error, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from orders.models import ApiCall, Provider
from orders.upstream import (
    CallRecord,
    KeyRefused,
    ProviderClient,
    ProviderError,
    ProviderUnavailable,
)
from orders.upstream.client import Observer
from orders.upstream.records import PENDING

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


class ProviderKeyRefused(ProviderPaused):
    """Automatic calls stop while the provider refuses the key or account."""

    def __init__(self, provider: Provider):
        Exception.__init__(self, key_refused_text(provider))
        self.provider = provider


def key_refused_text(provider: Provider) -> str:
    return (
        f"{provider.name} refused the API key or account: no automatic call is made until "
        "the key is changed or a connection test succeeds"
    )


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
        max_answer_bytes=settings.PROVIDER_MAX_ANSWER_BYTES,
        session=transport or settings.PROVIDER_TRANSPORT,
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
    """For automatic calls: none while the provider is paused or refuses the key."""
    if provider.key_refused:
        raise ProviderKeyRefused(provider)
    if provider.is_paused:
        raise ProviderPaused(provider)


# Calls told "pending" and not yet completed: the client's call id → the ApiCall row.
_pending_rows: dict[int, int] = {}
PENDING_ROWS_KEPT = 10_000


def api_call_begin(provider_id: int, action: str, ids: int = 0) -> int:
    """Log a call before it is sent: a call cut short (a time limit, a killed worker) stays
    in the log as pending, "no answer recorded". Returns the row to complete."""
    with atomic_async_commit():  # one lazy commit; lost in a crash only with the call itself
        return ApiCall.objects.create(
            provider_id=provider_id, action=action, ids=ids, outcome=PENDING
        ).pk


def provider_record_call(provider_id: int, call: CallRecord, *, row: int | None = None) -> None:
    """Log a call: a pending record opens its row, the outcome completes it (or `row`)."""
    if call.pending:
        pk = api_call_begin(provider_id, call.action, call.ids)
        if len(_pending_rows) >= PENDING_ROWS_KEPT:  # only calls cut short are left behind
            _pending_rows.clear()
        _pending_rows[call.call_id] = pk
        return
    opened = _pending_rows.pop(call.call_id, None)
    row = row or opened
    fields = {
        "duration_ms": round(call.duration_s * 1000),
        "outcome": call.outcome,
        "reason": str(call.reason)[:100],
        "http_status": call.http_status,
    }
    with atomic_async_commit():  # a diagnostic log and a health stamp: one lazy commit
        if not (row and ApiCall.objects.filter(pk=row).update(**fields)):
            ApiCall.objects.create(
                provider_id=provider_id, action=call.action, ids=call.ids, **fields
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
    """Count a failed call; pause a provider that keeps failing or asked us to slow down.

    A refused key or account also stops automatic calls until a person acts.
    """
    now = timezone.now()
    refused = {"key_refused_at": Coalesce("key_refused_at", now)}
    Provider.objects.filter(pk=provider.pk).update(
        consecutive_failures=F("consecutive_failures") + 1,
        last_failure_at=now,
        last_error=str(error)[:300],
        **(refused if isinstance(error, KeyRefused) else {}),
    )
    provider.refresh_from_db(fields=["consecutive_failures", "paused_until", "key_refused_at"])
    pause = asked = _asked_wait(error)
    if provider.consecutive_failures >= FAILURES_BEFORE_PAUSE:
        backoff = 30 * 2 ** (provider.consecutive_failures - FAILURES_BEFORE_PAUSE)
        pause = max(pause, min(backoff, MAX_PAUSE_SECONDS))
    _pause(provider, pause, asked, error, now)


def provider_note_retry_after(provider: Provider, error: ProviderError) -> None:
    """Honour a provider's Retry-After without counting a failure (a person's probe): every
    later call, whoever makes it, waits it out."""
    asked = _asked_wait(error)
    _pause(provider, asked, asked, error, timezone.now())


def _asked_wait(error: ProviderError) -> float:
    if isinstance(error, ProviderUnavailable) and error.retry_after:
        return float(error.retry_after)
    return 0.0


def _pause(
    provider: Provider, pause: float, asked: float, error: ProviderError, now: datetime
) -> None:
    """Pause automatic calls for `pause` s; the provider's own ask (`asked` s) binds all."""
    if not pause:
        return
    fields = {"paused_until": now + timedelta(seconds=pause)}
    if asked:
        fields["retry_after_until"] = now + timedelta(seconds=asked)
    Provider.objects.filter(pk=provider.pk).update(**fields)
    for name, value in fields.items():
        setattr(provider, name, value)
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
