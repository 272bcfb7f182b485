"""Reads for the home page. Each is one or two queries, however many orders there are.

Definitions the page relies on (and says on screen):
- Money is read from the ledger (orders/selectors/reports.py has the definitions): by the
  day money moved, in the business timezone; a settlement lands on the day the order ended.
- The chart's bars count orders placed (local state placed) by the day they were created.
- An order is stuck when it was placed upstream more than 24 hours ago, is not in a final
  status, and has had no status change (no "status" event) for 24 hours.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Window
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_noop, ngettext

from customers.models import Offer
from customers.selectors.offers import offers_taken_off_sale
from orders.models import (
    FINAL_STATUSES,
    BalanceCheck,
    EventKind,
    LocalState,
    Order,
    OrderEvent,
    Provider,
    Status,
)
from orders.money import money_text
from orders.selectors.reconciliation import drifts_needing_a_person
from orders.selectors.reports import Figures, business_today, ledger_sums

STUCK_AFTER = timedelta(hours=24)
REJECTED_RECENTLY = timedelta(days=7)
CHART_DAYS = 30
PERIODS = ((1, gettext_noop("today")), (7, gettext_noop("7 days")), (30, gettext_noop("30 days")))
PROBLEM_ROWS = 5
# Listed rather than "not final", so the status index can serve the filter.
OPEN_STATUSES = ["", *(s.value for s in Status if s not in FINAL_STATUSES)]
ZERO = Decimal(0)


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def placed_since(start: datetime) -> QuerySet[Order]:
    return Order.objects.filter(state=LocalState.PLACED, created_at__gte=start)


def provider_balances() -> list[Provider]:
    return list(Provider.objects.order_by("-is_active", "name"))


@dataclass(frozen=True)
class StatusCount:
    state: str
    status: str
    label: str
    count: int

    @property
    def link(self) -> str:
        """The orders list filter for this count; none for placed orders not checked yet,
        which the list cannot single out."""
        if self.status:
            return f"status={self.status}"
        return "" if self.state == LocalState.PLACED else f"state={self.state}"


def order_counts_active() -> list[StatusCount]:
    """Orders not finished yet: waiting to be sent, being sent, or placed and not final."""
    active = Q(state__in=[LocalState.QUEUED, LocalState.SUBMITTING]) | (
        Q(state=LocalState.PLACED, status__in=OPEN_STATUSES)
    )
    rows = Order.objects.filter(active).values("state", "status").annotate(n=Count("id"))
    counts: dict[tuple[str, str], int] = {}
    for row in rows.order_by():
        status = row["status"] if row["state"] == LocalState.PLACED else ""
        counts[(row["state"], status)] = counts.get((row["state"], status), 0) + row["n"]
    labels = [
        (LocalState.QUEUED, "", str(LocalState.QUEUED.label)),
        (LocalState.SUBMITTING, "", str(LocalState.SUBMITTING.label)),
        (LocalState.PLACED, "", gettext_noop("Awaiting first check")),
        *((LocalState.PLACED, status.value, str(status.label)) for status in Status),
    ]
    result = [
        StatusCount(state, status, label, counts[(state, status)])
        for state, status, label in labels
        if counts.get((state, status))
    ]
    return result


@dataclass
class Totals:
    """One currency's money today, over 7 and over 30 days, from the ledger."""

    currency: str
    figures: list[Figures]

    @property
    def spend(self) -> list[Decimal]:
        return [f.spend for f in self.figures]

    @property
    def refunds(self) -> list[Decimal]:
        return [f.refunds for f in self.figures]

    @property
    def sales(self) -> list[Decimal]:
        return [f.sales for f in self.figures]

    @property
    def profit(self) -> list[Decimal]:
        return [f.profit for f in self.figures]

    @property
    def rows(self) -> list[tuple[str, Figures]]:
        labels = [label for _, label in PERIODS]
        return list(zip(labels, self.figures, strict=True))


LedgerDays = dict[str, dict[date, Figures]]


def ledger_days(today: date | None = None, days: int = CHART_DAYS) -> LedgerDays:
    """{currency: {day: Figures}} over the last `days` business days; one query, shared by
    the totals and the chart."""
    today = today or business_today()
    return ledger_sums(today - timedelta(days=days - 1), today, "day")


def money_totals(today: date | None = None, money: LedgerDays | None = None) -> list[Totals]:
    """Spend, refunds, sales and profit today, over 7 and over 30 days (today included), per
    currency: sums over the ledger by the day money moved."""
    today = today or business_today()
    money = ledger_days(today) if money is None else money
    found = []
    for currency, by_day in sorted(money.items()):
        figures = []
        for days, _ in PERIODS:
            total, first = Figures(), today - timedelta(days=days - 1)
            for day, amounts in by_day.items():
                if first <= day <= today:
                    total += amounts
            figures.append(total)
        found.append(Totals(currency, figures))
    return found


@dataclass
class Day:
    day: date
    orders: int = 0
    spend: dict[str, Decimal] = field(default_factory=dict)


def daily_series(
    today: date | None = None, days: int = CHART_DAYS, money: LedgerDays | None = None
) -> list[Day]:
    """Orders placed per day and spend per day (per currency, from the ledger) for the last
    `days` days, gaps filled."""
    today = today or business_today()
    first = today - timedelta(days=days - 1)
    rows = (
        placed_since(day_start(first))
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    series = {first + timedelta(days=i): Day(first + timedelta(days=i)) for i in range(days)}
    for row in rows:
        entry = series.get(row["day"])
        if entry is not None:  # a clock at the edge of midnight; never worth a crash
            entry.orders += row["n"]
    money = ledger_days(today, days) if money is None else money
    for currency, by_day in money.items():
        for day, amounts in by_day.items():
            if day in series:
                series[day].spend[currency] = amounts.spend
    return list(series.values())


@dataclass
class Problems:
    unverified: list[Order]
    unverified_count: int
    rejected: list[Order]
    rejected_count: int
    stuck: list[Order]
    stuck_count: int
    paused: list[Provider]
    key_refused: list[Provider] = field(default_factory=list)
    # Balance checks flagged against the ledger and not acknowledged, one per provider.
    drifts: list[BalanceCheck] = field(default_factory=list)
    # Our services a catalogue sync took off sale, not yet looked at (customers/).
    offers_off_sale: Sequence[Offer] = field(default_factory=list)
    offers_off_sale_count: int = 0

    @property
    def total(self) -> int:
        providers = len(self.paused) + len(self.key_refused) + len(self.drifts)
        orders = self.unverified_count + self.rejected_count + self.stuck_count
        return orders + providers + self.offers_off_sale_count


def is_stuck(now: datetime | None = None) -> Q:
    """The stuck condition, as a filter (the orders list's Problems tab uses it too)."""
    cutoff = (now or timezone.now()) - STUCK_AFTER
    recent_change = OrderEvent.objects.filter(
        order=OuterRef("pk"), kind=EventKind.STATUS, at__gte=cutoff
    )
    placed_open = Q(state=LocalState.PLACED, status__in=OPEN_STATUSES, submitted_at__lt=cutoff)
    return placed_open & ~Q(Exists(recent_change))


def is_rejected_recently(now: datetime | None = None) -> Q:
    since = (now or timezone.now()) - REJECTED_RECENTLY
    return Q(state=LocalState.REJECTED, created_at__gte=since)


def stuck_orders(now: datetime | None = None) -> QuerySet[Order]:
    return Order.objects.filter(is_stuck(now))


def rejected_recently(now: datetime | None = None) -> QuerySet[Order]:
    return Order.objects.filter(is_rejected_recently(now))


def problems_needing_a_person(providers: list[Provider]) -> Problems:
    """Orders and providers a person has to look at; the lists are short, counts exact."""
    unverified = Order.objects.filter(state=LocalState.UNVERIFIED)
    rejected = rejected_recently()
    stuck = stuck_orders()
    # The newest few with how many in all, in one query (a window count over the rows).
    off_sale = list(
        offers_taken_off_sale()
        .only("pk", "name", "disabled_reason")
        .annotate(total=Window(Count("pk")))[:PROBLEM_ROWS]
    )
    related = ("service", "provider")
    return Problems(
        unverified=list(unverified.select_related(*related).order_by("-created_at")[:PROBLEM_ROWS]),
        unverified_count=unverified.count(),
        rejected=list(rejected.select_related(*related).order_by("-created_at")[:PROBLEM_ROWS]),
        rejected_count=rejected.count(),
        stuck=list(stuck.select_related(*related).order_by("submitted_at")[:PROBLEM_ROWS]),
        stuck_count=stuck.count(),
        paused=[p for p in providers if p.is_paused and not p.key_refused],
        key_refused=[p for p in providers if p.key_refused],
        drifts=drifts_needing_a_person() if providers else [],
        offers_off_sale=off_sale,
        offers_off_sale_count=off_sale[0].total if off_sale else 0,
    )


def spend_by_day(series: list[Day]) -> dict[str, Decimal]:
    """Each currency's spend over the whole series: the chart draws the largest."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for entry in series:
        for currency, amount in entry.spend.items():
            totals[currency] += amount
    return dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass
class Chart:
    """Geometry for the server-drawn SVG: bars for orders, a polyline for spend."""

    currency: str
    width: int
    height: int
    bars: list[Bar]
    line: str
    points: list[Tick]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    spend_ticks: list[Tick]
    max_orders: int
    max_spend: Decimal
    plot_top: int
    plot_bottom: int
    plot_left: int
    plot_right: int
    rows: list[tuple[date, int, Decimal]]

    @property
    def total_orders(self) -> int:
        return sum(n for _, n, _ in self.rows)

    @property
    def total_spend(self) -> Decimal:
        return sum((amount for _, _, amount in self.rows), ZERO)


CHART_W, CHART_H = 900, 260
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 64, 12, 28


def chart_geometry(series: list[Day], currency: str) -> Chart:
    """Scale the series into the SVG's box; pure, so the drawing is tested without a browser."""
    left, right = PAD_LEFT, CHART_W - PAD_RIGHT
    top, bottom = PAD_TOP, CHART_H - PAD_BOTTOM
    slot = (right - left) / max(len(series), 1)
    max_orders = max((d.orders for d in series), default=0)
    max_spend = max((d.spend.get(currency, ZERO) for d in series), default=ZERO)
    order_scale = (bottom - top) / max_orders if max_orders else 0
    spend_scale = (bottom - top) / float(max_spend) if max_spend else 0
    bars, points = [], []
    for i, entry in enumerate(series):
        x = left + i * slot
        height = entry.orders * order_scale
        bars.append(
            Bar(
                round(x + slot * 0.15, 1),
                round(bottom - height, 1),
                round(slot * 0.7, 1),
                round(height, 1),
                ngettext("%(day)s: %(n)d order", "%(day)s: %(n)d orders", entry.orders)
                % {"day": date_format(entry.day, "j M"), "n": entry.orders},
            )
        )
        amount = entry.spend.get(currency, ZERO)
        y = bottom - float(amount) * spend_scale
        label = f"{date_format(entry.day, 'j M')}: {money_text(amount)}"
        points.append(Tick(round(x + slot / 2, 1), round(y, 1), label))
    x_ticks = [
        Tick(round(left + i * slot + slot / 2, 1), CHART_H - 8, date_format(entry.day, "j M"))
        for i, entry in enumerate(series)
        if (len(series) - 1 - i) % 7 == 0
    ]
    middle = (top + bottom) / 2
    y_ticks = [
        Tick(left - 6, top + 4, str(max_orders)),
        Tick(left - 6, round(middle + 4, 1), _half(max_orders)),
        Tick(left - 6, bottom + 4, "0"),
    ]
    spend_ticks = [
        Tick(right + 6, top + 4, money_text(max_spend)),
        Tick(right + 6, round(middle + 4, 1), money_text(max_spend / 2)),
        Tick(right + 6, bottom + 4, "0"),
    ]
    return Chart(
        currency=currency,
        width=CHART_W,
        height=CHART_H,
        bars=bars,
        line=" ".join(f"{p.x},{p.y}" for p in points),
        points=points,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        spend_ticks=spend_ticks,
        max_orders=max_orders,
        max_spend=max_spend,
        plot_top=top,
        plot_bottom=bottom,
        plot_left=left,
        plot_right=right,
        rows=[(d.day, d.orders, d.spend.get(currency, ZERO)) for d in series],
    )


def _half(value: int) -> str:
    half = value / 2
    return str(int(half)) if half == int(half) else f"{half:.1f}"
