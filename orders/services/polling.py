"""Status polling: due orders, 100 ids a call, claimed so no order is asked twice a round.

Claiming pushes an order's next check forward by a lease (select_for_update with
skip_locked where the database has it); the answer then sets the real next check. A worker
that dies mid-round leaves its orders to come due again when the lease runs out.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from orders.models import Order, OrderEvent, Provider
from orders.services.events import event
from orders.services.providers import (
    atomic_async_commit,
    provider_client,
    provider_note_failure,
)
from orders.services.status_mapping import TRACKED, status_outcome
from orders.services.throttle import throttle_take
from orders.upstream import ItemError, OrderStatus, ProviderError

log = logging.getLogger(__name__)
BATCH = 100
LEASE = timedelta(minutes=5)
RETRY_AFTER_FAILURE = timedelta(seconds=60)
MAX_THROTTLE_WAIT = 5.0
WRITTEN = (
    *TRACKED,
    "missing_count",
    "missing_upstream",
    "completed_at",
    "last_checked_at",
    "next_check_at",
    "check_interval",
)


@dataclass
class PollResult:
    calls: int = 0
    orders: int = 0
    changed: int = 0
    failed_calls: int = 0
    stopped: str = ""

    def __str__(self) -> str:
        text = f"{self.orders} orders checked in {self.calls} calls, {self.changed} changed"
        if self.failed_calls:
            text += f", {self.failed_calls} calls failed"
        return text + (f"; stopped: {self.stopped}" if self.stopped else "")


def orders_poll(*, provider: Provider, max_calls: int | None = None, on_batch=None) -> PollResult:
    """One round over the provider's due orders; each is asked for at most once."""
    result = PollResult()
    round_start = timezone.now()
    client = provider_client(provider)
    while max_calls is None or result.calls < max_calls:
        provider.refresh_from_db(fields=["paused_until"])
        if provider.is_paused:
            result.stopped = "provider paused"
            break
        batch = claim_due(provider, round_start)
        if not batch:
            break
        wait = throttle_take(provider.pk)
        while 0 < wait <= MAX_THROTTLE_WAIT:
            time.sleep(wait)
            wait = throttle_take(provider.pk)
        if wait:
            release(batch, timezone.now())
            result.stopped = "request limit reached"
            break
        result.calls += 1
        try:
            answers = client.statuses([o.upstream_id for o in batch if o.upstream_id])
        except ProviderError as exc:
            result.failed_calls += 1
            provider_note_failure(provider, exc)
            release(batch, timezone.now() + RETRY_AFTER_FAILURE)
            continue
        result.orders += len(batch)
        result.changed += apply_statuses(batch, answers)
        if on_batch:
            on_batch(len(batch))
    Provider.objects.filter(pk=provider.pk).update(orders_polled_at=timezone.now())
    return result


def claim_due(provider: Provider, due_by: datetime) -> list[Order]:
    # A lease lost in a crash only makes the orders due again: no need to wait for the disk.
    with atomic_async_commit():
        due = Order.objects.filter(provider=provider, next_check_at__lte=due_by).order_by(
            "next_check_at"
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:BATCH])
        if ids:
            Order.objects.filter(pk__in=ids).update(next_check_at=timezone.now() + LEASE)
    return list(Order.objects.filter(pk__in=ids)) if ids else []


def release(batch: list[Order], at: datetime) -> None:
    Order.objects.filter(pk__in=[o.pk for o in batch]).update(next_check_at=at)


def apply_statuses(batch: list[Order], answers: dict) -> int:
    """Write what the answers changed, in bulk; returns how many orders changed."""
    now = timezone.now()
    first, ceiling = settings.POLL_FIRST_CHECK_SECONDS, settings.POLL_MAX_INTERVAL_SECONDS
    changed: list[Order] = []
    moved = 0
    unchanged: dict[tuple, list[int]] = defaultdict(list)
    events: list[OrderEvent] = []
    for order in batch:
        answer = answers.get(order.upstream_id)
        outcome = status_outcome(order, answer, now, first=first, ceiling=ceiling)
        events += [event(order, kind, msg, **data) for kind, msg, data in outcome.events]
        moved += outcome.changed
        if outcome.changed or set(outcome.fields) - {
            "last_checked_at",
            "next_check_at",
            "check_interval",
        }:
            for name, value in outcome.fields.items():
                setattr(order, name, value)
            changed.append(order)
        else:  # the common case: only the next check moves, grouped into a few UPDATEs
            key = (outcome.fields["next_check_at"], outcome.fields.get("check_interval"))
            unchanged[key].append(order.pk)
    # Lost in a crash, these answers are asked for again (their events come back with them).
    with atomic_async_commit():
        if changed:
            update_rows(changed, WRITTEN)
        for (next_check_at, interval), ids in unchanged.items():
            extra = {"check_interval": interval} if interval is not None else {}
            Order.objects.filter(pk__in=ids).update(
                next_check_at=next_check_at, last_checked_at=now, **extra
            )
        OrderEvent.objects.bulk_create(events)
    return moved


def update_rows(rows: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Write `fields` of each row: one parametrised UPDATE per row, sent as one batch.

    Django's bulk_update builds a CASE WHEN per field and row; compiling that took 0.25 s
    per 100 orders (more than the status call itself). executemany reuses one statement
    (psycopg pipelines it; SQLite runs it in process), each value prepared by its field.
    The catalogue sync writes changed services the same way.
    """
    if not rows:
        return
    meta = rows[0]._meta
    columns = [field for field in meta.concrete_fields if field.name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in columns]
        + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def apply_status(order: Order, answer: OrderStatus | ItemError) -> Order:
    apply_statuses([order], {order.upstream_id: answer})
    order.refresh_from_db()
    return order
