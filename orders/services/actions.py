"""Refill and cancel, for one order or a selection: batched upstream, an outcome per order."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from orders.models import (
    CancelRequest,
    EventKind,
    Order,
    OrderEvent,
    Refill,
    RefillStatus,
)
from orders.selectors.actions import cancel_refusal, orders_refilling, refill_refusal
from orders.services.audit import audit_record
from orders.services.events import event
from orders.services.providers import provider_client, provider_note_failure
from orders.services.throttle import ProviderThrottled, throttle_require
from orders.upstream import (
    Failure,
    ItemError,
    KeyRefused,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
    Reason,
)

BATCH = 100
# A person waits this long at most for the provider's request limit to free a call.
STAFF_WAIT_SECONDS = 5.0
NO_ANSWER = ItemError("The provider left this order out of its answer.", Reason.UNKNOWN)


@dataclass
class ActionOutcome:
    order: Order
    ok: bool
    message: str
    refill: Refill | None = None  # the refill recorded, granted or refused upstream


def orders_refill(*, orders: Iterable[Order], user, actor_label: str = "") -> list[ActionOutcome]:
    """`actor_label` names who acted when it is not a user (a customer through our API)."""

    def record(order: Order, answer: int | ItemError) -> ActionOutcome:
        now = timezone.now()
        if isinstance(answer, ItemError):
            refused = Refill.objects.create(
                order=order,
                status=RefillStatus.FAILED,
                requested_by=user,
                error_reason=str(answer.reason),
                error_message=answer.message,
            )
            return ActionOutcome(order, False, f"Refused: {answer.message}", refused)
        refill = Refill.objects.create(
            order=order,
            upstream_id=answer,
            status=RefillStatus.PENDING,
            requested_by=user,
            next_check_at=now + timedelta(seconds=settings.POLL_FIRST_CHECK_SECONDS),
        )
        return ActionOutcome(order, True, f"Refill {answer} requested.", refill)

    orders = list(orders)
    refilling = orders_refilling([o.pk for o in orders])

    def refusal(order: Order) -> str:
        return refill_refusal(order, refilling=order.pk in refilling)

    outcomes = _batched(orders, refusal, "refills", record, EventKind.REFILL, user)
    _audit(user, "refill requested", outcomes, actor_label)
    return outcomes


def orders_cancel(*, orders: Iterable[Order], user, actor_label: str = "") -> list[ActionOutcome]:
    def record(order: Order, answer: bool | ItemError) -> ActionOutcome:
        if isinstance(answer, ItemError):
            CancelRequest.objects.create(
                order=order,
                requested_by=user,
                error_reason=str(answer.reason),
                error_message=answer.message,
            )
            return ActionOutcome(order, False, f"Refused: {answer.message}")
        CancelRequest.objects.create(order=order, accepted=True, requested_by=user)
        # Ask for the status soon: the provider will say Canceled (or Partial).
        Order.objects.filter(pk=order.pk).update(next_check_at=timezone.now())
        return ActionOutcome(order, True, "Cancel accepted.")

    outcomes = _batched(orders, cancel_refusal, "cancel", record, EventKind.CANCEL, user)
    _audit(user, "cancel requested", outcomes, actor_label)
    return outcomes


def failed_call_text(error: ProviderError) -> str:
    """What a failed refill or cancel call means for each of its orders; "Not sent" only for
    a request that provably never left."""
    if not error.sent:
        return f"Not sent: {error}"
    if isinstance(error, KeyRefused):  # our account, not the order: worth a later try
        return f"Not done, the provider refused our API key: {error.message}"
    if isinstance(error, ProviderRejected):
        return f"Refused: {error.message}"
    if isinstance(error, ProviderUnavailable) and error.reason == Failure.RATE_LIMITED:
        return f"Not done, the provider asked to slow down: {error}"
    return (
        f"Sent, but no usable answer came back ({error}): the provider may or may not have "
        "acted on it. Check the order before asking again."
    )


def _audit(user, action: str, outcomes: list[ActionOutcome], actor_label: str = "") -> None:
    """Every order a person acted on, refused or not; a selection says how many it held."""
    by = {"by": actor_label} if actor_label else {}
    for outcome in outcomes:
        audit_record(
            actor=user,
            action=action,
            target=f"order #{outcome.order.pk}",
            result=outcome.message,
            ok="yes" if outcome.ok else "no",
            selection=len(outcomes),
            **by,
        )


def _batched(
    orders: Iterable[Order],
    refusal: Callable[[Order], str],
    method: str,
    record: Callable,
    kind: EventKind,
    user,
) -> list[ActionOutcome]:
    outcomes: list[ActionOutcome] = []
    by_provider: dict[int, list[Order]] = defaultdict(list)
    for order in orders:
        why = refusal(order)
        if why:
            outcomes.append(ActionOutcome(order, False, why))
        else:
            by_provider[order.provider_id].append(order)
    for group in by_provider.values():
        provider = group[0].provider
        client = provider_client(provider)
        for start in range(0, len(group), BATCH):
            chunk = group[start : start + BATCH]
            try:
                throttle_require(provider, wait_up_to=STAFF_WAIT_SECONDS)
            except ProviderThrottled as exc:
                outcomes += [ActionOutcome(o, False, f"Not sent: {exc}") for o in chunk]
                continue
            try:
                answers = getattr(client, method)([o.upstream_id for o in chunk])
            except ProviderError as exc:
                provider_note_failure(provider, exc)
                outcomes += [ActionOutcome(o, False, failed_call_text(exc)) for o in chunk]
                continue
            with transaction.atomic():
                done = [record(o, answers.get(o.upstream_id, NO_ANSWER)) for o in chunk]
                OrderEvent.objects.bulk_create(
                    [event(d.order, kind, d.message, actor=user, ok=d.ok) for d in done]
                )
            outcomes += done
    return outcomes
