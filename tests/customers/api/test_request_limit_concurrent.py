"""Web processes taking requests from one key's bucket at the same moment."""

import pytest
from django.db import connection
from django.utils import timezone

from customers.selectors.keys import key_lookup
from customers.services import limits
from customers.services.keys import key_issue
from customers.services.limits import request_take
from tests.customers.accounts import make_customer
from tests.threads import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: concurrent writers"
    ),
]


def test_four_processes_at_once_never_grant_more_than_the_keys_limit(monkeypatch):
    customer = make_customer("0", rate_limit_per_minute=12)
    _, raw = key_issue(customer=customer)
    moment = timezone.now()
    monkeypatch.setattr(limits.timezone, "now", lambda: moment)  # nothing refills meanwhile

    def process() -> int:
        key = key_lookup(raw)  # each request reads the key afresh
        assert key is not None
        return sum(1 for _ in range(10) if request_take(key, 12) == 0.0)

    assert sum(at_once(process, 4)) == 12  # 40 requests at one moment: the minute's 12


def test_a_burst_within_the_limit_from_four_processes_is_never_turned_away(monkeypatch):
    customer = make_customer("0", rate_limit_per_minute=120)
    _, raw = key_issue(customer=customer)
    moment = timezone.now()
    monkeypatch.setattr(limits.timezone, "now", lambda: moment)

    def process() -> int:
        key = key_lookup(raw)
        assert key is not None
        return sum(1 for _ in range(25) if request_take(key, 120) == 0.0)

    assert sum(at_once(process, 4)) == 100  # all of them: 100 of the minute's 120
