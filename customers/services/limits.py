"""Each key's request limit (Customer.rate_limit_per_minute), shared by every web process.

A token bucket kept in the key's row: it holds a minute's requests and refills at the limit
per minute, so a client may send a burst of its minute's worth, then one request every
60/limit seconds. A request locks the row, refills and takes a token: requests of one key
queue for a moment instead of being refused while tokens remain (a compare and swap that
gave up after a few tries turned a burst within the limit away).
"""

from django.utils import timezone

from customers.models import ApiKey
from orders.services.providers import atomic_async_commit


def request_take(key: ApiKey, limit: int) -> float:
    """Take one request from the key's bucket: 0.0 if allowed, else the seconds to wait."""
    if limit <= 0:
        return 60.0  # no requests at all: ask again in a minute
    capacity, per_second = float(limit), limit / 60.0
    # A token lost in a crash only lets one more request through: no durable commit.
    with atomic_async_commit():
        held, at = (
            ApiKey.objects.select_for_update()
            .filter(pk=key.pk)
            .values_list("bucket_tokens", "bucket_at")
            .get()
        )
        now = timezone.now()
        tokens = capacity
        if held is not None and at is not None:
            elapsed = max(0.0, (now - at).total_seconds())
            tokens = min(capacity, held + elapsed * per_second)
        if tokens < 1:
            return (1 - tokens) / per_second
        ApiKey.objects.filter(pk=key.pk).update(bucket_tokens=tokens - 1, bucket_at=now)
    key.bucket_tokens, key.bucket_at = tokens - 1, now
    return 0.0
