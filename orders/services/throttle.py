"""Keep each provider under its published request limit, across every worker process.

A token bucket in the provider's row: a burst of one second's calls (at least one), refilled
at the rest of the minute, so no rolling minute ever sees more calls than the limit and a
busy minute uses all but a sixtieth of it.

Orders the limit puts back wait in a line: each gets a slot of its own, one refill apart
(throttle_line_slot), and its task is scheduled for it, so a backlog is placed at the
bucket's rate without a crowd of tasks asking for the same call. The line shares the bucket
with every other call; while it waits, other callers may not take two calls in a row, so a
long status round and the line take turns (neither starves the other).
"""

import math
import time
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from orders.models import Provider
from orders.services.providers import atomic_async_commit


def _bucket(limit: int) -> tuple[float, float]:
    """The burst and the refill per second; _BURST and _PER_SECOND below say it again in SQL.

    A minute holds at most the burst plus a minute's refill: exactly the limit."""
    burst = max(1.0, limit / 60)
    return burst, max(limit - burst, 1.0) / 60.0


# On PostgreSQL a granted call is one statement: the bucket refilled and debited in the row
# itself, which the UPDATE re-reads under its lock, so concurrent takers cannot overspend.
# The same bucket as _bucket: test_throttle runs both (granted here, the wait there).
_BURST = "GREATEST(1.0, rate_limit_per_minute / 60.0)"
_PER_SECOND = f"(GREATEST(rate_limit_per_minute - {_BURST}, 1.0) / 60.0)"
_ELAPSED = "GREATEST(0.0, EXTRACT(EPOCH FROM (%(now)s - COALESCE(throttle_at, %(now)s))))"
_TOKENS = f"LEAST({_BURST}, COALESCE(throttle_tokens, {_BURST}) + {_ELAPSED} * {_PER_SECOND})"
_LINE_WAITS = "COALESCE(throttle_line_until > %(now)s, FALSE)"
_TAKE = (
    f"UPDATE {Provider._meta.db_table} SET throttle_tokens = {_TOKENS} - 1, throttle_at = %(now)s"
)
# The line's orders take any free call; another caller leaves the line the call after its own
# (it needs a second one free meanwhile).
# No call is free before the provider's Retry-After has passed, whoever asks.
_ASKED = " AND (retry_after_until IS NULL OR retry_after_until <= %(now)s)"
_TAKE_FOR_LINE = (
    f"{_TAKE}, throttle_owed_to_line = FALSE WHERE id = %(id)s AND {_TOKENS} >= 1{_ASKED}"
)
_TAKE_OTHER = (
    f"{_TAKE}, throttle_owed_to_line = {_LINE_WAITS} WHERE id = %(id)s"
    f" AND {_TOKENS} >= CASE WHEN throttle_owed_to_line AND {_LINE_WAITS} THEN 2 ELSE 1 END"
    f"{_ASKED}"
)
_UNPAUSED = " AND (paused_until IS NULL OR paused_until <= %(now)s)"


def throttle_take(provider_id: int, *, for_line: bool = False, probe: bool = False) -> float:
    """Take one call from the bucket: 0.0 if granted, else the seconds until one is free.

    `for_line`: the caller is an order placement (see throttle_line_slot). No call is free
    before the provider's Retry-After has passed, whoever asks, nor while the provider is
    paused for failing, except for a person's `probe` (a connection test).
    """
    if connection.vendor == "postgresql":
        with atomic_async_commit(), connection.cursor() as cursor:
            sql = (_TAKE_FOR_LINE if for_line else _TAKE_OTHER) + ("" if probe else _UNPAUSED)
            cursor.execute(sql, {"now": timezone.now(), "id": provider_id})
            if cursor.rowcount:
                return 0.0
    # Refused (to say how long to wait), or on SQLite.
    return _take_locked(provider_id, for_line=for_line, probe=probe)


def _take_locked(provider_id: int, *, for_line: bool, probe: bool) -> float:
    with atomic_async_commit():  # a token lost in a crash only lets one more call through
        provider = (
            Provider.objects.select_for_update()
            .only(
                "rate_limit_per_minute",
                "throttle_tokens",
                "throttle_at",
                "throttle_line_until",
                "throttle_owed_to_line",
                "paused_until",
                "retry_after_until",
            )
            .get(pk=provider_id)
        )
        burst, per_second = _bucket(provider.rate_limit_per_minute)
        now = timezone.now()
        waits = [provider.retry_after_until, None if probe else provider.paused_until]
        until = max((t for t in waits if t is not None), default=now)
        if until > now:
            return (until - now).total_seconds()
        tokens = burst if provider.throttle_tokens is None else provider.throttle_tokens
        if provider.throttle_at is not None:
            elapsed = max(0.0, (now - provider.throttle_at).total_seconds())
            tokens = min(burst, tokens + elapsed * per_second)
        line_waits = provider.throttle_line_until is not None and provider.throttle_line_until > now
        # The line's call first, then the next one, unless two are free.
        needed = 2.0 if not for_line and line_waits and provider.throttle_owed_to_line else 1.0
        if tokens < needed:
            return (needed - tokens) / per_second
        Provider.objects.filter(pk=provider_id).update(
            throttle_tokens=tokens - 1.0,
            throttle_at=now,
            throttle_owed_to_line=line_waits and not for_line,
        )
        return 0.0


def throttle_line_slot(provider_id: int, earliest: datetime) -> datetime:
    """The next slot in the line of orders the limit put back: `earliest` (when the bucket
    frees a call) or, if others wait already, one refill after the last of them."""
    with transaction.atomic():
        provider = (
            Provider.objects.select_for_update()
            .only("rate_limit_per_minute", "throttle_line_until")
            .get(pk=provider_id)
        )
        step = timedelta(seconds=_bucket(provider.rate_limit_per_minute)[1] ** -1)
        slot = max(earliest, provider.throttle_line_until or earliest)
        # To the next millisecond: the call is surely refilled by then (no rounding short).
        slot += timedelta(microseconds=-slot.microsecond % 1000)
        Provider.objects.filter(pk=provider_id).update(throttle_line_until=slot + step)
        return slot


class ProviderThrottled(Exception):
    def __init__(self, provider: Provider, wait: float):
        super().__init__(
            f"{provider.name}'s request limit is reached: the next call is free in "
            f"{math.ceil(wait)} s"
        )
        self.provider, self.wait = provider, wait


def throttle_require(provider: Provider, *, wait_up_to: float = 0.0, probe: bool = False) -> None:
    """Take one call from the bucket, waiting at most `wait_up_to` seconds for it to refill.

    Raises ProviderThrottled otherwise. A periodic sync waits for nothing (it stays due and
    runs at beat's next tick); a person's refill or cancel waits a few seconds at most.
    """
    deadline = time.monotonic() + wait_up_to
    while wait := throttle_take(provider.pk, probe=probe):
        if time.monotonic() + wait > deadline:
            raise ProviderThrottled(provider, wait)
        time.sleep(wait)
