import itertools
import math
from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Provider
from orders.services import throttle
from orders.services.throttle import throttle_line_slot, throttle_take
from tests.factories import make_provider
from tests.reliability.figures import busiest_minute

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    clock = [timezone.now().replace(microsecond=0)]
    monkeypatch.setattr(throttle.timezone, "now", lambda: clock[0])
    return clock


def test_a_burst_of_one_seconds_calls_is_granted_then_calls_wait(clock):
    provider = make_provider(rate_limit_per_minute=120)
    granted = [throttle_take(provider.pk) for _ in range(2)]
    assert granted == [0.0] * 2
    wait = throttle_take(provider.pk)
    assert 0.5 < wait < 0.52  # 118 more a minute: one every 0.508 s


def test_no_rolling_minute_sees_more_calls_than_the_limit(clock):
    provider = make_provider(rate_limit_per_minute=60)
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


def test_callers_that_come_back_when_told_use_all_but_a_sixtieth_of_the_limit(clock):
    provider = make_provider(rate_limit_per_minute=60)
    start, granted_at = clock[0], []
    while clock[0] < start + timedelta(minutes=5):
        if wait := throttle_take(provider.pk, for_line=True):
            clock[0] += timedelta(microseconds=math.ceil(wait * 1e6))
        else:
            granted_at.append(clock[0])
    assert len(granted_at) >= 5 * 59
    assert busiest_minute(granted_at) <= 60


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


def test_orders_put_back_wait_in_line_one_refill_apart(clock):
    provider = make_provider(rate_limit_per_minute=60)
    assert throttle_take(provider.pk, for_line=True) == 0.0
    free_at = clock[0] + timedelta(seconds=throttle_take(provider.pk, for_line=True))
    slots = [throttle_line_slot(provider.pk, free_at) for _ in range(3)]
    step = timedelta(seconds=60 / 59)
    assert slots[0] - free_at < timedelta(milliseconds=1)
    for a, b in itertools.pairwise(slots):
        assert step <= b - a < step + timedelta(milliseconds=1)
    for slot in slots:  # each finds its call at its slot
        clock[0] = slot
        assert throttle_take(provider.pk, for_line=True) == 0.0


def test_the_line_starts_again_from_now_once_it_has_gone(clock):
    provider = make_provider(rate_limit_per_minute=60)
    throttle_line_slot(provider.pk, clock[0])
    clock[0] += timedelta(minutes=5)
    assert throttle_line_slot(provider.pk, clock[0]) == clock[0]


def test_while_the_line_waits_other_callers_take_turns_with_it(clock):
    provider = make_provider(rate_limit_per_minute=60)
    throttle_line_slot(provider.pk, clock[0] + timedelta(minutes=1))  # a line is waiting
    assert throttle_take(provider.pk) == 0.0
    clock[0] += timedelta(seconds=2)  # a call is free, but the line's turn comes first
    assert throttle_take(provider.pk) > 0
    assert throttle_take(provider.pk, for_line=True) == 0.0
    clock[0] += timedelta(seconds=2)
    assert throttle_take(provider.pk) == 0.0


def test_without_a_line_other_callers_use_every_call(clock):
    provider = make_provider(rate_limit_per_minute=60)
    for _ in range(3):
        assert throttle_take(provider.pk) == 0.0
        clock[0] += timedelta(seconds=2)


def test_while_the_line_waits_another_caller_may_take_a_second_free_call(clock):
    provider = make_provider(rate_limit_per_minute=600)  # a burst of 10
    throttle_line_slot(provider.pk, clock[0] + timedelta(minutes=1))
    assert [throttle_take(provider.pk) for _ in range(9)] == [0.0] * 9
    assert throttle_take(provider.pk) > 0  # the last one is the line's
    assert throttle_take(provider.pk, for_line=True) == 0.0
