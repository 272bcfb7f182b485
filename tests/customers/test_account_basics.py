"""A customer's order is charged when it is taken and refunded what it did not deliver."""

from decimal import Decimal

import pytest

from customers.models import AccountEntry, EntryKind
from customers.selectors.account import customer_balance
from customers.services.account import NotEnoughFunds
from customers.services.ordering import customer_order
from orders.models import LocalState, Order
from orders.services.placement import OrderInvalid
from orders.upstream import OrderState
from tests.customers.accounts import make_customer, make_group, make_offer
from tests.factories import make_service
from tests.money.booked import poll_with, status

pytestmark = pytest.mark.django_db


def placed(order: Order, upstream_id: int) -> Order:
    Order.objects.filter(pk=order.pk).update(state=LocalState.PLACED, upstream_id=upstream_id)
    order.refresh_from_db()
    return order


def test_an_order_is_charged_at_our_price_with_the_customers_group_discount():
    service = make_service(rate=Decimal("2.00"), min_quantity=10, max_quantity=10_000)
    offer = make_offer(service, rate=Decimal("4.00"))
    customer = make_customer("10", price_group=make_group("-10"))
    order = customer_order(
        customer=customer, offer_id=offer.pk, params={"link": "https://x.test/a", "quantity": 1000}
    )
    assert order.customer_id == customer.pk
    assert order.price == Decimal("3.60")  # 1000 at 4.00 less 10 %
    assert customer_balance(customer.pk) == Decimal("6.40")


def test_an_order_the_balance_cannot_pay_is_refused_and_leaves_nothing_behind():
    service = make_service(rate=Decimal("2.00"), min_quantity=10, max_quantity=10_000)
    offer = make_offer(service, rate=Decimal("4.00"))
    customer = make_customer("3.99")
    with pytest.raises(NotEnoughFunds):
        customer_order(
            customer=customer,
            offer_id=offer.pk,
            params={"link": "https://x.test/a", "quantity": 1000},
        )
    assert not Order.objects.exists()
    assert customer_balance(customer.pk) == Decimal("3.99")


def test_a_service_of_another_currency_or_disabled_reads_as_an_incorrect_service_id():
    service = make_service(rate=Decimal("2.00"), min_quantity=10, max_quantity=10_000)
    offer = make_offer(service, enabled=False)
    customer = make_customer("100", currency="EUR")
    for offer_id in (offer.pk, make_offer(service).pk):
        with pytest.raises(OrderInvalid, match="Incorrect service ID"):
            customer_order(
                customer=customer, offer_id=offer_id, params={"link": "x", "quantity": 10}
            )


def test_a_partial_order_refunds_its_undelivered_part_once():
    service = make_service(rate=Decimal("2.00"), min_quantity=10, max_quantity=10_000)
    offer = make_offer(service, rate=Decimal("4.00"))
    customer = make_customer("10")
    order = customer_order(
        customer=customer, offer_id=offer.pk, params={"link": "https://x.test/a", "quantity": 1000}
    )
    order = placed(order, 777)
    poll_with({order: status(OrderState.PARTIAL, remains=250, charge="1.50")})
    poll_with({order: status(OrderState.PARTIAL, remains=250, charge="1.50")})
    refunds = AccountEntry.objects.filter(order_id=order.pk, kind=EntryKind.REFUND)
    assert [r.amount for r in refunds] == [Decimal("1.00")]  # a quarter of 4.00
    assert customer_balance(customer.pk) == Decimal("7.00")
