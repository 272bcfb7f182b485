"""The dataset's ledger, as the product would have written it, and its daily roll-up.

One SPEND and one SALE row per placed order at the time it was created; for a final order
that did not deliver everything (Partial, Canceled, Refunded), a REFUND and a SALE_REVERSAL
of the undelivered share at the time it ended. Written by two INSERT … SELECT statements
(the entries from the orders, the roll-up from the entries), not through `ledger_post`: a
million orders in seconds. The roll-up groups as `ledger_post` does (the day in TIME_ZONE).
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, Sum, Value
from django.db.models.functions import Coalesce, TruncDate

from orders.models import (
    LedgerDay,
    LedgerDayTotal,
    LedgerEntry,
    LocalState,
    Movement,
    Order,
    Status,
)

ENTRY_COLUMNS = (
    *("at", "kind", "amount", "currency", "provider_id", "order_id", "service_id"),
    *("order_type", "memo"),
)


def build_ledger(*, vacuum: bool = True) -> dict:
    """Write the ledger and its roll-up; `vacuum` analyses them after (PostgreSQL, outside a
    transaction)."""
    quote = connection.ops.quote_name
    entries, days = LedgerEntry._meta.db_table, LedgerDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(_entries_sql(), _entries_params())
        _roll_up(cursor)
        if vacuum and connection.vendor == "postgresql":
            # As autovacuum keeps them in production: planned with statistics.
            cursor.execute(f"VACUUM (ANALYZE) {quote(entries)}")
            cursor.execute(f"VACUUM (ANALYZE) {quote(days)}")
            cursor.execute(f"VACUUM (ANALYZE) {quote(LedgerDayTotal._meta.db_table)}")
    return {
        "ledger_entries": LedgerEntry.objects.count(),
        "ledger_day_rows": LedgerDay.objects.count(),
        "ledger_day_total_rows": LedgerDayTotal.objects.count(),
    }


def _entries_sql() -> str:
    quote = connection.ops.quote_name
    orders = quote(Order._meta.db_table)
    columns = ", ".join(quote(c) for c in ENTRY_COLUMNS)
    common = "currency, provider_id, id, service_id, order_type, ''"
    # The share not delivered: all of a refunded order, remains/quantity of the others.
    undelivered = "(CASE WHEN status = %s THEN 1.0 ELSE 1.0 * remains / quantity END)"
    ended = "status IN (%s, %s, %s) AND (status = %s OR remains > 0) AND state = %s"
    return (
        f"INSERT INTO {quote(LedgerEntry._meta.db_table)} ({columns}) "
        f"SELECT created_at, %s, cost, {common} FROM {orders} WHERE state = %s "
        f"UNION ALL SELECT created_at, %s, price, {common} FROM {orders} WHERE state = %s "
        f"UNION ALL SELECT completed_at, %s, -ROUND(cost * {undelivered}, 5), {common} "
        f"FROM {orders} WHERE {ended} "
        f"UNION ALL SELECT completed_at, %s, -ROUND(price * {undelivered}, 5), {common} "
        f"FROM {orders} WHERE {ended}"
    )


def _entries_params() -> list:
    placed = LocalState.PLACED
    final = [Status.PARTIAL, Status.CANCELED, Status.REFUNDED, Status.REFUNDED, placed]
    return [
        Movement.SPEND,
        placed,
        Movement.SALE,
        placed,
        Movement.REFUND,
        Status.REFUNDED,
        *final,
        Movement.SALE_REVERSAL,
        Status.REFUNDED,
        *final,
    ]


def _roll_up(cursor) -> None:
    """INSERT INTO the roll-up the entries grouped by its key, compiled by the ORM so the
    day is cut in TIME_ZONE the same way on every database."""
    grouped = (
        LedgerEntry.objects.annotate(
            day=TruncDate("at", tzinfo=ZoneInfo(settings.TIME_ZONE)),
            provider_key=Coalesce("provider_id", Value(0)),
            service_key=Coalesce("service_id", Value(0)),
        )
        .values("day", "currency", "kind", "provider_key", "service_key", "order_type")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by()
    )
    sql, params = grouped.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ("day", "currency", "kind", "provider_key", "service_key", "order_type")
    columns = ", ".join(quote(name) for name in (*names, "amount", "entries"))
    cursor.execute(f"INSERT INTO {quote(LedgerDay._meta.db_table)} ({columns}) {sql}", params)
    totals = (
        LedgerDay.objects.values("day", "currency", "kind", "provider_key", "order_type")
        .annotate(total=Sum("amount"), n=Sum("entries"))
        .order_by()
    )
    sql, params = totals.query.sql_with_params()
    total_names = ("day", "currency", "kind", "provider_key", "order_type")
    columns = ", ".join(quote(name) for name in (*total_names, "amount", "entries"))
    table = quote(LedgerDayTotal._meta.db_table)
    cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
