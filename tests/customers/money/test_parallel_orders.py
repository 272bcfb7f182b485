"""Fifty orders at one moment against a balance that pays for ten: ten are taken, the other
forty are refused for funds, and the balance ends at zero. On SQLite and on PostgreSQL."""

import time
from collections import Counter
from decimal import Decimal
from itertools import count

import pytest
from django.test import Client
from django.utils import timezone

from customers.models import Customer, EntryKind
from customers.selectors.account import customer_balance
from customers.services.account import NotEnoughFunds
from customers.services.keys import key_issue
from customers.services.ordering import customer_order
from orders.models import LocalState, Order
from orders.services.polling import apply_statuses, claim_due
from orders.upstream import OrderState
from tests.customers.accounts import make_customer, make_offer
from tests.customers.api.client import call
from tests.customers.money.shop import account_holds_together, entries
from tests.factories import make_service
from tests.money.booked import status
from tests.reliability.broker import use_broker
from tests.threads import at_once

pytestmark = pytest.mark.django_db(transaction=True)
AT_ONCE = 50


@pytest.fixture
def shop(writers_at_once, monkeypatch):
    """A customer whose 40.00 pays for ten orders of 1000 at 4.00, and our service."""
    broker = use_broker(monkeypatch)  # the orders' tasks are kept, not sent to a worker
    service = make_service(rate=Decimal("2.00"), min_quantity=10, max_quantity=10_000)
    offer = make_offer(service, rate=Decimal("4.00"))
    return make_customer("40"), offer, broker, writers_at_once


def test_fifty_orders_at_once_against_a_balance_for_ten_take_exactly_ten(shop):
    customer, offer, broker, database = shop
    links = count()

    def order() -> str:
        link = f"https://instagram.com/p/{next(links)}"
        params = {"link": link, "quantity": 1000}
        try:
            customer_order(
                customer=Customer.objects.get(pk=customer.pk), offer_id=offer.pk, params=params
            )
        except NotEnoughFunds:
            return "refused for funds"
        return "taken"

    answers = Counter(at_once(order, AT_ONCE))
    assert answers == {"taken": 10, "refused for funds": 40}
    assert Order.objects.filter(customer=customer).count() == 10
    assert customer_balance(customer.pk) == Decimal(0)
    assert len(entries(customer, EntryKind.CHARGE)) == 10
    assert account_holds_together(customer)
    assert len(broker.waiting) == 10  # one submission each, for the orders taken only
    print(f"\n{database}: {AT_ONCE} at once → {dict(answers)}")


def test_fifty_adds_at_once_through_our_api_take_exactly_ten(shop):
    customer, offer, broker, database = shop
    key = key_issue(customer=customer, label="shop")[1]
    links = count()

    told_to_wait = Counter[int]()

    def add() -> dict:
        """One client's add; told to slow down, it waits as asked and sends it again."""
        link = f"https://instagram.com/p/{next(links)}"
        for attempt in range(10):  # the key allows 120 a minute: never the limit itself
            response = call(Client(), key, "add", service=offer.pk, link=link, quantity=1000)
            if response.status_code != 429:
                break
            told_to_wait[attempt] += 1
            time.sleep(int(response["Retry-After"]))
        return {"status": response.status_code} | response.json()

    answers = at_once(add, AT_ONCE)
    taken = [a["order"] for a in answers if "order" in a]
    refused = Counter(a["error"] for a in answers if "error" in a)
    assert len(answers) == AT_ONCE
    assert {a["status"] for a in answers} == {200}
    assert (len(taken), dict(refused)) == (10, {"Not enough funds on balance": 40})
    assert set(Order.objects.filter(customer=customer).values_list("pk", flat=True)) == set(taken)
    assert customer_balance(customer.pk) == Decimal(0)
    assert account_holds_together(customer)
    assert len(broker.waiting) == 10
    print(
        f"\n{database}: {AT_ONCE} adds at once through /api/v2 → {len(taken)} orders, "
        f"{dict(refused)}; told to wait (429) per attempt: {dict(told_to_wait)}"
    )


def test_one_order_form_sent_ten_times_at_once_makes_one_order_charged_once(shop):
    customer, offer, broker, database = shop
    params = {"link": "https://instagram.com/p/once", "quantity": 1000}

    def send() -> int:
        return customer_order(
            customer=Customer.objects.get(pk=customer.pk),
            offer_id=offer.pk,
            params=params,
            idempotency_key="new:7:one-form",
        ).pk

    made = at_once(send, 10)
    order = Order.objects.get(customer=customer)
    assert made == [order.pk] * 10
    assert len(entries(customer, EntryKind.CHARGE)) == 1
    assert customer_balance(customer.pk) == Decimal(36)
    assert account_holds_together(customer)
    assert len(broker.waiting) == 1
    print(f"\n{database}: one form ten times at once → one order, charged once")


def test_orders_taken_while_earlier_ones_settle_and_refund_leave_the_account_exact(shop):
    customer, offer, _, database = shop
    for i in range(5):  # 5 × 4.00 of the 40.00, placed upstream
        order = customer_order(
            customer=customer,
            offer_id=offer.pk,
            params={"link": f"https://instagram.com/p/earlier-{i}", "quantity": 1000},
        )
        Order.objects.filter(pk=order.pk).update(
            state=LocalState.PLACED, upstream_id=9000 + i, next_check_at=timezone.now()
        )
    links = count()
    answers = {9000 + i: status(OrderState.PARTIAL, remains=500) for i in range(5)}

    def work() -> str:
        n = next(links)
        if n == 0:  # one poller settles the earlier orders: 2.00 back for each
            batch = claim_due(offer.service.provider, timezone.now())
            apply_statuses(batch, answers)
            return "settled"
        try:
            customer_order(
                customer=Customer.objects.get(pk=customer.pk),
                offer_id=offer.pk,
                params={"link": f"https://instagram.com/p/{n}", "quantity": 1000},
            )
        except NotEnoughFunds:
            return "refused for funds"
        return "taken"

    done = Counter(at_once(work, 21))
    refunds = entries(customer, EntryKind.REFUND)
    assert done["settled"] == 1 and done["taken"] + done["refused for funds"] == 20
    assert [r.amount for r in refunds] == [Decimal(2)] * 5
    taken = Order.objects.filter(customer=customer).count() - 5
    assert taken == done["taken"]
    assert 5 <= taken <= 7  # 20.00 left, and 10.00 back at some moment between the adds
    assert customer_balance(customer.pk) == Decimal(40) - 5 * Decimal(2) - taken * Decimal(4)
    assert account_holds_together(customer)
    print(f"\n{database}: 20 adds while 5 earlier orders settle → {dict(done)}")
