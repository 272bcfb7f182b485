"""The bench's ledger, written in bulk: the rows settlement would write, and their roll-up."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from bench.ledger import build_ledger
from orders.models import LedgerDay, LedgerEntry, LocalState, Movement, Order, Status
from orders.selectors.reports import business_today, reports
from tests.factories import make_order, make_service

pytestmark = pytest.mark.django_db


def order(service, status, remains, state=LocalState.PLACED):
    made = make_order(
        service,
        currency="USD",
        quantity=1000,
        remains=remains,
        status=status,
        state=state,
        cost=Decimal("3.00"),
        price=Decimal("3.90"),
    )
    ended = timezone.now() - timedelta(hours=1)
    Order.objects.filter(pk=made.pk).update(completed_at=ended)
    made.refresh_from_db()
    return made


def test_each_placed_order_gets_its_spend_and_sale_and_the_undelivered_part_back():
    service = make_service()
    order(service, Status.COMPLETED, 0)
    partial = order(service, Status.PARTIAL, 400)
    order(service, Status.CANCELED, 1000)
    order(service, Status.REFUNDED, 0)
    order(service, "", None, state=LocalState.REJECTED)
    order(service, Status.IN_PROGRESS, 500)
    found = build_ledger(vacuum=False)
    assert found["ledger_entries"] == 5 * 2 + 3 * 2
    refund = LedgerEntry.objects.get(order=partial, kind=Movement.REFUND)
    assert refund.amount == Decimal("-1.2") and refund.at == partial.completed_at
    [usd] = reports(business_today() - timedelta(days=1), business_today(), "day")
    total = usd.total
    assert (total.orders, total.spend, total.refunds) == (5, Decimal(15), Decimal("7.2"))
    assert total.sales == Decimal("19.5") - Decimal("9.36")


def test_the_rollup_is_the_entries_summed_by_day_and_group():
    service = make_service()
    for n in range(6):
        order(service, Status.PARTIAL, 100 * n)
    build_ledger(vacuum=False)
    entries = LedgerEntry.objects.values("kind").annotate(a=Sum("amount"), n=Count("id"))
    days = LedgerDay.objects.values("kind").annotate(a=Sum("amount"), n=Sum("entries"))
    assert {(r["kind"], r["a"], r["n"]) for r in entries.order_by()} == {
        (r["kind"], r["a"], r["n"]) for r in days.order_by()
    }
    assert set(LedgerDay.objects.values_list("service_key", flat=True)) == {service.pk}
