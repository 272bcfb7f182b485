"""What a submission writes, and in how many statements: the claim counts the attempt, and
the outcome, its timeline entry and the log of the `add` call commit together."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.models import ApiCall, EventKind, LocalState, Order, Provider
from orders.services.placement import order_place, order_submit
from orders.upstream import ProviderClient
from simulator.models import SimAccount

pytestmark = pytest.mark.django_db

PARAMS = {"link": "https://instagram.com/p/a", "quantity": 1000}


@pytest.fixture
def queued(default_service) -> Order:
    return order_place(service=default_service, params=PARAMS)


def added(order: Order) -> list[str]:
    return list(ApiCall.objects.filter(action="add").values_list("outcome", flat=True))


def test_a_placed_order_has_its_attempt_its_event_and_its_logged_call(queued):
    order_submit(queued.pk)
    queued.refresh_from_db()
    assert (queued.state, queued.submit_attempts) == (LocalState.PLACED, 1)
    assert list(queued.events.values_list("kind", flat=True)) == [
        EventKind.PLACED,
        EventKind.QUEUED,
    ]
    assert added(queued) == ["ok"]


def test_a_refusal_is_logged_with_it(provider, queued):
    SimAccount.objects.update(balance=Decimal("0.01"))
    order_submit(queued.pk)
    queued.refresh_from_db()
    assert queued.state == LocalState.REJECTED
    assert added(queued) == ["rejected"]


def test_a_lost_answer_is_logged_with_the_unverified_order(sim, queued):
    sim.set_faults(timeout_share=1, timeout_mode="after", actions=["add"])
    order_submit(queued.pk)
    queued.refresh_from_db()
    assert queued.state == LocalState.UNVERIFIED
    assert added(queued) == ["ambiguous"]


def test_a_wait_for_the_request_limit_gives_its_attempt_back(provider, queued):
    # Emptied a minute ahead: no token comes back however slowly the test runs.
    later = timezone.now() + timedelta(minutes=1)
    Provider.objects.filter(pk=provider.pk).update(throttle_tokens=0, throttle_at=later)
    order_submit(queued.pk)
    queued.refresh_from_db()
    assert (queued.state, queued.submit_attempts) == (LocalState.QUEUED, 0)
    assert queued.submit_after is not None
    assert queued.events.first().kind == EventKind.RETRY
    assert added(queued) == []


def test_a_worker_that_lost_its_claim_overwrites_nothing_but_its_call_is_logged(
    queued, monkeypatch
):
    real_add = ProviderClient.add

    def add_while_swept(self, service, **params):  # the sweeper gave up on it meanwhile
        Order.objects.filter(pk=queued.pk).update(state=LocalState.UNVERIFIED)
        return real_add(self, service, **params)

    monkeypatch.setattr(ProviderClient, "add", add_while_swept)
    order_submit(queued.pk)
    queued.refresh_from_db()
    assert (queued.state, queued.upstream_id) == (LocalState.UNVERIFIED, None)
    assert not queued.events.filter(kind=EventKind.PLACED).exists()
    assert added(queued) == ["ok"]


def test_a_submission_stays_within_its_statement_budget(queued):
    # The claim (which counts the attempt), one read of the order with its service and
    # provider, the request-limit token (read and taken), the call's log line opened before
    # it is sent, and for the outcome the order, its event and the call's log line completed
    # with the provider's health stamp, and its booking (the ledger rows, then their share of
    # each daily roll-up: by service and in total; on PostgreSQL the rows go by COPY, which is
    # not counted here). The simulator's own queries, in process here, are not the engine's.
    with CaptureQueriesContext(connection) as run:
        order_submit(queued.pk)
    engine = [q["sql"] for q in run.captured_queries if '"orders_' in q["sql"]]
    assert len(engine) <= 12, "\n".join(engine)
