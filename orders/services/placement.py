"""Placing orders exactly once.

The request saves a queued order; a task claims it (queued → submitting) with a conditional
update, so a second worker or a redelivered message finds nothing to do. An answer that may
or may not have reached the provider leaves the order unverified for staff: never retried.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from orders.models import EventKind, LocalState, Order, OrderEvent, Service
from orders.models.service import PER
from orders.services import queue
from orders.services.events import event, event_record
from orders.services.order_money import order_book
from orders.services.providers import (
    key_refused_text,
    provider_client,
    provider_note_failure,
    provider_record_call,
)
from orders.services.settlement import is_subscription
from orders.services.throttle import throttle_line_slot, throttle_take
from orders.signals import orders_closed
from orders.upstream import (
    AmbiguousSubmission,
    CallRecord,
    KeyRefused,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
    validate_order,
)

log = logging.getLogger(__name__)
SUBMIT_TASK = "orders.tasks.submit_order"
MAX_RETRY_DELAY = 15 * 60
# What a submission reads of the order, its service and its provider (the client, the pause,
# the messages); the other ~60 columns of the three rows are never looked at.
SUBMIT_FIELDS = (
    "params",
    # booked when placed
    "order_type",
    "currency",
    "cost",
    "price",
    "submit_attempts",
    # a customer's order is refunded when refused
    "customer",
    "service__upstream_id",
    "provider__name",
    "provider__api_url",
    "provider__api_key_encrypted",
    "provider__connect_timeout",
    "provider__read_timeout",
    "provider__call_deadline",
    "provider__paused_until",
    "provider__key_refused_at",
)


class LeftSubmitting(RuntimeError):
    """The order is no longer this worker's: the sweeper or staff moved it meanwhile."""


@dataclass
class OrderInvalid(Exception):
    """The order cannot be placed as given; `errors` maps field names to messages."""

    errors: dict[str, list[str]] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items())


def order_place(
    *,
    service: Service,
    params: dict,
    user=None,
    idempotency_key: str | None = None,
    customer=None,
    selling_rate: Decimal | None = None,
    bounds: tuple[int, int] | None = None,
) -> Order:
    """Validate and queue an order; it is submitted by a task once this transaction commits.

    For a customer (customers/services/ordering.py), `selling_rate` is what they pay per 1000
    and `bounds` our min and max for them, within the provider's."""
    if idempotency_key:
        existing = Order.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing
    if not service.enabled or service.removed_at is not None:
        raise OrderInvalid({"__all__": ["This service is not available for ordering."]})
    checked = validate_order(
        service.type,
        params,
        min_qty=bounds[0] if bounds else service.min_quantity,
        max_qty=bounds[1] if bounds else service.max_quantity,
        dripfeed=service.dripfeed,
    )
    if checked.errors:
        raise OrderInvalid(checked.errors)
    quantity = checked.quantity
    selling = service.selling_rate() if selling_rate is None else selling_rate
    order = Order(
        provider_id=service.provider_id,
        service=service,
        order_type=service.type,
        link=str(checked.params.get("link", ""))[:2000],
        quantity=quantity,
        params=checked.params,
        placed_by=user,
        customer=customer,
        idempotency_key=idempotency_key or None,
        currency=service.provider.currency,
        rate=service.rate,
        selling_rate=selling,
        **_estimates(service, quantity, selling),
    )
    try:
        with transaction.atomic():
            order.save()
            event_record(order, EventKind.QUEUED, "Order queued for submission.", actor=user)
    except IntegrityError:
        if idempotency_key:  # the same form arrived twice at once: one order
            return Order.objects.get(idempotency_key=idempotency_key)
        raise
    queue.send_on_commit(SUBMIT_TASK, order.pk, on_failure=lambda: _not_sent(order))
    return order


def _estimates(service: Service, quantity: int | None, selling_rate: Decimal) -> dict:
    """The cost and price booked when the order is placed. A subscription is charged per new
    post as it runs: nothing is spent until the provider reports a charge."""
    if is_subscription(service.type):
        return {"cost": Decimal(0), "price": Decimal(0)}
    if quantity:
        price = (selling_rate * quantity / PER).quantize(Decimal("0.00001"))
        return {"cost": service.cost_of(quantity), "price": price}
    return {"cost": service.rate, "price": selling_rate}  # a package


def _not_sent(order: Order) -> None:
    event_record(
        order,
        EventKind.ERROR,
        "The task queue could not be reached: the order stays queued and is sent as soon as "
        "the queue is back (the sweeper checks every minute).",
    )


def order_submit(order_id: int) -> Order | None:
    """Send a queued order upstream, once. Returns None when there was nothing to claim.

    The claim counts the attempt in the same statement: one durable commit before the call
    instead of two. A wait for a pause or for the request limit gives it back when the order
    is queued again (only calls count, so waiting never stretches the back-off).
    """
    now = timezone.now()
    claimed = (
        Order.objects.filter(pk=order_id, state=LocalState.QUEUED)
        .filter(Q(submit_after__isnull=True) | Q(submit_after__lte=now))
        .update(
            state=LocalState.SUBMITTING,
            submitting_since=now,
            submit_attempts=F("submit_attempts") + 1,
        )
    )
    if not claimed:
        return None
    order = (
        Order.objects.select_related("service", "provider").only(*SUBMIT_FIELDS).get(pk=order_id)
    )
    provider = order.provider
    if provider.key_refused:
        return _held(order, [], called=False)
    if provider.is_paused:
        return _requeue(
            order, [], provider.paused_until, f"{provider.name} is paused.", called=False
        )
    wait = throttle_take(provider.pk, for_line=True)
    if wait:
        return _wait_in_line(order, timezone.now() + timedelta(seconds=wait))
    calls: list[CallRecord] = []  # logged in the transaction that records the outcome
    client = provider_client(provider, observer=_observer(provider.pk, calls))
    try:
        upstream_id = client.add(order.service.upstream_id, **order.params)
    except KeyRefused as exc:  # the key, not the order: nothing placed, nothing to reject
        provider_note_failure(provider, exc)
        return _held(order, calls, called=True)
    except ProviderRejected as exc:
        return _finish(
            order,
            calls,
            LocalState.REJECTED,
            EventKind.REJECTED,
            f"Provider refused the order: {exc.message}",
            then=lambda: orders_closed.send(sender=Order, orders=[order]),
            rejection_reason=str(exc.reason),
            rejection_message=exc.message,
        )
    except ProviderUnavailable as exc:  # provably not sent: safe to try again later
        provider_note_failure(provider, exc)
        delay = min(30 * 2 ** (order.submit_attempts - 1), MAX_RETRY_DELAY)
        delay = max(delay, exc.retry_after or 0)
        after = now + timedelta(seconds=delay)
        return _requeue(order, calls, after, f"Provider unavailable: {exc}", called=True)
    except (AmbiguousSubmission, ProviderError) as exc:
        if not isinstance(exc, ProviderRejected):
            provider_note_failure(provider, exc)
        return _unverified(order, calls, f"The provider's answer was lost ({exc}).")
    except Exception as exc:  # the request may have left: never guess, never resend
        log.exception("order=%s submission failed unexpectedly", order.pk)
        why = f"Submission failed unexpectedly ({type(exc).__name__})."
        return _unverified(order, calls, why)
    return _placed(order, calls, upstream_id)


def _placed(order: Order, calls: list[CallRecord], upstream_id: int) -> Order:
    now = timezone.now()
    first = settings.POLL_FIRST_CHECK_SECONDS
    try:
        _settle(
            order,
            calls,
            LocalState.PLACED,
            event(
                order,
                EventKind.PLACED,
                f"Placed upstream as order {upstream_id}.",
                upstream_id=upstream_id,
            ),
            upstream_id=upstream_id,
            submitted_at=now,
            next_check_at=now + timedelta(seconds=first),
            check_interval=first,
            then=lambda: order_book(order, at=now),
        )
    except IntegrityError:
        return _unverified(
            order,
            calls,
            f"The provider answered order id {upstream_id}, already used by another order.",
        )
    except LeftSubmitting:
        return _late_answer(order, upstream_id)
    return order


def _late_answer(order: Order, upstream_id: int) -> Order:
    """The `add` answer came after the order stopped waiting for it: it was placed upstream.
    Its id goes on the timeline, where staff resolving the order find it first."""
    log.warning("order=%s placed upstream as %s after it left submitting", order.pk, upstream_id)
    order.refresh_from_db(fields=["state", "upstream_id"])
    event_record(
        order,
        EventKind.ANOMALY,
        f"The provider answered order id {upstream_id} after this order had stopped waiting "
        f"(now {order.get_state_display().lower()}): it was placed upstream.",
        upstream_id=upstream_id,
        late_answer=True,
    )
    return order


def _requeue(order: Order, calls: list[CallRecord], after, why: str, *, called: bool) -> Order:
    """Back to the queue until `after`; a wait that sent nothing gives its attempt back."""
    _settle(
        order,
        calls,
        LocalState.QUEUED,
        event(order, EventKind.RETRY, f"{why} Will try again at {after:%H:%M:%S}."),
        submit_after=after,
        submitting_since=None,
        submit_attempts=order.submit_attempts if called else order.submit_attempts - 1,
    )
    return order


def _observer(provider_id: int, calls: list[CallRecord]) -> Callable[[CallRecord], None]:
    """The call is logged before it is sent (a submission cut short stays in the log); its
    outcome is kept for the transaction that records the order's."""

    def observe(call: CallRecord) -> None:
        if call.pending:
            provider_record_call(provider_id, call)
        else:
            calls.append(call)

    return observe


def _held(order: Order, calls: list[CallRecord], *, called: bool) -> Order:
    """Back to the queue while the provider refuses the key: sent again (by the sweeper)
    once the key is changed or a connection test succeeds."""
    _settle(
        order,
        calls,
        LocalState.QUEUED,
        event(
            order,
            EventKind.RETRY,
            f"{key_refused_text(order.provider)}. The order stays queued until then.",
        ),
        submit_after=timezone.now(),
        submitting_since=None,
        submit_attempts=order.submit_attempts if called else order.submit_attempts - 1,
    )
    return order


def _wait_in_line(order: Order, free_at: datetime) -> Order:
    """Back to the queue until its own slot in the provider's line, with a task for it: the
    backlog goes out at the bucket's rate, one task per slot (the sweeper only backs it up)."""
    slot = throttle_line_slot(order.provider_id, free_at)
    _requeue(order, [], slot, "Request limit reached.", called=False)
    queue.send(SUBMIT_TASK, order.pk, eta=slot)  # the put-back is committed: it finds it
    return order


def _unverified(order: Order, calls: list[CallRecord], why: str) -> Order:
    return _finish(
        order,
        calls,
        LocalState.UNVERIFIED,
        EventKind.UNVERIFIED,
        f"{why} It may or may not exist upstream: check with the provider, then "
        "enter its order id or confirm it was not placed.",
    )


def _finish(
    order: Order,
    calls: list[CallRecord],
    state: LocalState,
    kind: EventKind,
    message: str,
    *,
    then: Callable[[], object] | None = None,
    **fields,
) -> Order:
    entry = event(order, kind, message)
    _settle(order, calls, state, entry, then=then, submitting_since=None, **fields)
    return order


def _settle(
    order: Order,
    calls: list[CallRecord],
    state: LocalState,
    entry: OrderEvent,
    *,
    then: Callable[[], object] | None = None,
    **fields,
) -> None:
    """Move a submitting order on, with its timeline entry, the log of the call that decided
    it and what `then` writes (a placed order's booking), in one transaction: one durable
    commit. The guard keeps a stale worker from overwriting; the call is logged even then."""
    with transaction.atomic():
        for call in calls:
            _log_call(order.provider_id, call)
        updated = Order.objects.filter(pk=order.pk, state=LocalState.SUBMITTING).update(
            state=state, **fields
        )
        if updated:
            entry.save()
            if then:
                then()
    if not updated:
        raise LeftSubmitting(f"order {order.pk} left the submitting state under us")
    order.state = state
    for name, value in fields.items():
        setattr(order, name, value)


def _log_call(provider_id: int, call: CallRecord) -> None:
    try:  # in a savepoint of its own: a log line that fails never undoes an outcome
        provider_record_call(provider_id, call)
    except Exception:
        log.exception("provider=%s the %s call could not be logged", provider_id, call.action)
