"""Orders booked as placement books them, and what the ledger says of one order."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from orders.models import SPEND_KINDS, LedgerDay, LedgerDayTotal, LedgerEntry, Order
from orders.services.ledger import ledger_day
from orders.services.order_money import order_book
from orders.services.polling import apply_statuses, claim_due
from orders.upstream import OrderState, OrderStatus
from tests.factories import make_order, make_service


def booked_order(**fields) -> Order:
    """A placed order with its estimates booked (50,000 at 2.40 per 1000, 30 % markup)."""
    service = fields.pop("service", None) or make_service(rate=Decimal("2.40"), max_quantity=50_000)
    defaults = {
        "quantity": 50_000,
        "cost": Decimal("120"),
        "price": Decimal("156"),
        "currency": "USD",
        "rate": Decimal("2.40"),
        "selling_rate": Decimal("3.12"),
    }
    order = make_order(service, **(defaults | fields))
    order_book(order, at=timezone.now())
    return order


def status(
    state: OrderState,
    *,
    remains: int | None = None,
    charge: str | None = None,
    currency: str = "USD",
    raw: str = "",
) -> OrderStatus:
    return OrderStatus(
        status=state,
        raw_status=raw or state.value.replace("_", " ").capitalize(),
        charge=None if charge is None else Decimal(charge),
        start_count=0,
        remains=remains,
        currency=currency,
    )


def poll_with(answers: dict[Order, OrderStatus]) -> None:
    """A polling round's write of these answers: the orders claimed as the poller claims
    them (due or not), then `apply_statuses`."""
    ids = [order.pk for order in answers]
    Order.objects.filter(pk__in=ids).update(next_check_at=timezone.now(), claimed_until=None)
    by_provider = defaultdict(list)
    for order in answers:
        by_provider[order.provider_id].append(order)
    replies = {order.upstream_id: answer for order, answer in answers.items()}
    for orders in by_provider.values():
        batch = [o for o in claim_due(orders[0].provider, timezone.now()) if o.pk in ids]
        apply_statuses(batch, replies)
    for order in answers:
        order.refresh_from_db()


def ledger_of(order: Order) -> dict[str, tuple[Decimal, Decimal]]:
    """currency → (spend sum, sale sum) of the order's rows, leaving out empty currencies."""
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for kind, amount, currency in order.ledger.values_list("kind", "amount", "currency"):
        sums[currency][0 if kind in SPEND_KINDS else 1] += amount
    return {c: (spend, sale) for c, (spend, sale) in sums.items() if spend or sale}


def kinds_of(order: Order) -> list[str]:
    return list(order.ledger.order_by("id").values_list("kind", flat=True))


def rollup_matches_entries() -> bool:
    """Every day, currency and kind of both roll-ups holds its entries' sum and count."""
    from_entries: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0])
    for at, currency, kind, amount in LedgerEntry.objects.values_list(
        "at", "currency", "kind", "amount"
    ):
        key = (ledger_day(at), currency, kind)
        from_entries[key][0] += amount
        from_entries[key][1] += 1
    return all(
        dict(from_entries)
        == {
            (row["day"], row["currency"], row["kind"]): [row["total"], row["n"]]
            for row in rollup.objects.values("day", "currency", "kind")
            .annotate(total=Sum("amount"), n=Sum("entries"))
            .order_by()
        }
        for rollup in (LedgerDay, LedgerDayTotal)
    )
