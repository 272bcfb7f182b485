"""Orders into the ledger: booked when placed, a subscription's charge followed while it runs,
settled once when final. The rules are settlement.py's; here they meet the database, in the
caller's transaction and in a fixed number of statements whatever the batch size."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from django.db.models import Q, Sum

from orders.models import FINAL_STATUSES, SALE_KINDS, SPEND_KINDS, LedgerEntry, Order
from orders.services.bulk import update_rows, update_rows_if_unset
from orders.services.ledger import ledger_post, order_posting
from orders.services.settlement import (
    Answer,
    Figures,
    Move,
    Terms,
    is_drip_feed,
    is_subscription,
    markup_ratio,
    placing_moves,
    running,
    running_moves,
    settled,
    settling_moves,
)
from orders.signals import orders_closed

ZERO = Decimal(0)


def order_terms(order: Order, *, runs: bool = False) -> Terms:
    """What the order was placed on: read before a status answer is applied to it."""
    subscription = is_subscription(order.order_type)
    if subscription:
        ratio = markup_ratio(order.rate, order.selling_rate)
    else:
        ratio = markup_ratio(order.cost, order.price)
    return Terms(
        quantity=order.quantity,
        cost=order.cost,
        price=order.price,
        currency=order.currency,
        ratio=ratio,
        runs=runs,
        subscription=subscription,
    )


def order_book(order: Order, *, at: datetime) -> int:
    """Book a placed order's estimates (a subscription's are zero: nothing is spent before
    the provider charges a post). Call it in the transaction that marks the order placed."""
    moves = placing_moves(order.cost, order.price, order.currency)
    return ledger_post(_postings(order, moves, memo="placed"), at=at)


def money_change(order: Order, fields: dict) -> str:
    """What a status outcome means for the order's money, judged before it is applied:
    "settle" (turning final), "follow" (a running subscription's charge moved) or ""."""
    if order.settled_at is not None:
        return ""
    if fields.get("status") in FINAL_STATUSES:
        return "settle"
    if ("charge" in fields or "currency" in fields) and is_subscription(order.order_type):
        return "follow"
    return ""


def orders_money(
    settling: Sequence[tuple[Order, Terms]], following: Sequence[tuple[Order, Terms]], now: datetime
) -> set[int]:
    """Settle the orders turning final and follow the running subscriptions' charges, with
    their ledger rows; returns the orders another writer settled first (nothing written for
    them here). The orders carry their new status, charge, remains and currency."""
    if not settling and not following:
        return set()
    won: list[tuple[Order, Terms]] = []
    lost: set[int] = set()
    if settling:
        runs = _drip_feed([order.pk for order, _ in settling])
        for order, terms in settling:
            figures = settled(replace(terms, runs=order.pk in runs), _answer(order))
            order.cost, order.price, order.settled_at = figures.cost, figures.price, now
        # The claim and the settled figures are one write: of two writers, one settles.
        # In id order, so two writers lock the rows in the same order and never deadlock.
        rows = sorted((order for order, _ in settling), key=lambda order: order.pk)
        claimed = update_rows_if_unset(rows, ("cost", "price", "settled_at"), unset="settled_at")
        won = [(order, terms) for order, terms in settling if order.pk in claimed]
        lost = {order.pk for order, _ in settling} - claimed
    for order, terms in following:
        figures = running(terms, order.charge, order.currency)
        order.cost, order.price = figures.cost, figures.price
    booked = booked_sums([order.pk for order, _ in [*won, *following]])
    postings = []
    for order, _ in won:
        target = _figures(order)
        moves = settling_moves(target, booked.get(order.pk, {}), status=order.status)
        postings += _postings(order, moves, memo=f"settled: {order.status_raw}")
    for order, _ in following:
        moves = running_moves(_figures(order), booked.get(order.pk, {}))
        postings += _postings(order, moves, memo="charge reported so far")
    ledger_post(postings, at=now)
    update_rows([order for order, _ in following], ("cost", "price"))
    if won:  # a customer's undelivered part goes back to them (customers/receivers.py)
        orders_closed.send(sender=Order, orders=[order for order, _ in won])
    return lost


def _figures(order: Order) -> Figures:
    return Figures(order.cost or ZERO, order.price or ZERO, order.currency)


def booked_sums(order_ids: Iterable[int]) -> dict[int, dict[str, tuple[Decimal, Decimal]]]:
    """Each order's ledger sums per currency, (spend kinds, sale kinds), in one query."""
    ids = list(order_ids)
    if not ids:
        return {}
    rows = (
        LedgerEntry.objects.filter(order_id__in=ids)
        .values("order_id", "currency")
        .annotate(
            spend=Sum("amount", filter=Q(kind__in=SPEND_KINDS), default=ZERO),
            sale=Sum("amount", filter=Q(kind__in=SALE_KINDS), default=ZERO),
        )
        .order_by()
    )
    sums: dict[int, dict[str, tuple[Decimal, Decimal]]] = defaultdict(dict)
    for row in rows:
        sums[row["order_id"]][row["currency"]] = (row["spend"], row["sale"])
    return sums


def _drip_feed(order_ids: list[int]) -> set[int]:
    """Which of these orders are drip-feed (their parameters are not claimed with them)."""
    rows = Order.objects.filter(pk__in=order_ids, params__has_key="runs")
    return {pk for pk, params in rows.values_list("pk", "params") if is_drip_feed(params)}


def _answer(order: Order) -> Answer:
    return Answer(order.status, order.remains, order.charge, order.currency)


def _postings(order: Order, moves: list[Move], memo: str = "") -> list:
    return [
        replace(order_posting(order, move.kind, move.amount, move.currency), memo=memo)
        for move in moves
    ]
