"""Orders placed before the ledger enter it: each placed order books its estimates when it was
submitted, a running subscription the charge reported so far, and each final order is settled
when it finished, by the same rules as new ones (orders/services/settlement.py), so reports
include an upgraded install's history. Subscriptions kept their rates per 1000 in cost and
price: these move to rate and selling_rate, and nothing counts as spent before a charge."""

from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils import timezone

from orders.services.settlement import (
    Answer,
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

FINAL = {"completed", "partial", "canceled", "refunded", "failed"}
CHUNK = 2000


def book_history(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    LedgerEntry = apps.get_model("orders", "LedgerEntry")
    LedgerDay = apps.get_model("orders", "LedgerDay")
    now = timezone.now()
    days: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0])
    # An order the ledger already holds is left as it is: run twice, nothing is booked twice.
    booked = LedgerEntry.objects.filter(order_id=OuterRef("pk"))
    placed = (
        Order.objects.filter(state="placed", settled_at__isnull=True)
        .exclude(Exists(booked))
        .order_by("pk")
    )
    chunk: list = []
    for order in placed.iterator(chunk_size=CHUNK):
        chunk.append(order)
        if len(chunk) == CHUNK:
            _book(chunk, Order, LedgerEntry, days, now)
            chunk = []
    _book(chunk, Order, LedgerEntry, days, now)
    _roll_up(LedgerDay, days)


def _book(orders, Order, LedgerEntry, days, now) -> None:
    entries = []
    for order in orders:
        subscription = is_subscription(order.order_type)
        if subscription and order.rate is None:  # its rates per 1000 were kept as cost/price
            order.rate, order.selling_rate = order.cost, order.price
            order.cost = order.price = Decimal(0)
        ratio = (
            markup_ratio(order.rate, order.selling_rate)
            if subscription
            else markup_ratio(order.cost, order.price)
        )
        terms = Terms(
            quantity=order.quantity,
            cost=order.cost,
            price=order.price,
            currency=order.currency,
            ratio=ratio,
            runs=is_drip_feed(order.params or {}),
            subscription=subscription,
        )
        booked: dict[str, tuple[Decimal, Decimal]] = {}
        placed_at = order.submitted_at or order.created_at
        moves = [(placed_at, m) for m in placing_moves(order.cost, order.price, order.currency)]
        _add(booked, [m for _, m in moves])
        if subscription and order.charge is not None:
            target = running(terms, order.charge, order.currency)
            followed = running_moves(target, booked)
            _add(booked, followed)
            moves += [(order.last_checked_at or placed_at, m) for m in followed]
            order.cost, order.price = target.cost, target.price
        if order.status in FINAL:
            answer = Answer(order.status, order.remains, order.charge, order.currency)
            target = settled(terms, answer)
            at = order.completed_at or order.last_checked_at or now
            moves += [(at, m) for m in settling_moves(target, booked, status=order.status)]
            order.cost, order.price, order.settled_at = target.cost, target.price, at
        for at, move in moves:
            if not move.amount and move.kind != "spend":  # a placement counts at 0
                continue
            entries.append(
                LedgerEntry(
                    at=at,
                    kind=str(move.kind),
                    amount=move.amount,
                    currency=move.currency,
                    provider_id=order.provider_id,
                    order_id=order.pk,
                    service_id=order.service_id,
                    order_type=order.order_type,
                    memo="booked from the order's history",
                )
            )
            key = (
                at.astimezone(ZoneInfo(settings.TIME_ZONE)).date(),
                move.currency,
                str(move.kind),
                order.provider_id or 0,
                order.service_id or 0,
                order.order_type,
            )
            days[key][0] += move.amount
            days[key][1] += 1
    LedgerEntry.objects.bulk_create(entries, batch_size=CHUNK)
    Order.objects.bulk_update(
        orders, ["cost", "price", "rate", "selling_rate", "settled_at"], batch_size=CHUNK
    )


def _add(booked: dict, moves) -> None:
    spend_kinds = {"spend", "spend_adj", "refund"}
    for move in moves:
        spend, sale = booked.get(move.currency, (Decimal(0), Decimal(0)))
        if str(move.kind) in spend_kinds:
            spend += move.amount
        else:
            sale += move.amount
        booked[move.currency] = (spend, sale)


def _roll_up(LedgerDay, days) -> None:
    """Into the daily roll-up, beside whatever it already holds (a new ledger: little)."""
    key_fields = ("day", "currency", "kind", "provider_key", "service_key", "order_type")
    held = {tuple(getattr(row, f) for f in key_fields): row for row in LedgerDay.objects.all()}
    new = []
    for key, (amount, count) in sorted(days.items()):
        row = held.get(key)
        if row is None:
            new.append(LedgerDay(**dict(zip(key_fields, key)), amount=amount, entries=count))
        else:
            row.amount += amount
            row.entries += count
            row.save(update_fields=["amount", "entries"])
    LedgerDay.objects.bulk_create(new, batch_size=CHUNK)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0011_order_rates_at_placing"),
    ]

    operations = [migrations.RunPython(book_history, migrations.RunPython.noop)]
