"""Reads for reconciliation: each provider's balance checks and what happened between two."""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery

from orders.models import BalanceCheck, LedgerEntry, Order, Provider

CHECK_ROWS = 30
PERIOD_ROWS = 200
LEDGER_ROWS = 50


def _latest(checks: QuerySet[BalanceCheck]) -> Subquery:
    return Subquery(checks.filter(provider=OuterRef("pk")).order_by("-at", "-id").values("pk")[:1])


def last_checks(providers: list[Provider]) -> dict[int, BalanceCheck]:
    """Each provider's latest balance check, by provider id; two queries."""
    if not providers:
        return {}
    ids = (
        Provider.objects.filter(pk__in=[p.pk for p in providers])
        .annotate(check_id=_latest(BalanceCheck.objects.all()))
        .values_list("check_id", flat=True)
    )
    checks = BalanceCheck.objects.filter(pk__in=[i for i in ids if i])
    return {check.provider_id: check for check in checks}


def drifts_needing_a_person() -> list[BalanceCheck]:
    """Providers whose latest compared check is flagged and not acknowledged.

    An earlier flag that a later check contradicts was timing (an order or a refund booked
    a moment after the provider had it) and needs no one."""
    compared = BalanceCheck.objects.filter(in_flight=False).exclude(expected=None)
    latest = Provider.objects.annotate(check_id=_latest(compared)).values("check_id")
    return list(
        BalanceCheck.objects.filter(
            pk__in=Subquery(latest), flagged=True, acknowledged_at__isnull=True
        )
        .select_related("provider")
        .order_by("-at")
    )


def provider_checks(provider: Provider, limit: int = CHECK_ROWS) -> list[BalanceCheck]:
    return list(provider.balance_checks.select_related("acknowledged_by")[:limit])


def check_needing_a_look(checks: list[BalanceCheck]) -> BalanceCheck | None:
    """The check a reconciliation page opens on: the latest unexplained flag, if any."""
    return next((c for c in checks if c.flagged and c.acknowledged_at is None), None)


@dataclass
class Period:
    """What the ledger and the orders did between the check compared from and this one."""

    check: BalanceCheck
    start: BalanceCheck | None
    entries: list[LedgerEntry]
    entries_count: int
    orders: list[Order]
    orders_count: int


def check_period(check: BalanceCheck) -> Period:
    start = check.compared_with
    window = Q(at__lte=check.at) & (Q(at__gt=start.at) if start else Q())
    entries = LedgerEntry.objects.filter(window, provider_id=check.provider_id)
    placed = Q(submitted_at__lte=check.at) & (Q(submitted_at__gt=start.at) if start else Q())
    settled = Q(settled_at__lte=check.at) & (Q(settled_at__gt=start.at) if start else Q())
    orders = Order.objects.filter(placed | settled, provider_id=check.provider_id)
    return Period(
        check=check,
        start=start,
        entries=list(entries.select_related("actor")[:PERIOD_ROWS]),
        entries_count=entries.count(),
        orders=list(orders.select_related("service").order_by("-submitted_at")[:PERIOD_ROWS]),
        orders_count=orders.count(),
    )


def provider_ledger(provider: Provider, limit: int = LEDGER_ROWS) -> list[LedgerEntry]:
    """The provider's latest ledger rows, top-ups and corrections among them."""
    entries = LedgerEntry.objects.filter(provider_id=provider.pk)
    return list(entries.select_related("actor")[:limit])
