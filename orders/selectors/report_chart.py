"""Geometry of the reports chart: sales and net cost as bars, profit as a line, one scale.

Pure arithmetic over a report's rows, so the drawing is tested without a browser. The scale
runs from the lowest figure (or 0) to the highest (or 0): a period whose refunds outweigh its
spend, or that lost money, draws below the zero line.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from orders.money import money_text
from orders.selectors.reports import Report, Row

WIDTH, HEIGHT = 900, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 12, 12, 30
MOST_BARS = 40  # beyond this a grouping by service or provider shows its largest only
MOST_LABELS = 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass
class ReportChart:
    width: int
    height: int
    sales: list[Bar]
    costs: list[Bar]
    profit: list[Point]
    line: str
    x_labels: list[Point]
    y_labels: list[Point]
    zero_y: float
    plot_left: int
    plot_right: int
    top: Decimal
    bottom: Decimal
    shown: int
    rows: int

    @property
    def is_empty(self) -> bool:
        return self.top == self.bottom == 0


def report_chart(report: Report) -> ReportChart:
    rows = report.rows[:MOST_BARS]
    values = [v for r in rows for v in (r.sales, r.net_cost, r.profit)]
    high, low = max([Decimal(0), *values]), min([Decimal(0), *values])
    span = float(high - low) or 1.0
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM
    right = WIDTH - RIGHT

    def y_of(value: Decimal) -> float:
        return round(plot_top + float(high - value) / span * (plot_bottom - plot_top), 1)

    zero = y_of(Decimal(0))
    slot = (right - LEFT) / max(len(rows), 1)
    sales, costs, profit = [], [], []
    for i, row in enumerate(rows):
        x = LEFT + i * slot
        bar = slot * 0.38
        sales.append(_bar(x + slot * 0.1, bar, row.sales, y_of, zero, row, _("sales")))
        costs.append(_bar(x + slot * 0.1 + bar, bar, row.net_cost, y_of, zero, row, _("net cost")))
        profit.append(
            Point(
                round(x + slot / 2, 1), y_of(row.profit), f"{row.label}: {money_text(row.profit)}"
            )
        )
    step = max(1, -(-len(rows) // MOST_LABELS))
    x_labels = [
        Point(round(LEFT + i * slot + slot / 2, 1), HEIGHT - 10, _axis_label(row, report.group))
        for i, row in enumerate(rows)
        if i % step == 0
    ]
    y_labels: list[Point] = []
    for value in _levels(high, low):
        y = y_of(value)
        if all(abs(y - label.y + 4) > 14 for label in y_labels):  # never one over another
            y_labels.append(Point(LEFT - 6, y + 4, money_text(value)))
    return ReportChart(
        width=WIDTH,
        height=HEIGHT,
        sales=sales,
        costs=costs,
        profit=profit,
        line=" ".join(f"{p.x},{p.y}" for p in profit),
        x_labels=x_labels,
        y_labels=y_labels,
        zero_y=zero,
        plot_left=LEFT,
        plot_right=right,
        top=high,
        bottom=low,
        shown=len(rows),
        rows=len(report.rows),
    )


def _bar(x: float, width: float, value: Decimal, y_of, zero: float, row: Row, what: str) -> Bar:
    y = y_of(value)
    title = f"{row.label}: {what} {money_text(value)}"
    return Bar(round(x, 1), min(y, zero), round(width, 1), round(abs(zero - y), 1), title)


def _levels(high: Decimal, low: Decimal) -> list[Decimal]:
    """The labelled heights: zero, the top, and the bottom when something is below zero."""
    return [Decimal(0), *(v for v in (high, low) if v)]


def _axis_label(row: Row, group: str) -> str:
    """Under the axis, a date is short (the table and the titles have it whole)."""
    if group in ("day", "week"):
        return date_format(row.key, "j M")
    if group == "month":
        return date_format(row.key, "M Y")
    return _short(row.label)


def _short(label: str, most: int = 14) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"
