"""Workers taking calls from one provider's bucket at the same moment, on real row locks."""

import pytest
from django.db import connection
from django.utils import timezone

from orders.services import throttle
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


def test_four_workers_at_once_never_take_more_than_the_burst(monkeypatch):
    provider = make_provider(rate_limit_per_minute=600)  # a burst of 10, then one every 0.1 s
    moment = timezone.now()
    monkeypatch.setattr(throttle.timezone, "now", lambda: moment)  # nothing refills meanwhile

    def worker() -> int:
        return sum(1 for _ in range(10) if throttle_take(provider.pk) == 0.0)

    granted = sum(at_once(worker, 4))
    assert granted == 10  # 40 attempts at one moment: the burst, not a call more
    provider.refresh_from_db()
    assert provider.throttle_tokens is not None and provider.throttle_tokens < 1
