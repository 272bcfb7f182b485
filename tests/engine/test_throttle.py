from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Provider
from orders.services import throttle
from orders.services.throttle import throttle_take
from tests.factories import make_provider

pytestmark = pytest.mark.django_db


def test_a_burst_of_a_tenth_of_the_limit_is_granted_then_calls_wait():
    provider = make_provider(rate_limit_per_minute=60)
    granted = [throttle_take(provider.pk) for _ in range(6)]
    assert granted == [0.0] * 6
    wait = throttle_take(provider.pk)
    assert 0.9 < wait < 1.2  # 54 more a minute: one every 1.11 s


def test_no_rolling_minute_sees_more_calls_than_the_limit(monkeypatch):
    provider = make_provider(rate_limit_per_minute=60)
    clock = [timezone.now()]
    monkeypatch.setattr(throttle.timezone, "now", lambda: clock[0])
    granted_at = []
    for _ in range(3000):  # five minutes of attempts, ten a second
        if throttle_take(provider.pk) == 0.0:
            granted_at.append(clock[0])
        clock[0] += timedelta(seconds=0.1)
    busiest = max(
        sum(1 for t in granted_at if start <= t < start + timedelta(minutes=1))
        for start in granted_at
    )
    assert busiest <= 60
    assert len(granted_at) >= 5 * 54  # and the limit is used, not wasted


def test_tokens_come_back_with_time():
    provider = make_provider(rate_limit_per_minute=120)
    while throttle_take(provider.pk) == 0.0:
        pass
    Provider.objects.filter(pk=provider.pk).update(
        throttle_at=timezone.now() - timedelta(seconds=30)
    )
    assert throttle_take(provider.pk) == 0.0


def test_no_call_is_free_before_the_providers_retry_after_whoever_asks():
    provider = make_provider(rate_limit_per_minute=60)
    Provider.objects.filter(pk=provider.pk).update(
        retry_after_until=timezone.now() + timedelta(seconds=7)
    )
    for probe in (False, True):
        assert 5 < throttle_take(provider.pk, probe=probe) <= 7


def test_a_pause_for_failing_holds_every_caller_but_a_persons_probe():
    provider = make_provider(rate_limit_per_minute=60)
    Provider.objects.filter(pk=provider.pk).update(
        paused_until=timezone.now() + timedelta(minutes=5)
    )
    assert throttle_take(provider.pk) > 250
    assert throttle_take(provider.pk, probe=True) == 0.0
