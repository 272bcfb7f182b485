"""The data a run measures: providers, services, a million orders, one long timeline.

The active orders are the simulator's seeded ones (same upstream ids and services), the
newest of the table, last seen Pending and due for a check. The rest are final orders spread
over six months and five providers, as a reseller's history would be. PostgreSQL gets them
through COPY (a million rows in well under a minute); other databases through bulk_create.
"""

import json
import random
from collections.abc import Iterator, Sequence
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from orders.models import EventKind, LocalState, Order, OrderEvent, Provider, Service, Status
from simulator.seeding import SEED_QUANTITY, seeded_service

# High enough that the throttle grants every call at once (it still takes its row lock).
SIM_RATE_LIMIT = 600_000
OTHER_PROVIDERS = 4
OTHER_SERVICES = 250
HISTORY = timedelta(days=180)
CUSTOMER_SHARE = 5  # one in five final placed orders was bought by an API customer
FINAL_MIX = (
    (Status.COMPLETED, "Completed", 82),
    (Status.PARTIAL, "Partial", 9),
    (Status.CANCELED, "Canceled", 6),
    (Status.REFUNDED, "Refunded", 1),
    ("", "", 2),  # rejected locally: never placed
)
# The state every active order starts from, and is put back to before the baseline.
SEEDED_MIRROR = {
    "status": Status.PENDING,
    "status_raw": "Pending",
    "start_count": 0,
    "remains": SEED_QUANTITY,
    "upstream_extra": {},
    "missing_count": 0,
    "missing_upstream": False,
    "completed_at": None,
    "last_checked_at": None,
    "check_interval": 30,
}


def make_providers(api_url: str, api_key: str) -> tuple[Provider, list[Provider]]:
    sim = Provider(name="Bench simulator", api_url=api_url, currency="USD")
    sim.rate_limit_per_minute = SIM_RATE_LIMIT
    sim.api_key = api_key
    sim.save()
    others = []
    for n in range(OTHER_PROVIDERS):
        # Never called: port 9 (discard) on loopback, so a stray call fails at once.
        other = Provider(name=f"Bench provider {n + 1}", api_url="http://127.0.0.1:9/api/v2")
        other.currency, other.api_key = "USD", f"bench-other-{n}"
        other.save()
        others.append(other)
    return sim, others


def make_other_services(others: list[Provider]) -> None:
    now = timezone.now()
    Service.objects.bulk_create(
        Service(
            provider=provider,
            upstream_id=n,
            name=f"Service {n} of {provider.name}",
            type="Default",
            category="Bench",
            rate=Decimal(random.Random(n).randint(5, 90000)) / 10000,
            min_quantity=10,
            max_quantity=100_000,
            first_seen_at=now,
            last_seen_at=now,
        )
        for provider in others
        for n in range(1, OTHER_SERVICES + 1)
    )


def build_orders(
    sim: Provider,
    first_id: int,
    last_id: int,
    total: int,
    customers: Sequence[int] = (),
    *,
    vacuum: bool = True,
) -> None:
    """`total` orders, the last (newest) of them the simulator's active ones; one in
    CUSTOMER_SHARE of the final placed ones belongs to one of `customers`, in turn. `vacuum`
    analyses the table after (PostgreSQL, outside a transaction)."""
    columns = [f.attname for f in Order._meta.concrete_fields if not f.primary_key]
    rows = _rows(sim, first_id, last_id, total, customers)
    if connection.vendor != "postgresql":
        _insert(columns, rows)
        return
    _copy(columns, rows)
    if vacuum:
        with connection.cursor() as cursor:
            # The table as autovacuum keeps it in production: without this, autovacuum
            # comes to the million new rows in the middle of the measured round.
            cursor.execute(f"VACUUM (ANALYZE) {Order._meta.db_table}")


def build_timeline(order_id: int, events: int) -> None:
    """A long history on one order: status moves, refills, staff notes."""
    start = timezone.now() - timedelta(days=30)
    OrderEvent.objects.bulk_create(
        [
            OrderEvent(
                order_id=order_id,
                kind=EventKind.STATUS if n % 5 else EventKind.REFILL,
                message=f"In progress → In progress ({n} delivered)",
                data={"remains": events - n},
            )
            for n in range(events)
        ],
        batch_size=1000,
    )
    # auto_now_add stamped them all alike: spread them over a month, as they would be.
    made = list(OrderEvent.objects.filter(order_id=order_id).order_by("pk"))
    for n, entry in enumerate(made):
        entry.at = start + timedelta(minutes=43 * n)
    OrderEvent.objects.bulk_update(made, ["at"], batch_size=500)


def make_superuser():
    return get_user_model().objects.create_superuser("bench", "bench@example.com", None)


def _rows(
    sim: Provider, first_id: int, last_id: int, total: int, customers: Sequence[int]
) -> Iterator[dict]:
    # Read what the rows refer to now: the generator runs inside COPY, when the connection
    # can run no other query.
    services = _services_by_provider()
    sim_services = {s.upstream_id: s for s in Service.objects.filter(provider=sim)}
    return _generate(sim, sim_services, services, first_id, last_id, total, customers)


def _generate(
    sim, sim_services, services, first_id, last_id, total, customers=()
) -> Iterator[dict]:
    rng = random.Random(7)
    now = timezone.now()
    active = last_id - first_id + 1
    history = total - active
    providers = list(services)
    for n in range(history):
        created = now - HISTORY + HISTORY * (n / total) + timedelta(seconds=rng.randint(0, 60))
        provider_id = providers[n % len(providers)]
        row = _final_row(rng, n, provider_id, rng.choice(services[provider_id]), created)
        if customers and n % CUSTOMER_SHARE == 0 and row["state"] == LocalState.PLACED:
            row["customer_id"] = customers[n // CUSTOMER_SHARE % len(customers)]
        yield row
    for upstream_id in range(first_id, last_id + 1):
        created = now - HISTORY * (active - (upstream_id - first_id)) / total
        service = sim_services[seeded_service(upstream_id)]
        yield _active_row(upstream_id, sim.pk, service, created, now)


def _services_by_provider() -> dict[int, list[tuple[int, str, Decimal]]]:
    found: dict[int, list[tuple[int, str, Decimal]]] = {}
    for row in Service.objects.values_list("provider_id", "pk", "type", "rate").order_by("pk"):
        found.setdefault(row[0], []).append(row[1:])
    return found


def _base(pk: int, link: str, quantity: int, rate: Decimal) -> dict:
    cost = (rate * quantity / 1000).quantize(Decimal("0.00001"))
    return {
        "service_id": pk,
        "link": link,
        "quantity": quantity,
        "params": {"link": link, "quantity": quantity},
        "placed_by_id": None,
        "idempotency_key": None,
        "rejection_reason": "",
        "rejection_message": "",
        "submit_attempts": 1,
        "submit_after": None,
        "submitting_since": None,
        "claimed_until": None,
        "currency": "USD",
        "upstream_extra": {},
        "missing_count": 0,
        "missing_upstream": False,
        "cost": cost,
        "price": (cost * Decimal("1.3")).quantize(Decimal("0.00001")),
        "charge": cost,
    }


def _final_row(rng: random.Random, n: int, provider_id: int, service, created) -> dict:
    pk, order_type, rate = service
    quantity = rng.choice((100, 500, 1000, 2500, 5000, 10000))
    row = _base(pk, f"https://instagram.com/p/h{n}", quantity, rate)
    status, raw = rng.choices([(s, r) for s, r, _ in FINAL_MIX], [w for *_, w in FINAL_MIX])[0]
    done = created + timedelta(hours=rng.uniform(0.5, 48))
    placed = bool(status)
    row |= {
        "provider_id": provider_id,
        "order_type": order_type,
        "state": LocalState.PLACED if placed else LocalState.REJECTED,
        "rejection_reason": "" if placed else "invalid_link",
        "rejection_message": "" if placed else "Incorrect link",
        "upstream_id": 10_000_000 + n if placed else None,  # beyond the simulator's ids
        "status": status,
        "status_raw": raw,
        "start_count": rng.randint(100, 25000) if placed else None,
        "remains": _remains(status, quantity),
        "created_at": created,
        "submitted_at": created,
        "completed_at": done if placed else None,
        "settled_at": done if placed else None,  # its settlement is in the ledger (ledger.py)
        "last_checked_at": done if placed else None,
        "next_check_at": None,
        "check_interval": 0,
    }
    return row


def _remains(status: str, quantity: int) -> int:
    return {"partial": quantity // 3, "canceled": quantity}.get(status, 0)


def _active_row(upstream_id: int, provider_id: int, service: Service, created, now) -> dict:
    link = f"https://instagram.com/p/seed{upstream_id}"
    row = _base(service.pk, link, SEED_QUANTITY, service.rate)
    row |= SEEDED_MIRROR | {
        "provider_id": provider_id,
        "order_type": service.type,
        "state": LocalState.PLACED,
        "upstream_id": upstream_id,
        "settled_at": None,
        "created_at": created,
        "submitted_at": created,
        # Due, oldest first: the round must take every one of them exactly once.
        "next_check_at": now - timedelta(seconds=upstream_id % 600 + 1),
    }
    return row


def _copy(columns: list[str], rows: Iterator[dict]) -> None:
    table = connection.ops.quote_name(Order._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    connection.ensure_connection()
    # psycopg's own cursor, for COPY
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(
                [json.dumps(v) if isinstance(v, dict) else v for v in map(row.get, columns)]
            )


def _insert(columns: list[str], rows: Iterator[dict], batch: int = 5000) -> None:
    """Plain INSERTs with each value prepared by its field (bulk_create would restamp
    created_at, an auto_now_add field, with the current time)."""
    fields = [field for field in Order._meta.concrete_fields if field.attname in columns]
    table = connection.ops.quote_name(Order._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
    chunk: list[list] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for row in rows:
            chunk.append([f.get_db_prep_save(row.get(f.attname), connection) for f in fields])
            if len(chunk) == batch:
                cursor.executemany(sql, chunk)
                chunk = []
        cursor.executemany(sql, chunk)
