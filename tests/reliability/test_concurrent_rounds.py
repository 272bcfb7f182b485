"""Concurrency: two workers polling one provider at the same moment, round after round, while
a fifth of the calls fail; each order is asked for once a round, and all converge."""

import pytest
from django.db import connection

from orders.models import Provider
from orders.services.catalogue import catalogue_sync
from orders.services.polling import PollResult, orders_poll
from simulator import control
from simulator.testing import API_URL, funded_account
from tests.factories import make_provider
from tests.reliability.network import Wire, use_wire
from tests.reliability.rounds import CONVERGE_WITHIN, STATUS_FAULTS, Rounds
from tests.reliability.upstream import placed_upstream
from tests.threads import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: row locks across threads"
    ),
]
ORDERS, CHAOS_ROUNDS = 1000, 6


def two_workers(provider: Provider) -> list[PollResult]:
    """Two workers start the same provider's round at the same moment."""
    results = at_once(
        lambda: orders_poll(provider=Provider.objects.get(pk=provider.pk)), 2, timeout=120
    )
    assert len(results) == 2
    return results


def test_two_workers_polling_at_once_under_faults_ask_for_each_order_once_a_round(
    sim, clock, settings, figures
):
    use_wire(settings, Wire(clock, latency=0.2))
    control.set_behaviour(partial_share=0.1, cancel_share=0.03)
    provider = make_provider(api_url=API_URL, api_key=funded_account(), rate_limit_per_minute=300)
    catalogue_sync(provider=provider)
    followers = provider.services.get(upstream_id=1)
    placed_upstream(provider, followers, [50 + n % 70 for n in range(ORDERS)], tag="two")
    rounds = Rounds(clock, [provider])  # asserts after each round: nobody asked twice
    control.set_faults(**STATUS_FAULTS)
    for _ in range(CHAOS_ROUNDS):
        rounds.run(poll=two_workers)
    control.reset_faults()
    converged_after = rounds.until_converged(CONVERGE_WITHIN, poll=two_workers)
    shared = sum(1 for pair in rounds.results if all(r.calls for r in pair))
    assert shared, "in some rounds both workers took a share"
    calls = sum(r.calls for pair in rounds.results for r in pair)
    failed = sum(r.failed_calls for pair in rounds.results for r in pair)
    figures.add(
        f"{ORDERS} orders, two workers per round: {rounds.done} rounds ({CHAOS_ROUNDS} under "
        f"faults), {calls} calls ({failed} failed), both busy in {shared} rounds; no order "
        f"asked twice in a round; converged {converged_after} round(s) after the faults"
    )
