"""The chart's geometry: pure arithmetic, no database, no browser."""

from datetime import date, timedelta
from decimal import Decimal

from orders.selectors.home import CHART_H, PAD_BOTTOM, PAD_TOP, Day, chart_geometry

BOTTOM, TOP = CHART_H - PAD_BOTTOM, PAD_TOP


def series(*orders_and_spend):
    first = date(2026, 3, 1)
    return [
        Day(first + timedelta(days=i), n, {"USD": Decimal(spend)})
        for i, (n, spend) in enumerate(orders_and_spend)
    ]


def test_the_busiest_day_reaches_the_top_and_an_empty_day_stays_on_the_axis():
    chart = chart_geometry(series((4, "2"), (0, "0"), (2, "1")), "USD")
    tallest, empty, half = chart.bars
    assert tallest.y == TOP and tallest.height == BOTTOM - TOP
    assert empty.height == 0 and empty.y == BOTTOM
    assert half.height == (BOTTOM - TOP) / 2


def test_the_spend_line_is_scaled_to_its_own_maximum():
    chart = chart_geometry(series((1, "10"), (9, "5")), "USD")
    first, second = chart.points
    assert first.y == TOP and second.y == (TOP + BOTTOM) / 2
    assert chart.line == f"{first.x},{first.y} {second.x},{second.y}"
    assert chart.max_spend == Decimal(10)


def test_no_data_draws_flat_without_dividing_by_zero():
    chart = chart_geometry(series((0, "0"), (0, "0")), "USD")
    assert {b.height for b in chart.bars} == {0}
    assert chart.total_orders == 0 and chart.total_spend == 0


def test_bars_and_points_carry_readable_titles_and_only_another_currency_is_ignored():
    chart = chart_geometry(series((1, "3")), "EUR")
    assert chart.bars[0].title == "1 Mar: 1 order"
    assert chart.points[0].label == "1 Mar: 0.00"
    assert chart.max_spend == 0


def test_dates_are_labelled_every_week_ending_today():
    chart = chart_geometry(series(*[(1, "1")] * 30), "USD")
    assert [t.label for t in chart.x_ticks] == ["2 Mar", "9 Mar", "16 Mar", "23 Mar", "30 Mar"]
