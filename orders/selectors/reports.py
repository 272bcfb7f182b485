"""Reads for the reports page and home's money: sums over the ledger's daily roll-up.

Definitions the pages rely on (and say on screen):
- Figures are by the day money moved, in the business timezone (TIME_ZONE): an order's
  spend and sale land on the day it was placed, its settlement on the day it ended.
- Orders: SPEND entries (one per order placed). Spend: spend and spend adjustments.
  Refunds: the provider's refunds, shown positive. Net cost: spend − refunds.
  Sales: sales and sale adjustments less reversals. Profit: sales − net cost.
  Margin: profit ÷ sales, none without sales.
- Currencies are never added together: every figure belongs to one currency.

The database sums roll-up rows (`LedgerDayTotal`, or `LedgerDay` by service) per (currency,
bucket, kind); Python only pivots those few sums into rows, so a report costs the same
however many orders there are.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from orders.models import (
    SALE_KINDS,
    SPEND_KINDS,
    LedgerDay,
    LedgerDayTotal,
    Movement,
    Provider,
    Service,
)
from orders.models.ledger import ledger_day

ZERO = Decimal(0)
# Ways to group a report: the time buckets first, then the kinds of thing.
TIME_GROUPS = ("day", "week", "month")
GROUPS = (*TIME_GROUPS, "service", "provider", "order_type")
BUCKET = {"service": "service_key", "provider": "provider_key", "order_type": "order_type"}
SPEND = {Movement.SPEND.value, Movement.SPEND_ADJUSTMENT.value}
SALES = {Movement.SALE.value, Movement.SALE_ADJUSTMENT.value, Movement.SALE_REVERSAL.value}
# Provider top-ups and corrections move a balance, not an order's money: not in reports.
ORDER_KINDS = [str(kind) for kind in (*SPEND_KINDS, *SALE_KINDS)]


def business_today() -> date:
    """Today where the business keeps its books, whoever is looking."""
    return ledger_day(timezone.now())


@dataclass
class Figures:
    """One row of money: what was placed, paid, refunded and sold, in one currency."""

    orders: int = 0
    spend: Decimal = ZERO
    refunds: Decimal = ZERO
    sales: Decimal = ZERO

    def add(self, kind: str, amount: Decimal, entries: int) -> None:
        if kind == Movement.SPEND:
            self.orders += entries
        if kind in SPEND:
            self.spend += amount
        elif kind == Movement.REFUND:
            self.refunds -= amount  # refund rows are negative spend
        elif kind in SALES:
            self.sales += amount

    def __iadd__(self, other: "Figures") -> "Figures":
        self.orders += other.orders
        self.spend += other.spend
        self.refunds += other.refunds
        self.sales += other.sales
        return self

    @property
    def net_cost(self) -> Decimal:
        return self.spend - self.refunds

    @property
    def profit(self) -> Decimal:
        return self.sales - self.net_cost

    @property
    def margin(self) -> Decimal | None:
        """Profit as a percentage of sales, one decimal; None without sales to divide by."""
        if self.sales <= 0:
            return None
        return (self.profit * 100 / self.sales).quantize(Decimal("0.1"))


@dataclass
class Row(Figures):
    key: Any = None  # the day a period starts, a service or provider id, an order type
    label: str = ""


@dataclass
class Report:
    """One currency's rows and their total (the total is the rows added up)."""

    currency: str
    group: str
    start: date
    end: date
    rows: list[Row] = field(default_factory=list)

    @property
    def total(self) -> Figures:
        total = Figures()
        for row in self.rows:
            total += row
        return total


def ledger_sums(start: date, end: date, group: str) -> dict[str, dict[Any, Figures]]:
    """{currency: {bucket: Figures}} over the days start..end (included); one query.

    Time buckets are summed by day in the database, in the order of the roll-up's unique
    index (day, currency, kind, …), and put into weeks or months here: a year is ~2,000 sums.
    Reports over time, provider or order type read the roll-up without services (a few rows
    a day); a report by service reads the one by service, over its period only.
    """
    key = "day" if group in TIME_GROUPS else BUCKET[group]
    # Only a report by service needs the roll-up that keeps services apart.
    rollup = LedgerDay if group == "service" else LedgerDayTotal
    rows = (
        rollup.objects.filter(day__gte=start, day__lte=end, kind__in=ORDER_KINDS)
        .values_list(key, "currency", "kind")
        .annotate(amount=Sum("amount"), entries=Sum("entries"))
        .order_by()
    )
    found: dict[str, dict[Any, Figures]] = {}
    for bucket, currency, kind, amount, entries in rows:
        if group in TIME_GROUPS:
            bucket = period_start(bucket, group)
        found.setdefault(currency, {}).setdefault(bucket, Figures()).add(kind, amount, entries)
    return found


def period_start(day: date, group: str) -> date:
    if group == "week":
        return day - timedelta(days=day.weekday())
    if group == "month":
        return day.replace(day=1)
    return day


def reports(start: date, end: date, group: str) -> list[Report]:
    """Every currency's report for the period, the largest (by sales) first."""
    sums = ledger_sums(start, end, group)
    names = _names(group, {key for buckets in sums.values() for key in buckets})
    found = [
        Report(currency, group, start, end, _rows(buckets, group, start, end, names))
        for currency, buckets in sums.items()
    ]
    return sorted(found, key=lambda report: (-report.total.sales, report.currency))


def _rows(buckets: dict[object, Figures], group, start, end, names) -> list[Row]:
    if group in TIME_GROUPS:
        # Every period of the range, the empty ones too: a gap is a figure (nothing moved).
        keys: Iterable = periods(start, end, group)
    else:
        keys = sorted(buckets, key=lambda k: (-buckets[k].sales, names.get(k, str(k))))
    rows = []
    for key in keys:
        figures = buckets.get(key, Figures())
        label = period_label(key, group) if group in TIME_GROUPS else names.get(key, str(key))
        rows.append(Row(**figures.__dict__, key=key, label=label))
    return rows


def periods(start: date, end: date, group: str) -> list[date]:
    """The first day of each bucket touching start..end (a week starts on its Monday)."""
    if group == "day":
        return [start + timedelta(days=n) for n in range((end - start).days + 1)]
    if group == "week":
        first = start - timedelta(days=start.weekday())
        return [first + timedelta(weeks=n) for n in range((end - first).days // 7 + 1)]
    found, month = [], start.replace(day=1)
    while month <= end:
        found.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return found


def period_label(day: date, group: str) -> str:
    if group == "week":
        year, week, _weekday = day.isocalendar()
        return _("%(year)d week %(week)d (from %(day)s)") % {
            "year": year,
            "week": week,
            "day": date_format(day, "j M"),
        }
    if group == "month":
        return date_format(day, "YEAR_MONTH_FORMAT")
    return date_format(day, "D j M Y")


def _names(group: str, keys: set) -> dict[object, str]:
    """Names for service and provider keys, in one query; 0 is a row with none."""
    names: dict[object, str] = {}
    if group == "service":
        names = {
            pk: f"{name} ({provider})"
            for pk, name, provider in Service.objects.filter(pk__in=keys).values_list(
                "pk", "name", "provider__name"
            )
        }
        names[0] = _("No service")
    elif group == "provider":
        names = dict(Provider.objects.filter(pk__in=keys).values_list("pk", "name"))
        names[0] = _("No provider")
    elif group == "order_type":
        names = {key: key or _("No type") for key in keys}
    return names
