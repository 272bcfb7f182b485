"""Keep each provider under its published request limit, across every worker process.

A token bucket in the provider's row: a burst of a tenth of the limit, refilled at the rest,
so no rolling minute ever sees more calls than the limit.
"""

import math
import time

from django.utils import timezone

from orders.models import Provider
from orders.services.providers import atomic_async_commit


def _bucket(limit: int) -> tuple[float, float]:
    burst = max(1.0, limit / 10)
    return burst, max(limit - burst, 1.0) / 60.0


def throttle_take(provider_id: int) -> float:
    """Take one call from the bucket: 0.0 if granted, else the seconds until one is free."""
    with atomic_async_commit():  # a token lost in a crash only lets one more call through
        provider = (
            Provider.objects.select_for_update()
            .only("rate_limit_per_minute", "throttle_tokens", "throttle_at")
            .get(pk=provider_id)
        )
        burst, per_second = _bucket(provider.rate_limit_per_minute)
        now = timezone.now()
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


def throttle_require(provider: Provider, *, wait_up_to: float = 0.0) -> None:
    """Take one call from the bucket, waiting at most `wait_up_to` seconds for it to refill.

    Raises ProviderThrottled otherwise. A periodic sync waits for nothing (it stays due and
    runs at beat's next tick); a person's refill or cancel waits a few seconds at most.
    """
    deadline = time.monotonic() + wait_up_to
    while wait := throttle_take(provider.pk):
        if time.monotonic() + wait > deadline:
            raise ProviderThrottled(provider, wait)
        time.sleep(wait)
