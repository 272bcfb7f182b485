"""The reports chart's geometry: pure arithmetic over a report, no database, no browser."""

from datetime import date, timedelta
from decimal import Decimal

from orders.selectors.report_chart import BOTTOM, HEIGHT, MOST_BARS, TOP, report_chart
from orders.selectors.reports import Report, Row

FLOOR = HEIGHT - BOTTOM


def report(*sales_and_cost, group="day") -> Report:
    first = date(2026, 3, 1)
    rows = [
        Row(
            sales=Decimal(sales),
            spend=Decimal(cost),
            key=first + timedelta(days=i),
            label=f"{i + 1} Mar",
        )
        for i, (sales, cost) in enumerate(sales_and_cost)
    ]
    return Report("USD", group, first, first + timedelta(days=len(rows)), rows)


def test_the_largest_sales_reach_the_top_and_cost_is_drawn_beside_them():
    chart = report_chart(report(("10", "6"), ("5", "2")))
    first, second = chart.sales
    assert first.y == TOP and first.height == FLOOR - TOP and chart.zero_y == FLOOR
    assert second.height == (FLOOR - TOP) / 2
    assert chart.costs[0].x == first.x + first.width
    assert chart.costs[0].height == round((FLOOR - TOP) * 0.6, 1)


def test_profit_is_a_line_on_the_same_scale():
    chart = report_chart(report(("10", "6"), ("5", "5")))
    four, nothing = chart.profit
    assert four.y == round(TOP + (FLOOR - TOP) * 0.6, 1)
    assert nothing.y == chart.zero_y
    assert chart.line == f"{four.x},{four.y} {nothing.x},{nothing.y}"
    assert four.label == "1 Mar: 4.00"


def test_a_loss_goes_below_the_zero_line():
    chart = report_chart(report(("2", "6")))
    [loss] = chart.profit
    assert chart.bottom == Decimal(-4) and loss.y == FLOOR
    assert TOP < chart.zero_y < FLOOR
    assert [label.label for label in chart.y_labels] == ["0.00", "6.00", "-4.00"]


def test_a_label_too_close_to_zero_is_left_out_rather_than_drawn_over_it():
    chart = report_chart(report(("100", "0"), ("0", "1")))
    assert [label.label for label in chart.y_labels] == ["0.00", "100.00"]


def test_negative_sales_draw_downward_from_zero():
    chart = report_chart(report(("4", "0"), ("-2", "0")))
    up, down = chart.sales
    assert up.y + up.height == chart.zero_y
    assert down.y == chart.zero_y and down.height > 0


def test_nothing_to_draw_stays_flat_without_dividing_by_zero():
    chart = report_chart(report(("0", "0"), ("0", "0")))
    assert chart.is_empty
    assert {bar.height for bar in chart.sales + chart.costs} == {0}


def test_months_are_labelled_short_under_the_axis():
    chart = report_chart(report(("1", "1"), group="month"))
    assert chart.x_labels[0].label == "Mar 2026"


def test_many_rows_show_the_first_ones_and_at_most_eight_labels():
    chart = report_chart(report(*[("1", "1")] * (MOST_BARS + 10)))
    assert (chart.shown, chart.rows) == (MOST_BARS, MOST_BARS + 10)
    assert len(chart.sales) == MOST_BARS and len(chart.x_labels) <= 8
    assert chart.x_labels[0].label == "1 Mar"


def test_long_labels_are_shortened_under_the_axis_but_whole_in_titles():
    row = report(("1", "1"), group="service")
    row.rows[0].label = "Instagram Followers HQ (Provider one)"
    chart = report_chart(row)
    assert chart.x_labels[0].label == "Instagram Fol…"
    assert chart.sales[0].title.startswith("Instagram Followers HQ (Provider one): sales")
