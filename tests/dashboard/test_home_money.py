"""Spend and sales per currency and period, and the per-day series behind the chart."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from orders.models import LocalState, Order
from orders.selectors.home import daily_series, money_totals, spend_by_day
from tests.factories import make_order, make_provider, make_service

pytestmark = pytest.mark.django_db


def order_at(when, service=None, **fields):
    order = make_order(service or make_service(), **({"currency": "USD"} | fields))
    Order.objects.filter(pk=order.pk).update(created_at=when)
    return order


def test_spend_is_the_charge_or_the_cost_until_a_charge_is_known():
    now = timezone.now()
    order_at(now, cost=Decimal("1.00"), charge=Decimal("0.80"), price=Decimal("2"))
    order_at(now, cost=Decimal("3.00"), charge=None, price=Decimal("5"))
    [usd] = money_totals()
    assert usd.currency == "USD"
    assert usd.spend[0] == Decimal("3.80")
    assert usd.sales[0] == Decimal("7")


def test_totals_cover_today_seven_and_thirty_days_with_today_included():
    now = timezone.now()
    for days in (0, 6, 7, 29, 30):
        order_at(now - timedelta(days=days), cost=Decimal("1"), price=Decimal("2"))
    [usd] = money_totals()
    assert usd.spend == [Decimal(1), Decimal(2), Decimal(4)]
    assert usd.sales == [Decimal(2), Decimal(4), Decimal(8)]


def test_each_currency_has_its_own_totals():
    now = timezone.now()
    euro = make_service(make_provider(currency="EUR"))
    order_at(now, cost=Decimal("1"), price=Decimal("2"), currency="USD")
    order_at(now, euro, cost=Decimal("5"), price=Decimal("9"), currency="EUR")
    totals = {t.currency: (t.spend[0], t.sales[0]) for t in money_totals()}
    assert totals == {"EUR": (Decimal(5), Decimal(9)), "USD": (Decimal(1), Decimal(2))}


@pytest.mark.parametrize(
    "state",
    [LocalState.QUEUED, LocalState.REJECTED, LocalState.UNVERIFIED, LocalState.NOT_PLACED],
)
def test_only_placed_orders_count_as_money(state):
    order_at(timezone.now(), cost=Decimal("1"), price=Decimal("2"), state=state)
    assert money_totals() == []


def test_the_series_has_thirty_days_with_gaps_filled_and_today_last():
    now = timezone.now()
    order_at(now, cost=Decimal("1"), charge=Decimal("1.5"))
    order_at(now - timedelta(days=3), cost=Decimal("2"))
    order_at(now - timedelta(days=3), cost=Decimal("2"))
    order_at(now - timedelta(days=40), cost=Decimal("9"))
    series = daily_series()
    assert len(series) == 30 and series[-1].day == timezone.localdate()
    assert [(d.orders, d.spend.get("USD")) for d in (series[-1], series[-4])] == [
        (1, Decimal("1.5")),
        (2, Decimal("4")),
    ]
    assert sum(d.orders for d in series) == 3
    assert spend_by_day(series) == {"USD": Decimal("5.5")}


def test_days_follow_the_users_timezone_not_utc(settings):
    tokyo = ZoneInfo("Asia/Tokyo")
    with timezone.override(tokyo):
        today = timezone.localdate()
        # 00:30 in Tokyo is still yesterday in UTC.
        early = datetime.combine(today, datetime.min.time(), tzinfo=tokyo) + timedelta(minutes=30)
        order_at(early, cost=Decimal("1"))
        series = daily_series(today)
        [usd] = money_totals(today)
    assert series[-1].orders == 1
    assert usd.spend[0] == Decimal(1)
