"""The reports' figures over the ledger: each column, currencies, buckets and totals."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from orders.models import LedgerEntry, Movement
from orders.selectors.reports import Figures, periods, reports
from orders.services.ledger import Posting, ledger_post, order_posting
from tests.factories import make_order, make_provider, make_service
from tests.ledger_rows import booked, settled

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)  # a Tuesday
NOON = datetime(2026, 3, 10, 12, tzinfo=UTC)


def one(start=DAY, end=DAY, group="day"):
    [report] = reports(start, end, group)
    return report


def order(currency="USD", service=None, **fields):
    service = service or make_service(make_provider(currency=currency))
    return make_order(service, currency=currency, **fields)


def test_orders_count_orders_placed_not_their_settlements():
    booked(order(), NOON, "1.00", "1.30")
    settled(booked(order(), NOON, "2.00", "2.60"), NOON, refund="1.00", reversal="1.30")
    assert one().total.orders == 2


def test_spend_is_what_was_expected_at_placing_corrected_by_the_real_charge():
    settled(booked(order(), NOON, "1.00", "1.30"), NOON, spend_adj="0.25")
    figures = one().total
    assert figures.spend == Decimal("1.25")


def test_refunds_are_shown_positive_and_come_off_the_net_cost():
    settled(booked(order(), NOON, "3.00", "3.90"), NOON, refund="1.00", reversal="1.30")
    figures = one().total
    assert (figures.spend, figures.refunds, figures.net_cost) == (
        Decimal("3.00"),
        Decimal("1.00"),
        Decimal("2.00"),
    )


def test_sales_add_adjustments_and_take_off_reversals():
    placed = booked(order(), NOON, "3.00", "3.90")
    settled(placed, NOON, reversal="1.30")
    ledger_post([order_posting(placed, Movement.SALE_ADJUSTMENT, Decimal("0.10"), "USD")], at=NOON)
    assert one().total.sales == Decimal("2.70")


def test_profit_is_sales_less_net_cost_and_margin_is_profit_over_sales():
    settled(booked(order(), NOON, "3.00", "4.00"), NOON, refund="1.00", reversal="1.00")
    figures = one().total
    assert figures.profit == Decimal("1.00")  # 3.00 sold, 2.00 net cost
    assert figures.margin == Decimal("33.3")


def test_margin_is_none_without_sales():
    assert Figures(spend=Decimal(2)).margin is None
    assert Figures(spend=Decimal(2)).profit == Decimal(-2)


def test_a_partial_order_counts_its_delivered_part_and_a_canceled_one_nothing():
    partial = booked(order(quantity=1000), NOON, "10.00", "13.00")
    canceled = booked(order(quantity=1000), NOON, "5.00", "6.50")
    ended = NOON + timedelta(days=1)
    settled(partial, ended, refund="4.00", reversal="5.20")  # 400 of 1000 undelivered
    settled(canceled, ended, refund="5.00", reversal="6.50")
    figures = one(DAY, DAY + timedelta(days=1)).total
    assert (figures.net_cost, figures.sales) == (Decimal("6.00"), Decimal("7.80"))


def test_a_settlement_lands_on_the_day_the_order_ended():
    placed = booked(order(), NOON, "3.00", "3.90")
    settled(placed, NOON + timedelta(days=2), refund="3.00", reversal="3.90")
    first, _, third = one(DAY, DAY + timedelta(days=2)).rows
    assert (first.orders, first.net_cost, first.sales) == (1, Decimal(3), Decimal("3.90"))
    assert (third.orders, third.refunds, third.sales) == (0, Decimal(3), Decimal("-3.90"))


def test_currencies_are_never_added_together_and_the_largest_comes_first():
    booked(order("USD"), NOON, "1.00", "2.00")
    booked(order("EUR"), NOON, "5.00", "9.00")
    booked(order("EUR"), NOON, "5.00", "9.00")
    eur, usd = reports(DAY, DAY, "day")
    assert (eur.currency, eur.total.orders, eur.total.sales) == ("EUR", 2, Decimal(18))
    assert (usd.currency, usd.total.orders, usd.total.sales) == ("USD", 1, Decimal(2))


def test_days_are_the_business_timezones_not_utc(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    # 23:30 UTC on the 9th is 08:30 on the 10th in Tokyo.
    booked(order(), datetime(2026, 3, 9, 23, 30, tzinfo=UTC), "1.00", "1.30")
    assert one().total.orders == 1


def test_every_day_of_the_range_has_a_row_the_quiet_ones_at_zero():
    booked(order(), NOON, "1.00", "1.30")
    report = one(DAY - timedelta(days=2), DAY + timedelta(days=1))
    assert [row.key for row in report.rows] == [DAY + timedelta(days=n) for n in range(-2, 2)]
    assert [row.orders for row in report.rows] == [0, 0, 1, 0]


def test_weeks_start_on_monday_and_are_named_by_their_iso_week():
    booked(order(), datetime(2026, 3, 8, 12, tzinfo=UTC), "1", "2")  # Sunday: week 10
    booked(order(), datetime(2026, 3, 9, 12, tzinfo=UTC), "1", "2")  # Monday: week 11
    booked(order(), datetime(2026, 3, 15, 12, tzinfo=UTC), "1", "2")  # Sunday: week 11
    report = one(date(2026, 3, 1), date(2026, 3, 15), "week")
    assert [(row.key, row.orders) for row in report.rows] == [
        (date(2026, 2, 23), 0),
        (date(2026, 3, 2), 1),
        (date(2026, 3, 9), 2),
    ]
    assert report.rows[2].label == "2026 week 11 (from 9 Mar)"


def test_months_start_on_the_first_and_cover_the_whole_range():
    for day in (date(2026, 1, 31), date(2026, 2, 1), date(2026, 2, 28), date(2026, 4, 1)):
        booked(order(), datetime.combine(day, datetime.min.time(), tzinfo=UTC), "1", "2")
    report = one(date(2026, 1, 15), date(2026, 4, 30), "month")
    assert [(row.key, row.orders) for row in report.rows] == [
        (date(2026, 1, 1), 1),
        (date(2026, 2, 1), 2),
        (date(2026, 3, 1), 0),
        (date(2026, 4, 1), 1),
    ]
    assert report.rows[1].label == "February 2026"


def test_the_rows_add_up_to_the_total_and_the_total_to_the_ledger():
    for n in range(12):
        at = NOON + timedelta(days=n % 5, hours=n)
        placed = booked(order(), at, f"{n}.37", f"{n + 1}.11")
        if n % 3 == 0:
            settled(
                placed, at + timedelta(days=1), refund="0.37", reversal="0.55", spend_adj="0.01"
            )
    for group in ("day", "week", "month", "service", "provider", "order_type"):
        report = one(DAY, DAY + timedelta(days=10), group)
        total = report.total
        assert sum(row.orders for row in report.rows) == total.orders == 12
        assert sum(row.net_cost for row in report.rows) == total.net_cost
        assert sum(row.sales for row in report.rows) == total.sales
        assert sum(row.profit for row in report.rows) == total.profit
    sums = dict(LedgerEntry.objects.values_list("kind").annotate(Sum("amount")).order_by())
    assert total.net_cost == sum(sums[k] for k in ("spend", "spend_adj", "refund"))
    assert total.sales == sum(sums[k] for k in ("sale", "sale_rev"))


def test_service_and_provider_rows_are_named_in_one_query_largest_sales_first(
    django_assert_num_queries,
):
    small = make_service(make_provider(name="Smallco"), name="Likes", type="Default")
    big = make_service(make_provider(name="Bigco"), name="Views", type="Package")
    booked(order(service=small), NOON, "1", "2")
    booked(order(service=big), NOON, "5", "9")
    with django_assert_num_queries(2):  # the sums, then the names
        services = one(group="service")
    with django_assert_num_queries(2):
        providers = one(group="provider")
    with django_assert_num_queries(1):
        kinds = one(group="order_type")
    assert [row.label for row in services.rows] == ["Views (Bigco)", "Likes (Smallco)"]
    assert [row.label for row in providers.rows] == ["Bigco", "Smallco"]
    assert [(row.label, row.sales) for row in kinds.rows] == [
        ("Package", Decimal(9)),
        ("Default", Decimal(2)),
    ]


def test_provider_movements_outside_orders_are_not_figures_of_the_report():
    provider = make_provider()
    ledger_post([Posting(Movement.TOP_UP, Decimal("100"), "USD", provider_id=provider.pk)], at=NOON)
    assert reports(DAY, DAY, "day") == []


def test_an_empty_period_has_no_report():
    booked(order(), NOON, "1", "2")
    assert reports(DAY + timedelta(days=1), DAY + timedelta(days=3), "day") == []


def test_periods_of_a_range():
    assert periods(date(2026, 12, 30), date(2027, 1, 2), "month") == [
        date(2026, 12, 1),
        date(2027, 1, 1),
    ]
    assert len(periods(date(2026, 1, 1), date(2026, 12, 31), "day")) == 365
