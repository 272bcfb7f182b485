"""Each key's request limit (Customer.rate_limit_per_minute), shared by every web process.

A token bucket kept in the key's row: it holds a minute's requests and refills at the limit
per minute, so a client may send a burst of its minute's worth, then one request every
60/limit seconds. A request takes a token with an UPDATE conditional on the tokens and time
it read (compare and swap): two processes taking the last token at once cannot both get it.
"""

from django.utils import timezone

from customers.models import ApiKey
from orders.services.providers import atomic_async_commit

ATTEMPTS = 5  # compare-and-swap tries before a crowd of requests is told to come back


def request_take(key: ApiKey, limit: int) -> float:
    """Take one request from the key's bucket: 0.0 if allowed, else the seconds to wait."""
    if limit <= 0:
        return 60.0  # no requests at all: ask again in a minute
    capacity, per_second = float(limit), limit / 60.0
    for _ in range(ATTEMPTS):
        now = timezone.now()
        tokens = capacity
        if key.bucket_tokens is not None and key.bucket_at is not None:
            elapsed = max(0.0, (now - key.bucket_at).total_seconds())
            tokens = min(capacity, key.bucket_tokens + elapsed * per_second)
        if tokens < 1:
            return (1 - tokens) / per_second
        unchanged = ApiKey.objects.filter(
            pk=key.pk, bucket_tokens=key.bucket_tokens, bucket_at=key.bucket_at
        )
        if key.bucket_tokens is None or key.bucket_at is None:
            unchanged = ApiKey.objects.filter(pk=key.pk, bucket_tokens__isnull=True)
        # A token lost in a crash only lets one more request through: no durable commit.
        with atomic_async_commit():
            taken = unchanged.update(bucket_tokens=tokens - 1, bucket_at=now)
        if taken:
            key.bucket_tokens, key.bucket_at = tokens - 1, now
            return 0.0
        key.refresh_from_db(fields=["bucket_tokens", "bucket_at"])
    return 1 / per_second
