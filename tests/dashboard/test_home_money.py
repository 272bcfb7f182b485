"""Home's money per currency and period, and the per-day series behind the chart: spend,
refunds, sales and profit from the ledger; orders counted from orders."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import LocalState, Order
from orders.selectors.home import daily_series, money_totals, spend_by_day
from tests.factories import make_order, make_provider, make_service
from tests.ledger_rows import booked, settled

pytestmark = pytest.mark.django_db


def order_at(when, service=None, **fields):
    order = make_order(service or make_service(), **({"currency": "USD"} | fields))
    Order.objects.filter(pk=order.pk).update(created_at=when)
    return order


def test_a_partial_order_counts_its_delivered_part_and_a_canceled_one_nothing():
    now = timezone.now()
    done = order_at(now, quantity=1000)
    partial = order_at(now, quantity=1000)
    canceled = order_at(now, quantity=1000)
    for order in (done, partial, canceled):
        booked(order, now, "10.00", "13.00")
    settled(partial, now, refund="4.00", reversal="5.20")  # 400 of 1000 not delivered
    settled(canceled, now, refund="10.00", reversal="13.00")
    [usd] = money_totals()
    assert usd.currency == "USD"
    assert usd.spend[0] == Decimal("30.00")
    assert usd.refunds[0] == Decimal("14.00")
    assert usd.sales[0] == Decimal("20.80")  # 13.00 + 7.80 + 0
    assert usd.profit[0] == Decimal("4.80")  # 20.80 − (30.00 − 14.00)


def test_an_order_without_ledger_rows_is_no_money_whatever_its_columns_say():
    order_at(timezone.now(), cost=Decimal("1"), price=Decimal("2"), state=LocalState.QUEUED)
    order_at(timezone.now(), cost=Decimal("1"), price=Decimal("2"), charge=Decimal("1"))
    assert money_totals() == []


def test_totals_cover_today_seven_and_thirty_days_with_today_included():
    now = timezone.now()
    for days in (0, 6, 7, 29, 30):
        booked(order_at(now), now - timedelta(days=days), "1", "2")
    [usd] = money_totals()
    assert usd.spend == [Decimal(1), Decimal(2), Decimal(4)]
    assert usd.sales == [Decimal(2), Decimal(4), Decimal(8)]
    assert usd.profit == [Decimal(1), Decimal(2), Decimal(4)]


def test_a_settlement_counts_on_the_day_the_order_ended_not_the_day_it_was_placed():
    now = timezone.now()
    order = booked(order_at(now - timedelta(days=10)), now - timedelta(days=10), "5", "6")
    settled(order, now, refund="5", reversal="6")
    [usd] = money_totals()
    assert (usd.refunds[0], usd.sales[0], usd.profit[0]) == (Decimal(5), Decimal(-6), Decimal(-1))
    assert (usd.refunds[2], usd.sales[2], usd.profit[2]) == (Decimal(5), Decimal(0), Decimal(0))


def test_each_currency_has_its_own_totals():
    now = timezone.now()
    euro = make_service(make_provider(currency="EUR"))
    booked(order_at(now, currency="USD"), now, "1", "2")
    booked(order_at(now, euro, currency="EUR"), now, "5", "9")
    totals = {t.currency: (t.spend[0], t.sales[0]) for t in money_totals()}
    assert totals == {"EUR": (Decimal(5), Decimal(9)), "USD": (Decimal(1), Decimal(2))}


def test_the_series_counts_orders_placed_and_the_ledgers_spend_with_gaps_filled():
    now = timezone.now()
    booked(order_at(now), now, "1.5", "2")
    for _ in range(2):
        booked(order_at(now - timedelta(days=3)), now - timedelta(days=3), "2", "3")
    order_at(now - timedelta(days=3), state=LocalState.REJECTED)
    booked(order_at(now - timedelta(days=40)), now - timedelta(days=40), "9", "9")
    series = daily_series()
    assert len(series) == 30 and series[-1].day == timezone.localdate()
    assert [(d.orders, d.spend.get("USD")) for d in (series[-1], series[-4])] == [
        (1, Decimal("1.5")),
        (2, Decimal("4")),
    ]
    assert sum(d.orders for d in series) == 3
    assert spend_by_day(series) == {"USD": Decimal("5.5")}


def test_days_are_the_business_timezones(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    with timezone.override("Asia/Tokyo"):
        today = timezone.localdate()
        # 00:30 in Tokyo is still yesterday in UTC.
        early = datetime.combine(today, datetime.min.time(), tzinfo=timezone.get_current_timezone())
        early += timedelta(minutes=30)
        booked(order_at(early), early.astimezone(UTC), "1", "2")
        series = daily_series(today)
        [usd] = money_totals(today)
    assert series[-1].orders == 1 and series[-1].spend == {"USD": Decimal(1)}
    assert usd.spend[0] == Decimal(1)
