"""An upgraded install's orders enter the ledger: placed ones booked, final ones settled."""

import importlib
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from django.apps import apps

from orders.models import LedgerEntry, LocalState, Movement, Status
from tests.factories import make_order, make_service
from tests.money.booked import kinds_of, ledger_of, rollup_matches_entries

pytestmark = pytest.mark.django_db
history = importlib.import_module("orders.migrations.0012_book_order_history")
totals = importlib.import_module("orders.migrations.0015_ledger_day_totals")

SUBMITTED = datetime(2026, 11, 2, 9, tzinfo=UTC)
FINISHED = datetime(2026, 11, 3, 18, tzinfo=UTC)


def upgrade() -> None:
    """The two migrations that fill the ledger and its roll-ups on an upgraded install."""
    history.book_history(apps, None)
    totals.fill(apps, None)


def old_order(**fields):
    service = fields.pop("service", None) or make_service(rate=D("2.40"), max_quantity=50_000)
    defaults = {
        "quantity": 50_000,
        "cost": D("120"),
        "price": D("156"),
        "currency": "USD",
        "submitted_at": SUBMITTED,
    }
    return make_order(service, **(defaults | fields))


def test_a_running_order_is_booked_at_its_estimate_when_it_was_submitted():
    order = old_order(status=Status.IN_PROGRESS)
    upgrade()
    order.refresh_from_db()
    assert ledger_of(order) == {"USD": (D(120), D(156))}
    assert set(order.ledger.values_list("at", flat=True)) == {SUBMITTED}
    assert order.settled_at is None


def test_a_finished_partial_order_is_settled_when_it_finished():
    order = old_order(
        status=Status.PARTIAL, remains=47_321, charge=D("6.43"), completed_at=FINISHED
    )
    upgrade()
    order.refresh_from_db()
    assert (order.cost, order.price, order.settled_at) == (D("6.43"), D("8.35848"), FINISHED)
    assert ledger_of(order) == {"USD": (D("6.43"), D("8.35848"))}
    assert order.ledger.filter(kind=Movement.REFUND).get().at == FINISHED
    assert rollup_matches_entries()


def test_orders_never_placed_book_nothing():
    old_order(state=LocalState.REJECTED, upstream_id=None)
    old_order(state=LocalState.NOT_PLACED, upstream_id=None)
    upgrade()
    assert not LedgerEntry.objects.exists()


def test_a_subscription_moves_its_rates_aside_and_books_only_what_it_was_charged():
    service = make_service(type="Subscriptions", rate=D("2"))
    order = old_order(
        service=service,
        quantity=None,
        cost=D("2"),  # its rates per 1000, as subscriptions kept them
        price=D("3"),
        status=Status.IN_PROGRESS,
        charge=D("1.2"),
    )
    upgrade()
    order.refresh_from_db()
    assert (order.rate, order.selling_rate) == (D(2), D(3))
    assert (order.cost, order.price) == (D("1.2"), D("1.8"))
    # Counted as placed (a spend row at zero), then what it was charged as adjustments.
    assert kinds_of(order) == [Movement.SPEND, Movement.SPEND_ADJUSTMENT, Movement.SALE_ADJUSTMENT]


def test_running_it_twice_books_nothing_twice():
    done = old_order(status=Status.COMPLETED, remains=0, charge=D(118), completed_at=FINISHED)
    running = old_order(status=Status.IN_PROGRESS)
    upgrade()
    upgrade()
    assert ledger_of(done) == {"USD": (D(118), D(156))}
    assert (done.ledger.count(), running.ledger.count()) == (3, 2)
    assert rollup_matches_entries()
