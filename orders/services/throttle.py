"""Keep each provider under its published request limit, across every worker process.

A token bucket in the provider's row: a burst of a tenth of the limit, refilled at the rest,
so no rolling minute ever sees more calls than the limit.
"""

import math
import time

from django.db import connection
from django.utils import timezone

from orders.models import Provider
from orders.services.providers import atomic_async_commit


def _bucket(limit: int) -> tuple[float, float]:
    """The burst and the refill per second; _BURST and _PER_SECOND below say it again in SQL."""
    burst = max(1.0, limit / 10)
    return burst, max(limit - burst, 1.0) / 60.0


# On PostgreSQL a granted call is one statement: the bucket refilled and debited in the row
# itself, which the UPDATE re-reads under its lock, so concurrent takers cannot overspend.
# The same bucket as _bucket: test_throttle runs both (granted here, the wait there).
_BURST = "GREATEST(1.0, rate_limit_per_minute / 10.0)"
_PER_SECOND = f"(GREATEST(rate_limit_per_minute - {_BURST}, 1.0) / 60.0)"
_ELAPSED = "GREATEST(0.0, EXTRACT(EPOCH FROM (%(now)s - COALESCE(throttle_at, %(now)s))))"
_TOKENS = f"LEAST({_BURST}, COALESCE(throttle_tokens, {_BURST}) + {_ELAPSED} * {_PER_SECOND})"
_TAKE = (
    f"UPDATE {Provider._meta.db_table} SET throttle_tokens = {_TOKENS} - 1, throttle_at = %(now)s"
    f" WHERE id = %(id)s AND {_TOKENS} >= 1"
    " AND (retry_after_until IS NULL OR retry_after_until <= %(now)s)"  # the provider's ask
)
_TAKE_UNPAUSED = f"{_TAKE} AND (paused_until IS NULL OR paused_until <= %(now)s)"


def throttle_take(provider_id: int, *, probe: bool = False) -> float:
    """Take one call from the bucket: 0.0 if granted, else the seconds until one is free.

    No call is free before the provider's Retry-After has passed, whoever asks, nor while
    the provider is paused for failing, except for a person's `probe` (a connection test).
    """
    if connection.vendor == "postgresql":
        with atomic_async_commit(), connection.cursor() as cursor:
            sql = _TAKE if probe else _TAKE_UNPAUSED
            cursor.execute(sql, {"now": timezone.now(), "id": provider_id})
            if cursor.rowcount:
                return 0.0
    return _take_locked(provider_id, probe)  # refused (to say how long to wait), or on SQLite


def _take_locked(provider_id: int, probe: bool) -> float:
    with atomic_async_commit():  # a token lost in a crash only lets one more call through
        provider = (
            Provider.objects.select_for_update()
            .only(
                "rate_limit_per_minute",
                "throttle_tokens",
                "throttle_at",
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
        if tokens < 1.0:
            return (1.0 - tokens) / per_second
        Provider.objects.filter(pk=provider_id).update(
            throttle_tokens=tokens - 1.0, throttle_at=now
        )
        return 0.0


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
