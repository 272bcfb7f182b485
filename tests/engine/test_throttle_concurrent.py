"""Workers taking calls from one provider's bucket at the same moment, on real row locks."""

import pytest
from django.db import connection

from orders.services.throttle import throttle_take
from tests.factories import make_provider
from tests.threads import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: row locks across threads"
    ),
]


def test_four_workers_at_once_never_take_more_than_the_burst():
    provider = make_provider(rate_limit_per_minute=600)  # a burst of 10, then one every 0.1 s

    def worker() -> int:
        return sum(1 for _ in range(10) if throttle_take(provider.pk) == 0.0)

    granted = sum(at_once(worker, 4))
    # 40 attempts within well under a second: the burst, and at most one refilled call.
    assert 10 <= granted <= 11
    provider.refresh_from_db()
    assert provider.throttle_tokens is not None and provider.throttle_tokens < 1
