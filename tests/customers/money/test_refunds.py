"""What a customer gets back when an order ends, through the real engine and the simulator:
the undelivered part, once, whatever the provider answers and however often."""

from decimal import Decimal

import pytest

from customers.models import AccountEntry, EntryKind
from customers.selectors.account import customer_balance
from orders.models import LocalState, Status
from orders.services.placement import order_place, order_submit
from orders.services.recovery import order_confirm_not_placed
from orders.upstream import OrderState, Reason
from simulator.models import SimAccount
from tests.customers.accounts import make_customer, make_offer
from tests.customers.money.shop import (
    account_holds_together,
    charged,
    entries,
    ordered,
    refunded,
    run_to_the_end,
)
from tests.money.booked import poll_with, status

pytestmark = pytest.mark.django_db
LINK = "https://instagram.com/p/summer"


@pytest.fixture
def offer(default_service):
    return make_offer(default_service, rate=default_service.rate * 2)


def test_a_completed_order_keeps_its_charge(sim, provider, offer):
    customer = make_customer("50")
    order = ordered(customer, offer, link=LINK, quantity=1000)
    run_to_the_end(sim, provider)
    order.refresh_from_db()
    assert order.status == Status.COMPLETED
    assert refunded(order) == []
    assert customer_balance(customer.pk) == Decimal(50) - charged(order)
    assert charged(order) == offer.rate  # 1000 at our rate per 1000


def test_a_partial_order_gives_back_the_price_of_what_remains_exactly(sim, provider, offer):
    sim.set_behaviour(partial_share=1)
    customer = make_customer("50")
    order = ordered(customer, offer, link=LINK, quantity=1000)
    run_to_the_end(sim, provider)
    order.refresh_from_db()
    remains = order.remains or 0
    assert order.status == Status.PARTIAL and 0 < remains < 1000
    assert refunded(order) == [charged(order) * remains / 1000]
    assert customer_balance(customer.pk) == Decimal(50) - charged(order) * (1000 - remains) / 1000


def test_a_partial_order_answered_again_or_late_otherwise_is_refunded_once(sim, provider, offer):
    customer = make_customer("50")
    order = ordered(customer, offer, link=LINK, quantity=1000)
    poll_with({order: status(OrderState.PARTIAL, remains=400, charge="0.5")})
    balance = customer_balance(customer.pk)
    poll_with({order: status(OrderState.PARTIAL, remains=400, charge="0.5")})
    poll_with({order: status(OrderState.COMPLETED, remains=0)})  # a late, different answer
    poll_with({order: status(OrderState.CANCELED, remains=1000)})
    assert refunded(order) == [charged(order) * Decimal("0.4")]
    assert customer_balance(customer.pk) == balance
    assert account_holds_together(customer)


def test_a_canceled_order_gives_everything_back(sim, provider, offer):
    sim.set_behaviour(cancel_share=1)
    customer = make_customer("50")
    order = ordered(customer, offer, link=LINK, quantity=1000)
    run_to_the_end(sim, provider)
    order.refresh_from_db()
    assert order.status == Status.CANCELED
    assert refunded(order) == [charged(order)]
    assert customer_balance(customer.pk) == Decimal(50)


@pytest.mark.parametrize("state", [OrderState.REFUNDED, OrderState.FAILED])
def test_a_refunded_or_failed_order_gives_everything_back(sim, provider, offer, state):
    customer = make_customer("50")
    order = ordered(customer, offer, link=LINK, quantity=1000)
    poll_with({order: status(state, remains=1000, charge="0")})
    assert refunded(order) == [charged(order)]
    assert customer_balance(customer.pk) == Decimal(50)
    [refund] = entries(customer, EntryKind.REFUND)
    assert refund.memo == f"order #{order.pk}: settled {order.get_status_display()}"


def test_an_order_the_provider_refuses_for_its_link_is_rejected_and_given_back(
    sim, provider, offer
):
    customer = make_customer("50")
    order = ordered(customer, offer, link="@someone", quantity=1000)
    assert (order.state, order.rejection_reason) == (LocalState.REJECTED, Reason.BAD_LINK)
    assert refunded(order) == [charged(order)]
    assert customer_balance(customer.pk) == Decimal(50)
    [refund] = entries(customer, EntryKind.REFUND)
    assert refund.memo == f"order #{order.pk}: refused by the provider"


def test_an_order_refused_for_our_funds_at_the_provider_is_given_back(sim, provider, offer):
    SimAccount.objects.update(balance=Decimal("0.00001"))
    customer = make_customer("50")
    order = ordered(customer, offer, link=LINK, quantity=1000)
    assert order.state == LocalState.REJECTED
    assert order.rejection_reason == Reason.INSUFFICIENT_FUNDS
    assert customer_balance(customer.pk) == Decimal(50)
    assert len(entries(customer)) == 3  # funds, charge, refund


def test_an_unverified_order_confirmed_not_placed_is_given_back(sim, provider, offer, staff_user):
    sim.set_faults(timeout_share=1, timeout_mode="before", actions=["add"])
    customer = make_customer("50")
    order = ordered(customer, offer, link=LINK, quantity=1000)
    assert order.state == LocalState.UNVERIFIED
    assert customer_balance(customer.pk) == Decimal(50) - charged(order)  # not yet known
    order_confirm_not_placed(order=order, user=staff_user)
    assert refunded(order) == [charged(order)]
    assert customer_balance(customer.pk) == Decimal(50)
    [refund] = entries(customer, EntryKind.REFUND)
    assert refund.memo == f"order #{order.pk}: never placed"


def test_a_subscription_paid_for_every_post_at_its_most_gets_back_what_was_not_used(
    sim, provider, catalogue
):
    service = catalogue["Subscriptions"]
    offer = make_offer(service, rate=service.rate * 2)
    customer = make_customer("500")
    low, high = service.min_quantity, service.min_quantity * 3
    order = ordered(customer, offer, username="someone", min=low, max=high, posts=3, delay=0)
    assert charged(order) == offer.rate * high * 3 / 1000
    run_to_the_end(sim, provider)
    order.refresh_from_db()
    assert order.status == Status.COMPLETED
    assert order.charge and order.charge < service.rate * high * 3 / 1000  # under the most
    used = order.charge * 2  # the provider's charge at our markup of 2
    assert order.price == used
    assert refunded(order) == [charged(order) - used]
    assert customer_balance(customer.pk) == Decimal(500) - used


def test_a_staff_order_writes_nothing_to_any_account(sim, provider, default_service):
    customer = make_customer("50")
    sim.set_behaviour(cancel_share=1)
    order = order_place(service=default_service, params={"link": LINK, "quantity": 1000})
    order_submit(order.pk)
    run_to_the_end(sim, provider)
    order.refresh_from_db()
    assert order.status == Status.CANCELED
    assert not AccountEntry.objects.filter(order=order).exists()
    assert [e.kind for e in entries(customer)] == [EntryKind.FUNDS]


def test_a_partial_order_settled_in_another_currency_refunds_its_share_in_the_customers(
    sim, provider, offer
):
    customer = make_customer("50")
    order = ordered(customer, offer, link=LINK, quantity=1000)
    poll_with({order: status(OrderState.PARTIAL, remains=250, charge="0.4", currency="EUR")})
    assert order.currency == "EUR"  # the provider now charges in euros
    [refund] = entries(customer, EntryKind.REFUND)
    assert (refund.amount, refund.currency) == (charged(order) / 4, "USD")
    assert customer_balance(customer.pk) == Decimal(50) - charged(order) * 3 / 4


def test_a_subscription_settled_in_another_currency_gives_nothing_back_by_itself(
    sim, provider, catalogue
):
    service = catalogue["Subscriptions"]
    offer = make_offer(service, rate=service.rate * 2)
    customer = make_customer("500")
    low = service.min_quantity
    order = ordered(customer, offer, username="someone", min=low, max=low * 2, posts=2, delay=0)
    poll_with({order: status(OrderState.COMPLETED, remains=0, charge="0.01", currency="EUR")})
    assert refunded(order) == []  # euros cannot be held against dollars: staff decide
    assert customer_balance(customer.pk) == Decimal(500) - charged(order)


def test_a_drip_feed_cancelled_after_some_runs_keeps_only_what_the_runs_charged(
    sim, provider, offer
):
    customer = make_customer("50")
    order = ordered(customer, offer, link=LINK, quantity=500, runs=4, interval=10)
    assert charged(order) == offer.rate * 2  # 4 runs of 500 at our rate per 1000
    poll_with({order: status(OrderState.CANCELED, remains=1000, charge="0.9")})
    assert order.price == Decimal("1.8")  # half delivered: the provider's 0.90 at our markup
    assert refunded(order) == [charged(order) - Decimal("1.8")]
    assert customer_balance(customer.pk) == Decimal(50) - Decimal("1.8")
