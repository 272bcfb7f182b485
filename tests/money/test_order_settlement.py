"""Orders in the ledger: booked when placed, settled once when final, never rewritten after."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.models import EventKind, LedgerEntry, LocalState, Movement, Order, Status
from orders.selectors.unverified import IdWindow
from orders.services.placement import order_place, order_submit
from orders.services.polling import apply_statuses, claim_due
from orders.services.recovery import order_confirm_upstream, upstream_doubts
from orders.upstream import OrderState
from simulator.models import SimAccount
from tests.engine.helpers import placed, unverified_between
from tests.factories import make_service
from tests.money.booked import (
    booked_order,
    kinds_of,
    ledger_of,
    poll_with,
    rollup_matches_entries,
    status,
)

pytestmark = pytest.mark.django_db


# ---- Booking at placement ----


def test_a_placed_order_books_its_cost_estimate_as_spend_and_its_price_as_sale(default_service):
    [order] = placed(default_service, link="https://instagram.com/p/a", quantity=1000)
    assert order.cost == default_service.cost_of(1000)
    assert ledger_of(order) == {order.currency: (order.cost, order.price)}
    assert kinds_of(order) == [Movement.SPEND, Movement.SALE]
    assert order.ledger.first().at == order.submitted_at
    assert rollup_matches_entries()


def test_an_order_the_provider_refuses_books_nothing(provider, default_service):
    SimAccount.objects.update(balance=D("0.01"))
    order = order_place(
        service=default_service, params={"link": "https://x.com/a", "quantity": 1000}
    )
    order_submit(order.pk)
    order.refresh_from_db()
    assert order.state == LocalState.REJECTED
    assert not LedgerEntry.objects.exists()


def test_a_subscription_books_no_money_until_the_provider_charges_a_post(catalogue):
    service = catalogue["Subscriptions"]
    [order] = placed(service)
    assert (order.cost, order.price) == (0, 0)
    assert (order.rate, order.selling_rate) == (service.rate, service.selling_rate())
    # Only the row that counts it as placed, at zero.
    assert list(order.ledger.values_list("kind", "amount")) == [(Movement.SPEND, 0)]


def test_an_unverified_order_staff_confirm_upstream_is_booked_then(sim, default_service, operator):
    order, issued = unverified_between(sim, default_service)
    assert not order.ledger.exists()
    order_confirm_upstream(order=order, upstream_id=issued, user=operator)
    assert ledger_of(order) == {"USD": (order.cost, order.price)}


# ---- Settlement ----


def test_a_partial_order_is_settled_at_what_was_delivered():
    order = booked_order()
    poll_with({order: status(OrderState.PARTIAL, remains=47_321, charge="6.43")})
    assert (order.cost, order.price) == (D("6.43"), D("8.35848"))
    assert order.settled_at is not None
    assert ledger_of(order) == {"USD": (D("6.43"), D("8.35848"))}
    assert kinds_of(order) == [
        Movement.SPEND,
        Movement.SALE,
        Movement.REFUND,
        Movement.SALE_REVERSAL,
    ]
    assert rollup_matches_entries()


def test_a_completed_order_is_settled_at_the_providers_charge_and_its_price():
    order = booked_order()
    poll_with({order: status(OrderState.COMPLETED, remains=0, charge="118.5")})
    assert (order.cost, order.price) == (D("118.5"), D("156"))
    assert kinds_of(order)[2:] == [Movement.SPEND_ADJUSTMENT]


def test_a_canceled_order_is_settled_at_nothing_sold():
    order = booked_order()
    poll_with({order: status(OrderState.CANCELED, remains=50_000, charge="0")})
    assert (order.cost, order.price) == (0, 0)
    assert ledger_of(order) == {}


def test_a_canceled_order_whose_provider_kept_a_fee_costs_the_fee():
    order = booked_order()
    poll_with({order: status(OrderState.CANCELED, charge="0.75")})
    assert ledger_of(order) == {"USD": (D("0.75"), D(0))}


def test_an_order_answered_in_another_currency_moves_its_money_to_that_currency():
    order = booked_order()
    poll_with({order: status(OrderState.COMPLETED, remains=0, charge="110", currency="EUR")})
    assert (order.currency, order.cost, order.price) == ("EUR", D("110"), D("143"))
    assert ledger_of(order) == {"EUR": (D("110"), D("143"))}
    usd = order.ledger.filter(currency="USD")
    assert sorted(usd.values_list("kind", flat=True)) == sorted(
        [Movement.SPEND, Movement.SALE, Movement.SPEND_ADJUSTMENT, Movement.SALE_REVERSAL]
    )


def test_a_drip_feed_order_is_settled_at_its_charge_never_above_its_price():
    order = booked_order(params={"link": "https://x.com/a", "quantity": 10_000, "runs": 5})
    poll_with({order: status(OrderState.COMPLETED, remains=0, charge="150")})
    assert (order.cost, order.price) == (D("150"), D("156"))


def test_a_running_subscription_follows_the_charge_then_settles_at_the_end():
    service = make_service(type="Subscriptions", rate=D("2"))
    order = booked_order(
        service=service, quantity=None, cost=D(0), price=D(0), rate=D("2"), selling_rate=D("3")
    )
    poll_with({order: status(OrderState.IN_PROGRESS, charge="1", raw="Active")})
    assert (order.cost, order.price, order.settled_at) == (D(1), D("1.5"), None)
    poll_with({order: status(OrderState.IN_PROGRESS, charge="2.5", raw="Active")})
    assert ledger_of(order) == {"USD": (D("2.5"), D("3.75"))}
    # Counted once as placed (a spend row at zero), then each rise of the charge adjusts it.
    adjusted = [Movement.SPEND_ADJUSTMENT, Movement.SALE_ADJUSTMENT]
    assert kinds_of(order) == [Movement.SPEND, *adjusted, *adjusted]
    poll_with({order: status(OrderState.COMPLETED, charge="3", raw="Expired")})
    assert (order.cost, order.price) == (D(3), D("4.5"))
    assert ledger_of(order) == {"USD": (D(3), D("4.5"))}
    assert order.settled_at is not None


def test_an_order_that_is_still_running_keeps_its_estimate():
    order = booked_order()
    poll_with({order: status(OrderState.IN_PROGRESS, remains=20_000, charge="120")})
    assert (order.cost, order.price, order.settled_at) == (D(120), D(156), None)
    assert kinds_of(order) == [Movement.SPEND, Movement.SALE]


# ---- Once, and never rewritten ----


def test_a_later_different_answer_is_an_anomaly_and_changes_nothing():
    order = booked_order()
    poll_with({order: status(OrderState.PARTIAL, remains=47_321, charge="6.43")})
    settled_at, rows = order.settled_at, order.ledger.count()
    poll_with({order: status(OrderState.PARTIAL, remains=40_000, charge="9.10")})
    poll_with({order: status(OrderState.COMPLETED, remains=0, charge="120")})
    assert (order.status, order.charge, order.remains) == (Status.PARTIAL, D("6.43"), 47_321)
    assert (order.cost, order.settled_at, order.ledger.count()) == (D("6.43"), settled_at, rows)
    anomalies = order.events.filter(kind=EventKind.ANOMALY)
    assert anomalies.count() == 2
    assert "charge 9.10" in anomalies.last().message


def test_the_same_final_answer_again_is_no_anomaly():
    order = booked_order()
    poll_with({order: status(OrderState.COMPLETED, remains=0, charge="118")})
    poll_with({order: status(OrderState.COMPLETED, remains=0, charge="118")})
    assert not order.events.filter(kind=EventKind.ANOMALY).exists()
    assert order.ledger.count() == 3


def test_two_writers_with_the_same_final_answer_settle_it_once():
    order = booked_order()
    Order.objects.filter(pk=order.pk).update(next_check_at=timezone.now())
    [first] = claim_due(order.provider, timezone.now())
    Order.objects.filter(pk=order.pk).update(claimed_until=None)
    [second] = claim_due(order.provider, timezone.now())  # its lease ran out meanwhile
    answer = {order.upstream_id: status(OrderState.PARTIAL, remains=25_000, charge="60")}
    apply_statuses([first], answer)
    apply_statuses([second], answer)
    order.refresh_from_db()
    assert ledger_of(order) == {"USD": (D(60), D(78))}
    assert order.ledger.count() == 4
    assert order.events.filter(kind=EventKind.STATUS).count() == 1


# ---- Cost of settling in a polling round ----


def ledger_statements(run) -> list[str]:
    return [q["sql"] for q in run.captured_queries if "orders_ledger" in q["sql"]]


def test_a_round_with_no_order_turning_final_does_not_touch_the_ledger():
    orders = [booked_order() for _ in range(3)]
    with CaptureQueriesContext(connection) as run:
        poll_with({o: status(OrderState.IN_PROGRESS, remains=100, charge="120") for o in orders})
    assert ledger_statements(run) == []


def test_settling_many_orders_costs_the_same_statements_as_settling_two():
    service = make_service(rate=D("2.40"), max_quantity=50_000)

    def round_of(n: int) -> int:
        orders = [booked_order(service=service) for _ in range(n)]
        batch = claim_due(service.provider, timezone.now())
        answers = {
            o.upstream_id: status(OrderState.PARTIAL, remains=100, charge="1") for o in orders
        }
        with CaptureQueriesContext(connection) as run:
            apply_statuses(batch, answers)
        assert Order.objects.filter(pk__in=[o.pk for o in orders], settled_at=None).count() == 0
        return len(run.captured_queries)

    assert round_of(40) == round_of(2)


def test_a_subscriptions_charge_is_not_held_against_a_cost_it_does_not_have():
    service = make_service(type="Subscriptions", rate=D("2"))
    order = booked_order(service=service, quantity=None, cost=D(0), price=D(0), rate=D("2"))
    answer = status(OrderState.IN_PROGRESS, charge="4.20", raw="Active")
    doubts = upstream_doubts(order, order.upstream_id, answer, window=IdWindow(None, None), late=[])
    assert doubts == []
