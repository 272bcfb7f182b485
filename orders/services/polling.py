"""Status polling: due orders, 100 ids a call, claimed so no order is asked twice a round.

Claiming sets a lease on a due order (select_for_update with skip_locked where the database
has it); the answer ends it and sets the next check. A round cut short (a time limit, an
error) puts back the orders it claimed and has no answer for; a worker that dies mid-round
leaves its orders to come due again when the lease runs out.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import ngettext

from orders.models import Order, OrderEvent, Provider
from orders.services.bulk import insert_rows, update_rows
from orders.services.order_money import money_change, order_terms, orders_money
from orders.services.providers import (
    api_call_begin,
    async_commits,
    atomic_async_commit,
    provider_client,
    provider_note_failure,
    provider_record_call,
)
from orders.services.status_mapping import TRACKED, status_outcome
from orders.services.throttle import throttle_take
from orders.upstream import CallRecord, ItemError, OrderStatus, ProviderClient, ProviderError

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
    "claimed_until",
)


@dataclass
class PollResult:
    calls: int = 0
    orders: int = 0
    changed: int = 0
    failed_calls: int = 0
    stopped: str = ""

    def __str__(self) -> str:
        orders, calls, failed = self.orders, self.calls, self.failed_calls
        text = ngettext("%(n)d order checked", "%(n)d orders checked", orders) % {"n": orders}
        text += ngettext(" in %(n)d call", " in %(n)d calls", calls) % {"n": calls}
        text += f", {self.changed} changed"
        if failed:
            text += ngettext(", %(n)d call failed", ", %(n)d calls failed", failed) % {"n": failed}
        return text + (f"; stopped: {self.stopped}" if self.stopped else "")


def orders_poll(*, provider: Provider, max_calls: int | None = None, on_batch=None) -> PollResult:
    """One round over the provider's due orders; each is asked for at most once.

    The status call for one batch is in flight while the answers to the one before are
    written and the next is claimed, so the round waits on the provider and the database at
    once instead of in turn. A batch is sent only once the call before it has answered: a
    failure or a request to slow down is seen before anything more is sent.
    Everything a round writes may be lost in a crash and asked for again: no commit in it
    waits for the disk.
    """
    with async_commits():
        return _poll(provider, max_calls, on_batch)


def _poll(provider: Provider, max_calls: int | None, on_batch) -> PollResult:
    result = PollResult()
    round_start = timezone.now()
    calls: list[CallRecord] = []  # filled by the client, wherever it runs; logged here
    client = provider_client(provider, observer=calls.append)
    held: dict[int, Order] = {}  # claimed and not yet answered nor put back

    def claim_next() -> list[Order]:
        if max_calls is not None and result.calls >= max_calls:
            return []
        batch = claim_due(provider, round_start)
        held.update((order.pk, order) for order in batch)
        if batch and not _take_call(provider):
            put_back(batch, timezone.now())
            result.stopped = "request limit reached"
            return []
        return batch

    def put_back(batch: list[Order], at: datetime) -> None:
        release(batch, at)
        settled(batch)

    def settled(batch: list[Order]) -> None:
        for order in batch:
            held.pop(order.pk, None)

    with _fetcher(client) as fetch, _put_back_if_cut(held):
        claimed = claim_next() if _usable(provider, result) else []
        in_flight: tuple[list[Order], Future, int] | None = None
        while claimed or in_flight:
            answered = _settle(provider, in_flight, calls, result) if in_flight else None
            if in_flight and answered is None:
                settled(in_flight[0])  # put back by _settle, to be asked for later
            in_flight = None
            if claimed and _usable(provider, result):
                ids = [o.upstream_id for o in claimed if o.upstream_id]
                # Logged before it is sent, here: the call itself runs on another thread.
                row = api_call_begin(provider.pk, "status", len(ids)) if ids else 0
                in_flight = (claimed, fetch.submit(client.statuses, ids), row)
                result.calls += 1
            elif claimed:
                put_back(claimed, timezone.now())
            claimed = []
            if answered is not None:
                batch, answers = answered
                result.orders += len(batch)
                result.changed += apply_statuses(batch, answers)
                settled(batch)
                if on_batch:
                    on_batch(len(batch))
            if in_flight:
                claimed = claim_next()
    Provider.objects.filter(pk=provider.pk).update(orders_polled_at=timezone.now())
    return result


def _usable(provider: Provider, result: PollResult) -> bool:
    provider.refresh_from_db(fields=["paused_until", "key_refused_at"])
    if provider.key_refused:
        result.stopped = "API key refused"
    elif provider.is_paused:
        result.stopped = "provider paused"
    return not (provider.key_refused or provider.is_paused)


def _take_call(provider: Provider) -> bool:
    """A call from the provider's request limit, waiting a few seconds at most for one."""
    wait = throttle_take(provider.pk)
    while 0 < wait <= MAX_THROTTLE_WAIT:
        time.sleep(wait)
        wait = throttle_take(provider.pk)
    return not wait


def _settle(
    provider: Provider, in_flight: tuple[list[Order], Future, int], calls: list, result: PollResult
) -> tuple[list[Order], dict] | None:
    """Wait for a batch's answer and log its call; a failed call puts the batch back."""
    batch, future, row = in_flight
    try:
        answers = future.result()
    except ProviderError as exc:
        answers = None
        failure = exc
    while calls:
        call = calls.pop(0)
        if not call.pending:  # its row was opened before the call was sent
            provider_record_call(provider.pk, call, row=row)
            row = 0
    if answers is None:
        result.failed_calls += 1
        provider_note_failure(provider, failure)
        release(batch, timezone.now() + RETRY_AFTER_FAILURE)
        return None
    return batch, answers


@contextmanager
def _put_back_if_cut(held: dict[int, Order]) -> Iterator[None]:
    """A round cut short (a time limit, an error) puts back the orders it claimed and has no
    answer for: the next round asks for them, instead of waiting out their lease."""
    try:
        yield
    except BaseException:
        try:
            release(list(held.values()), timezone.now())
        except Exception:  # must not hide why the round was cut
            log.exception("%d claimed orders not put back; their lease runs out", len(held))
        raise


class _Inline:
    """Runs a call at once, on this thread (the executor for an in-process provider)."""

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:
            future.set_exception(exc)
        return future


@contextmanager
def _fetcher(client: ProviderClient) -> Iterator[ThreadPoolExecutor | _Inline]:
    """Where status calls run: a thread of their own, beside this one's database work.

    A transport that serves the provider in process (the simulator's adapter) answers from
    this thread's own database transaction, so it is called on this thread. A round cut
    short does not wait for the call in flight: the deadline ends it, and nothing after it.
    """
    if getattr(client.session.get_adapter(client.api_url), "in_process", False):
        yield _Inline()
        return
    pool = ThreadPoolExecutor(1, thread_name_prefix="status-calls")
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    else:
        pool.shutdown()
    finally:
        client.session.close()  # the round's own connections: none left open behind it


EVENT_FIELDS = ("order_id", "at", "kind", "message", "data")
# What status_outcome reads and update_rows writes, and what settling an order reads of it
# (its parameters, read only for orders turning final, aside): all a claimed order carries.
MONEY = (
    "provider",
    "customer",
    "service",
    "order_type",
    "quantity",
    "cost",
    "price",
    "rate",
    "selling_rate",
    "settled_at",
)
CLAIMED = ("id", "upstream_id", *WRITTEN, *MONEY)


def claim_due(provider: Provider, due_by: datetime) -> list[Order]:
    """Take up to BATCH due orders, oldest due first, in one statement.

    The UPDATE leases them and returns what the round needs; rows another worker holds are
    skipped where the database can (SKIP LOCKED). The lease is a column of its own, outside
    the due index: pushing next_check_at forward instead would rewrite every index entry of
    each order twice a round.
    """
    ops = connection.ops
    table = ops.quote_name(Order._meta.db_table)
    pk, due, provider_col, held = (
        _column(f) for f in ("id", "next_check_at", "provider", "claimed_until")
    )
    columns = ", ".join(_column(f) for f in CLAIMED)
    skip = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    sql = (
        f"UPDATE {table} SET {held} = %s WHERE {pk} IN (SELECT {pk} FROM {table}"
        f" WHERE {provider_col} = %s AND {due} <= %s AND ({held} IS NULL OR {held} <= %s)"
        f" ORDER BY {due} LIMIT {BATCH}{skip}) RETURNING {columns}"
    )
    now = timezone.now()
    lease, due_at, now_at = (ops.adapt_datetimefield_value(t) for t in (now + LEASE, due_by, now))
    params = [lease, provider.pk, due_at, now_at]
    # A lease lost in a crash only makes the orders due again: no need to wait for the disk.
    with atomic_async_commit():
        return list(Order.objects.raw(sql, params))


def _column(name: str) -> str:
    field = Order._meta.get_field(name)
    assert isinstance(field, models.Field)
    return connection.ops.quote_name(field.column)


def release(batch: list[Order], at: datetime) -> None:
    Order.objects.filter(pk__in=[o.pk for o in batch]).update(next_check_at=at, claimed_until=None)


def apply_statuses(batch: list[Order], answers: dict) -> int:
    """Write what the answers changed, in bulk; returns how many orders changed."""
    now = timezone.now()
    first, ceiling = settings.POLL_FIRST_CHECK_SECONDS, settings.POLL_MAX_INTERVAL_SECONDS
    changed: list[Order] = []
    moved = 0
    unchanged: dict[tuple, list[int]] = defaultdict(list)
    events: list[tuple] = []
    # Orders whose money moves with this answer, with the terms they were placed on.
    money: dict[str, list] = {"settle": [], "follow": []}
    for order in batch:
        answer = answers.get(order.upstream_id)
        outcome = status_outcome(order, answer, now, first=first, ceiling=ceiling)
        events += [(order.pk, now, kind, msg, data) for kind, msg, data in outcome.events]
        moved += outcome.changed
        order.claimed_until = None
        if outcome.changed or set(outcome.fields) - {
            "last_checked_at",
            "next_check_at",
            "check_interval",
        }:
            if change := money_change(order, outcome.fields):
                money[change].append((order, order_terms(order)))
            for name, value in outcome.fields.items():
                setattr(order, name, value)
            changed.append(order)
        else:  # the common case: only the next check moves, grouped into a few UPDATEs
            key = (outcome.fields["next_check_at"], outcome.fields.get("check_interval"))
            unchanged[key].append(order.pk)
    # Lost in a crash, these answers are asked for again (their events come back with them).
    with atomic_async_commit():
        # Nothing read nor written here unless an order turns final or a subscription's
        # charge moves; then a few statements for the whole batch.
        lost = orders_money(money["settle"], money["follow"], now)
        if lost:  # settled by another writer meanwhile: its answer stands
            changed = [order for order in changed if order.pk not in lost]
            events = [row for row in events if row[0] not in lost]
        if changed:
            update_rows(changed, WRITTEN)
        for (next_check_at, interval), ids in unchanged.items():
            extra = {"check_interval": interval} if interval is not None else {}
            Order.objects.filter(pk__in=ids).update(
                next_check_at=next_check_at, last_checked_at=now, claimed_until=None, **extra
            )
        insert_rows(OrderEvent, EVENT_FIELDS, events)
    return moved


def apply_status(order: Order, answer: OrderStatus | ItemError) -> Order:
    apply_statuses([order], {order.upstream_id: answer})
    order.refresh_from_db()
    return order
