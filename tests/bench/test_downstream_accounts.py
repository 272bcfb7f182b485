"""The bench's customers: a share of the orders is theirs, with the account rows the product
would have written, numbered and summed as `account_post` keeps them."""

from decimal import Decimal

import pytest

from bench import dataset, downstream
from customers.models import AccountEntry, EntryKind, Offer
from customers.selectors.account import customer_balance
from customers.selectors.keys import key_lookup
from orders.models import LocalState, Order, Service, Status
from tests.factories import make_provider, make_service

pytestmark = pytest.mark.django_db

ORDERS = 600


@pytest.fixture
def built(django_user_model):
    provider = make_provider()
    for n in range(3):
        make_service(provider, upstream_id=n + 1)
    actor = django_user_model.objects.create_superuser("bench", "bench@example.com", None)
    customers = downstream.make_customers(3)
    # No active orders (first id after the last): only the final history.
    dataset.build_orders(provider, 1, 0, ORDERS, customers, vacuum=False)
    keys = downstream.build_accounts(actor, vacuum=False)
    return customers, keys


def test_one_in_five_placed_orders_belongs_to_a_customer_and_each_customer_has_some(built):
    customers, _ = built
    theirs = Order.objects.filter(customer__isnull=False)
    placed = Order.objects.filter(state=LocalState.PLACED).count()
    assert placed / 6 < theirs.count() <= ORDERS / 5
    assert not theirs.exclude(state=LocalState.PLACED).exists()
    assert set(theirs.values_list("customer_id", flat=True)) == set(customers)


def test_each_account_runs_in_order_from_its_opening_funds_and_never_goes_below_zero(built):
    customers, _ = built
    for customer_id in customers:
        rows = list(AccountEntry.objects.filter(customer_id=customer_id).order_by("seq"))
        assert [row.seq for row in rows] == list(range(1, len(rows) + 1))
        assert rows[0].kind == EntryKind.FUNDS
        running = Decimal(0)
        for row in rows:
            running += row.amount
            assert row.balance_after == running >= 0
        times = [row.at for row in rows]
        assert times == sorted(times)
        # the reserve came last, through the product's own funds_add
        assert rows[-1].kind == EntryKind.FUNDS and rows[-1].amount == downstream.RESERVE
        assert customer_balance(customer_id) == running > downstream.RESERVE


def test_each_customer_order_is_charged_its_price_and_refunded_its_undelivered_share(built):
    charges = dict(
        AccountEntry.objects.filter(kind=EntryKind.CHARGE).values_list("order_id", "amount")
    )
    refunds = dict(
        AccountEntry.objects.filter(kind=EntryKind.REFUND).values_list("order_id", "amount")
    )
    orders = Order.objects.filter(customer__isnull=False)
    assert set(charges) == set(orders.values_list("pk", flat=True))
    for order in orders:
        assert charges[order.pk] == -order.price
        if order.status == Status.REFUNDED or order.status == Status.CANCELED:
            assert refunds[order.pk] == order.price
        elif order.status == Status.PARTIAL:
            assert refunds[order.pk] == round(order.price * order.remains / order.quantity, 5)
        else:
            assert order.pk not in refunds
    assert any(kind == Status.PARTIAL for kind in orders.values_list("status", flat=True))


def test_every_customer_has_a_live_key_and_every_service_an_offer_above_its_rate(built):
    customers, keys = built
    found = [key_lookup(raw) for raw in keys.values()]
    assert {key.customer_id for key in found if key} == set(customers) and all(found)
    assert downstream.make_offers() == Service.objects.count()
    for offer in Offer.objects.select_related("service"):
        assert offer.rate > offer.service.rate
        assert offer.min_quantity == offer.service.min_quantity
