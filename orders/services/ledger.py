"""Writing to the ledger: the one place money movements are recorded.

`ledger_post` appends rows and adds them into the daily roll-up in the caller's transaction,
so a movement and its share of every report commit together or not at all. Roll-up rows are
upserted in a fixed order (one table, then the other; sorted keys in each): two transactions
adding to the same days never deadlock.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

from orders.models.ledger import LedgerDay, LedgerDayTotal, LedgerEntry, Movement, ledger_day
from orders.models.order import Order
from orders.services.bulk import insert_rows

ENTRY_FIELDS = (
    "at",
    "kind",
    "amount",
    "currency",
    "provider_id",
    "order_id",
    "service_id",
    "order_type",
    "memo",
    "actor_id",
)
ROLLUP_KEY = ("day", "currency", "kind", "provider_key", "service_key", "order_type")
# Each roll-up and its key, both kept by every posting (see the models).
ROLLUPS: tuple[tuple[type[models.Model], tuple[str, ...]], ...] = (
    (LedgerDay, ROLLUP_KEY),
    (LedgerDayTotal, ("day", "currency", "kind", "provider_key", "order_type")),
)


@dataclass(frozen=True)
class Posting:
    kind: Movement
    amount: Decimal
    currency: str
    provider_id: int | None = None
    order_id: int | None = None
    service_id: int | None = None
    order_type: str = ""
    memo: str = ""
    actor_id: int | None = None


def order_posting(order: Order, kind: Movement, amount: Decimal, currency: str) -> Posting:
    return Posting(
        kind=kind,
        amount=amount,
        currency=currency,
        provider_id=order.provider_id,
        order_id=order.pk,
        service_id=order.service_id,
        order_type=order.order_type,
    )


def ledger_post(postings: Iterable[Posting], *, at: datetime | None = None) -> int:
    """Append the postings (zero ones but spend left out) and add them into the roll-ups;
    returns rows written.

    Run it inside the transaction that makes the movement true (the order placed, the status
    settled), so neither can be kept without the other.
    """
    # A placement is counted by its spend row, so that one is kept even at zero (a
    # subscription, charged post by post later; a free order).
    rows = [p for p in postings if p.amount or p.kind == Movement.SPEND]
    if not rows:
        return 0
    at = at or timezone.now()
    insert_rows(
        LedgerEntry,
        ENTRY_FIELDS,
        [
            (
                at,
                p.kind,
                p.amount,
                p.currency,
                p.provider_id,
                p.order_id,
                p.service_id,
                p.order_type,
                p.memo[:300],
                p.actor_id,
            )
            for p in rows
        ],
    )
    _roll_up(ledger_day(at), rows)
    return len(rows)


def _field(field) -> models.Field:
    assert isinstance(field, models.Field)
    return field


def _roll_up(day: date, rows: list[Posting]) -> None:
    for model, key_fields in ROLLUPS:
        sums: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0])
        for p in rows:
            values = {
                "day": day,
                "currency": p.currency,
                "kind": str(p.kind),
                "provider_key": p.provider_id or 0,
                "service_key": p.service_id or 0,
                "order_type": p.order_type,
            }
            key = tuple(values[name] for name in key_fields)
            sums[key][0] += p.amount
            sums[key][1] += 1
        _upsert(model, key_fields, sums)


def _upsert(model: type[models.Model], key_fields: tuple[str, ...], sums: dict) -> None:
    """Add each key's sum into its roll-up row, one statement on PostgreSQL (a batch's
    settlement touches a row per service: one statement each cost ~0.4 ms)."""
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    fields = [_field(meta.get_field(name)) for name in (*key_fields, "amount", "entries")]
    key_columns = [quote(field.column) for field in fields[: len(key_fields)]]
    amount, entries = quote("amount"), quote("entries")
    columns = ", ".join([*key_columns, amount, entries])
    conflict = (
        f" ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET"
        f" {amount} = {table}.{amount} + excluded.{amount},"
        f" {entries} = {table}.{entries} + excluded.{entries}"
    )
    adapt_date = connection.ops.adapt_datefield_value
    adapt_money = connection.ops.adapt_decimalfield_value
    values = [
        [adapt_date(key[0]), *key[1:], adapt_money(total, 24, 8), count]
        for key, (total, count) in sorted(sums.items())
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Keys are unique here (summed above), as ON CONFLICT needs within a statement.
            arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}){conflict}",
                [list(column) for column in zip(*values, strict=True)],
            )
            return
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks}){conflict}", values)
