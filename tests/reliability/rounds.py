"""Polling rounds a minute apart on the test's clock, watched for what must never happen.

After each round: no order was asked twice in it, no final status changed, no order is lost
(neither final nor due for a check), none is scheduled beyond the back-off ceiling.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max

from orders.models import FINAL_STATUSES, Order, Provider
from orders.services.polling import PollResult, orders_poll
from simulator import control
from simulator.models import SimRequest
from tests.reliability.clock import FakeClock
from tests.reliability.upstream import mismatches, upstream_truth

ROUND = timedelta(minutes=1)
# About one status call in five fails. Per request: 5 % time out, 5 % are HTML error pages
# (502, 503, 520), 2 % are 429 with Retry-After, 5 % are garbled (cut short, or behind a PHP
# warning); and 0.05 % of ids answer a per-item error, which touches about 5 % of 100-id calls.
STATUS_FAULTS = {
    "timeout_share": 0.05,
    "timeout_mode": "after",
    "error_5xx_share": 0.05,
    "rate_limit_share": 0.02,
    "retry_after": 30,
    "malformed_share": 0.05,
    "item_error_share": 0.0005,
    "actions": ["status"],
    "fault_seed": 8,
}
# Rounds for every order to match the provider once the faults stop. An order waits at most
# the back-off ceiling between checks, and a failed call puts it off by a minute: past that,
# something is stuck.
CONVERGE_WITHIN = settings.POLL_MAX_INTERVAL_SECONDS // 60 + 2


@dataclass
class Rounds:
    clock: FakeClock
    providers: list[Provider]
    done: int = 0
    results: list[list[PollResult]] = field(default_factory=list)
    finals: dict[int, tuple] = field(default_factory=dict)
    last_asked: dict[int, int] = field(default_factory=dict)
    longest_wait: int = 0
    _log_mark: int = 0
    _sim_elapsed: float = 0.0
    _started: datetime = field(init=False)

    def __post_init__(self) -> None:
        self._log_mark = _last_request()
        self._started = self.clock.now()

    def run(self, poll=None) -> list[PollResult]:
        """The next round, a minute after the last one started (or as soon as it ended, when
        it took longer: beat's next tick finds the job free): every provider is polled."""
        self.done += 1
        self._started = self.clock.advance_to(self._started + ROUND)
        self._sync_simulator_clock()
        poll = poll or (lambda provider: [orders_poll(provider=provider)])
        results = []
        for provider in self.providers:
            results += poll(Provider.objects.get(pk=provider.pk))
        self.results.append(results)
        self._check()
        return results

    def until_converged(self, limit: int, poll=None) -> int:
        """Rounds until every order equals the provider's truth; returns how many it took."""
        for done in range(1, limit + 1):
            self.run(poll)
            orders = Order.objects.filter(provider__in=self.providers)
            truth = upstream_truth(orders.values_list("upstream_id", flat=True))
            wrong = mismatches(orders, truth)
            if not wrong:
                return done
        raise AssertionError(f"{len(wrong)} orders still differ after {limit} rounds: {wrong[:5]}")

    def _sync_simulator_clock(self) -> None:
        elapsed = self.clock.elapsed()
        control.advance_clock(elapsed - self._sim_elapsed)
        self._sim_elapsed = elapsed

    def _check(self) -> None:
        asked = self._asked_this_round()
        twice = [upstream_id for upstream_id, times in asked.items() if times > 1]
        assert not twice, f"round {self.done}: asked more than once: {twice[:10]}"
        for upstream_id in asked:
            self.last_asked[upstream_id] = self.done
        orders = Order.objects.filter(provider__in=self.providers)
        self._check_finals(orders)
        lost = orders.exclude(status__in=FINAL_STATUSES).filter(next_check_at__isnull=True)
        assert not lost.exists(), f"round {self.done}: orders neither final nor due: {lost[:5]}"
        ceiling = self.clock.now() + timedelta(seconds=settings.POLL_MAX_INTERVAL_SECONDS)
        beyond = orders.filter(next_check_at__gt=ceiling)
        assert not beyond.exists(), f"round {self.done}: checks beyond the ceiling: {beyond[:5]}"
        for upstream_id in orders.exclude(status__in=FINAL_STATUSES).values_list(
            "upstream_id", flat=True
        ):
            waited = self.done - self.last_asked.get(upstream_id, 0)
            self.longest_wait = max(self.longest_wait, waited)

    def _asked_this_round(self) -> Counter[int]:
        calls = SimRequest.objects.filter(action="status", pk__gt=self._log_mark)
        self._log_mark = _last_request()
        return Counter(
            int(i) for ids in calls.values_list("ids", flat=True) for i in ids.split(",")
        )

    def _check_finals(self, orders) -> None:
        now_final = {
            pk: rest
            for pk, *rest in orders.filter(status__in=FINAL_STATUSES).values_list(
                "pk", "status", "remains", "charge"
            )
        }
        changed = [pk for pk, was in self.finals.items() if now_final.get(pk) != was]
        assert not changed, f"round {self.done}: final statuses overwritten: {changed[:10]}"
        self.finals.update(now_final)


def _last_request() -> int:
    return SimRequest.objects.aggregate(last=Max("pk"))["last"] or 0
