"""A customer's account is a list of rows the database keeps honest: appended only, never
below zero, the balance always the sum of the amounts."""

import random
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from customers.models import AccountEntry, EntryKind
from customers.selectors.account import customer_balance
from customers.services.account import AccountRefused, NotEnoughFunds, balance_correct, funds_add
from customers.services.ordering import customer_order
from orders.models import Order
from orders.upstream import OrderState
from tests.customers.accounts import make_customer, make_offer
from tests.customers.money.shop import account_holds_together
from tests.factories import make_service
from tests.money.booked import poll_with, status

pytestmark = pytest.mark.django_db
needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: the append-only trigger"
)


def test_the_balance_is_always_the_sum_of_the_amounts_through_any_mix_of_movements():
    rng = random.Random(7)
    service = make_service(rate=Decimal("1.10"), min_quantity=10, max_quantity=10_000)
    offer = make_offer(service, rate=Decimal("1.70"))
    customer = make_customer("5")
    finals = [OrderState.COMPLETED, OrderState.PARTIAL, OrderState.CANCELED, OrderState.FAILED]
    open_orders: list[Order] = []
    for step in range(120):
        move = rng.choice(["funds", "order", "order", "order", "settle", "settle", "correct"])
        if move == "funds":
            funds_add(
                customer=customer,
                amount=Decimal(rng.randint(1, 900)) / 100,
                reason="paid",
                actor=None,
            )
        elif move == "correct":
            amount = Decimal(rng.randint(-300, 300)) / 100
            try:
                balance_correct(customer=customer, amount=amount, reason="typo", actor=None)
            except AccountRefused:
                assert amount == 0 or customer_balance(customer.pk) + amount < 0
        elif move == "order":
            quantity = rng.randint(10, 3000)
            try:
                order = customer_order(
                    customer=customer,
                    offer_id=offer.pk,
                    params={"link": f"https://x.test/{step}", "quantity": quantity},
                )
            except NotEnoughFunds:
                continue
            Order.objects.filter(pk=order.pk).update(upstream_id=10_000 + step, state="placed")
            order.refresh_from_db()
            open_orders.append(order)
        elif open_orders:
            order = open_orders.pop(rng.randrange(len(open_orders)))
            final = rng.choice(finals)
            remains = rng.randint(0, order.quantity or 0) if final == OrderState.PARTIAL else 0
            poll_with({order: status(final, remains=remains)})
        assert account_holds_together(customer), f"after step {step} ({move})"
    kinds = set(AccountEntry.objects.filter(customer=customer).values_list("kind", flat=True))
    assert kinds == {EntryKind.FUNDS, EntryKind.CORRECTION, EntryKind.CHARGE, EntryKind.REFUND}


@needs_postgres
def test_postgresql_refuses_to_change_or_delete_an_account_row():
    customer = make_customer("10")
    for statement in (
        "UPDATE customers_accountentry SET amount = 1000000, balance_after = 1000000",
        "DELETE FROM customers_accountentry",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccountEntry.objects.filter(customer=customer).update(memo="rewritten")
    assert customer_balance(customer.pk) == Decimal(10)


def test_the_database_refuses_a_row_below_zero_even_written_around_account_post():
    customer = make_customer("10")
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountEntry.objects.create(
            customer=customer,
            seq=2,
            at=timezone.now(),
            kind=EntryKind.CORRECTION,
            amount=Decimal("-10.01"),
            currency="USD",
            balance_after=Decimal("-0.01"),
        )
    assert customer_balance(customer.pk) == Decimal(10)


def test_the_database_refuses_a_second_row_with_the_same_number():
    customer = make_customer("10")
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountEntry.objects.create(
            customer=customer,
            seq=1,
            at=timezone.now(),
            kind=EntryKind.FUNDS,
            amount=Decimal(5),
            currency="USD",
            balance_after=Decimal(5),
        )
    assert customer_balance(customer.pk) == Decimal(10)
