"""Property: whatever status answers a provider sends, in whatever order and currency, each
order's ledger ends equal to its settled figures, it is settled exactly once, a late
different answer changes nothing but leaves an anomaly, and the roll-up equals the entries.

Orders of several types are placed through the real path (against the simulator) and the
answers go through the real `apply_statuses`, several orders a batch."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.models import EventKind, Order
from orders.services.status_mapping import SETTLED_BY
from orders.upstream import OrderState, OrderStatus
from tests.engine.helpers import placed
from tests.engine.orders_of_every_type import valid_params
from tests.money.booked import ledger_of, poll_with, rollup_matches_entries

pytestmark = pytest.mark.django_db

DB_PROPERTY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
KINDS = ("Default", "drip-feed", "Package", "Custom Comments", "Subscriptions")
RUNNING = (OrderState.PENDING, OrderState.IN_PROGRESS, OrderState.PROCESSING)
FINAL = (
    OrderState.COMPLETED,
    OrderState.PARTIAL,
    OrderState.CANCELED,
    OrderState.REFUNDED,
    OrderState.FAILED,
)
# Mostly the provider's own currency, sometimes another.
CURRENCIES = st.sampled_from(["USD", "USD", "USD", "EUR"])
CHARGES = st.none() | st.decimals(min_value=0, max_value=500, places=5)


@st.composite
def answers(draw, states) -> OrderStatus:
    state = draw(st.sampled_from(states))
    charge = draw(CHARGES)
    if state == OrderState.CANCELED and draw(st.booleans()):
        charge = Decimal(0)  # canceled with no fee kept
    return OrderStatus(
        status=state,
        raw_status=state.value,
        charge=charge,
        start_count=draw(st.none() | st.integers(0, 10_000)),
        remains=draw(st.none() | st.integers(-200, 12_000)),
        currency=draw(CURRENCIES),
    )


@dataclass
class Story:
    """One order's answers: some while it runs, its final one, repeats, a late one."""

    running: list[OrderStatus]
    final: OrderStatus
    repeats: int
    late: OrderStatus

    @property
    def steps(self) -> list[OrderStatus]:
        return [*self.running, self.final, *[self.final] * self.repeats, self.late]


@st.composite
def stories(draw) -> Story:
    return Story(
        running=draw(st.lists(answers(RUNNING), max_size=4)),
        final=draw(answers(FINAL)),
        repeats=draw(st.integers(0, 2)),
        late=draw(answers(FINAL + RUNNING)),
    )


def place(catalogue, kind: str) -> Order:
    if kind == "drip-feed":
        service = catalogue["Default"]
        params = valid_params(service) | {"runs": 3, "interval": 10}
    else:
        service = catalogue[kind]
        params = valid_params(service)
    [order] = placed(service, **params)
    return order


def differs(order: Order, answer: OrderStatus) -> bool:
    """Would this answer change what the order settled on?"""
    new = {
        "status": answer.status.value,
        "charge": order.charge if answer.charge is None else answer.charge,
        "remains": answer.remains,
        "currency": answer.currency if answer.charge is not None else order.currency,
    }
    return any(getattr(order, name) != new[name] for name in SETTLED_BY)


@DB_PROPERTY
@given(plots=st.lists(stories(), min_size=len(KINDS), max_size=len(KINDS)))
def test_every_order_settles_once_into_a_ledger_equal_to_its_figures(catalogue, plots):
    orders = [place(catalogue, kind) for kind in KINDS]
    stories_of = dict(zip(orders, plots, strict=True))
    longest = max(len(story.steps) for story in plots)
    settled: dict[int, tuple] = {}
    late_differs: dict[int, bool] = {}
    for step in range(longest):
        batch = {}
        for order, story in stories_of.items():
            if step < len(story.steps):
                batch[order] = story.steps[step]
            if step == len(story.steps) - 1:  # the late answer: is it a different one?
                late_differs[order.pk] = differs(order, story.late)
        poll_with(batch)
        for order in batch:
            story = stories_of[order]
            if step == len(story.running):  # the final answer: settled now
                assert order.settled_at is not None
                settled[order.pk] = (order.settled_at, order.cost, order.price, order.status)
    for order, story in stories_of.items():
        # Exactly one settlement, at the first final answer, never moved since.
        assert order.status == story.final.status.value
        assert (order.settled_at, order.cost, order.price, order.status) == settled[order.pk]
        # The ledger holds the settled figures, in the order's currency alone.
        figures = {order.currency: (order.cost, order.price)} if order.cost or order.price else {}
        assert ledger_of(order) == figures
        assert order.cost >= 0 and order.price >= 0
        # A late different answer is an anomaly; the same one again is none.
        anomalies = order.events.filter(kind=EventKind.ANOMALY, message__contains="settled money")
        assert anomalies.count() == late_differs[order.pk]
    assert rollup_matches_entries()
