"""Chaos round: five funded customers order our services every minute for twenty minutes
while the provider times out, answers error pages, asks us to slow down, garbles answers,
loses them after acting, refuses orders, runs out of our money for a while and ends orders
Partial or Canceled at random. The engine places and polls until every order is final, staff
resolve the unverified ones; then each customer's balance must be exactly what they paid in
less what their orders finally cost, and no balance was ever below zero."""

import time
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Count
from django.test import Client

from customers.api.errors import NOT_ENOUGH_FUNDS
from customers.api.render import NOT_SOLD, balance_text, money_text
from customers.models import AccountEntry, Customer, EntryKind, Offer
from customers.selectors.account import balances
from customers.services.keys import key_issue
from orders.models import LocalState, Order
from simulator import control
from simulator.models import SimAccount, SimRequest
from tests.customers.accounts import make_customer, make_group, make_offer
from tests.customers.api.client import answer
from tests.customers.money.chaos import FAULTS, Shop, charges, kept, lowest_balance
from tests.customers.money.shop import account_holds_together
from tests.reliability.broker import use_broker

pytestmark = pytest.mark.django_db

MINUTES, PER_MINUTE = 20, 2
FUNDS = ["60", "45", "30", "8", "3"]  # the last ones run dry and are refused for funds
# The provider's account runs out of our money in these minutes: its orders are refused.
PROVIDER_BROKE = range(8, 11)


def order_through_our_api(customers: list[Customer], capture_on_commit):
    """Each customer's orders sent as their client sends them: `add` on /api/v2 with their key."""
    keys = {customer.pk: key_issue(customer=customer, label="shop")[1] for customer in customers}
    client = Client()

    def place(customer: Customer, offer: Offer, params: dict) -> str:
        with capture_on_commit(execute=True):  # the order's task is sent once it commits
            said = answer(client, keys[customer.pk], "add", service=offer.pk, **params)
        if "order" in said:
            return "taken"
        return "refused for funds" if said == {"error": NOT_ENOUGH_FUNDS} else "invalid"

    return place, keys


@pytest.fixture
def shop(sim, provider, catalogue, clock, monkeypatch, django_capture_on_commit_callbacks):
    sim.set_behaviour(partial_share=0.2, cancel_share=0.1, outcome_seed=3)
    likes = provider.services.get(upstream_id=3)
    offers = [
        make_offer(catalogue["Default"], rate=catalogue["Default"].rate * 2),
        make_offer(likes, name="Likes", rate=likes.rate * 3),
        make_offer(catalogue["Subscriptions"], rate=catalogue["Subscriptions"].rate * 2),
    ]
    discount = make_group("-10")
    customers = [
        make_customer(funds, name=f"Customer {i}", price_group=discount if i % 2 else None)
        for i, funds in enumerate(FUNDS)
    ]
    place, keys = order_through_our_api(customers, django_capture_on_commit_callbacks)
    return Shop(provider, offers, customers, clock, use_broker(monkeypatch), place, keys=keys)


def test_customers_ordering_through_a_misbehaving_provider_pay_exactly_what_was_delivered(
    shop, staff_user, figures
):
    started = time.monotonic()
    mark = SimRequest.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    our_money = SimAccount.objects.get(api_key=shop.provider.api_key).balance
    for minute in range(MINUTES):
        control.set_faults(
            **FAULTS, timeout_mode=("before", "after")[minute % 2], fault_seed=minute
        )
        broke = SimAccount.objects.filter(api_key=shop.provider.api_key)
        broke.update(balance=Decimal("0.01") if minute in PROVIDER_BROKE else our_money)
        shop.minute(PER_MINUTE)
    control.reset_faults()
    faults = Counter(
        detail.split(":")[0]
        for detail in SimRequest.objects.filter(
            pk__gt=mark, outcome=SimRequest.Outcome.FAULT
        ).values_list("detail", flat=True)
    )
    unverified = Order.objects.filter(state=LocalState.UNVERIFIED).count()
    hours = 0
    while not shop.all_final():
        assert hours < 72, "orders never end"
        shop.resolve_unverified(staff_user)
        shop.tick(15 * 60, provider_seconds=3600)  # an hour upstream, a quarter here
        hours += 1

    lowest = lowest_balance()  # over every row ever written: rows are never changed
    assert lowest >= 0
    assert faults, "the faults must have fired"
    assert shop.asked["taken"] and shop.asked["refused for funds"]
    states = Counter(Order.objects.values_list("state", flat=True))
    refused = Counter(
        Order.objects.filter(state=LocalState.REJECTED).values_list("rejection_reason", flat=True)
    )
    assert states[LocalState.REJECTED], "the provider refused some orders"
    final = balances(c.pk for c in shop.customers)
    for customer, funds in zip(shop.customers, FUNDS, strict=True):
        charged = charges(customer)
        orders = Order.objects.filter(customer=customer)
        assert set(charged) == set(orders.values_list("pk", flat=True))
        paid = sum((kept(order, charged[order.pk]) for order in orders), Decimal(0))
        assert final[customer.pk] == Decimal(funds) - paid, customer.name
        for order in orders.filter(settled_at__isnull=False):
            assert order.price == kept(order, charged[order.pk])
        assert account_holds_together(customer)
        assert what_the_api_says(shop.keys[customer.pk], orders, charged) == (
            balance_text(Decimal(funds) - paid),
            {order.pk: charge_text(order, charged[order.pk]) for order in orders},
        )

    subscriptions = Order.objects.filter(order_type="Subscriptions", state=LocalState.PLACED)
    refunds = AccountEntry.objects.filter(kind=EntryKind.REFUND).count()
    statuses = Counter(
        Order.objects.filter(state=LocalState.PLACED).values_list("status", flat=True)
    )
    calls = dict(
        SimRequest.objects.filter(pk__gt=mark)
        .values_list("action")
        .annotate(n=Count("pk"))
        .order_by()
    )
    figures.add(
        "through /api/v2 (add, then status and balance as each customer reads them); "
        f"customers: {len(FUNDS)} funded {', '.join(FUNDS)} USD; {MINUTES} minutes of "
        f"{PER_MINUTE} orders each: {dict(shop.asked)}; all final {hours} hour(s) after"
    )
    figures.add(
        f"provider calls {calls}; faults {dict(faults)}; {unverified} unverified at the end "
        f"of the faults, resolved {dict(shop.resolved)}"
    )
    figures.add(
        f"orders {dict(states)} (refused upstream: {dict(refused)}), placed ones ended "
        f"{dict(statuses)} "
        f"({subscriptions.count()} subscriptions); {refunds} refunds; final balances "
        + ", ".join(f"{c.name} {final[c.pk]:.8f}" for c in shop.customers)
        + f"; lowest balance ever {lowest}; {time.monotonic() - started:.1f} s"
    )


def what_the_api_says(key: str, orders, charged) -> tuple[str, dict[int, str]]:
    """The customer's balance and each order's charge, as their client reads them."""
    client, ids = Client(), list(orders.values_list("pk", flat=True))
    charges: dict[int, str] = {}
    for start in range(0, len(ids), 100):
        batch = ids[start : start + 100]
        said = answer(client, key, "status", orders=",".join(map(str, batch)))
        charges |= {int(order_id): status["charge"] for order_id, status in said.items()}
    return answer(client, key, "balance")["balance"], charges


def charge_text(order: Order, charged: Decimal) -> str:
    # An order the provider never took is charged nothing.
    return money_text(Decimal(0) if order.state in NOT_SOLD else kept(order, charged))
