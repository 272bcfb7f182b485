"""How an order progresses with (simulated) time.

When an order is placed it gets a plan: when delivery starts, how long a run takes, how it
ends (Completed, Partial, Canceled, or Completed with over-delivery) and how much it delivers.
Its state at any moment is computed from the plan and the clock, so nothing runs in the
background; a transition is written (and a refund paid) the first time someone looks after
it happened. Every write is conditional on the row still being as read, so two processes
observing the same order at once never refund it twice.
"""

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F

from simulator.config import Behaviour
from simulator.dialects import FIVE_PLACES
from simulator.ledger import ledger_append
from simulator.models import FINAL, OrderKind, SimAccount, SimMove, SimOrder, Status


@dataclass(frozen=True)
class Live:
    status: str
    remains: int
    start_count: int
    runs_done: int = 0


def plan(order: SimOrder, behaviour: Behaviour, units_per_hour: int) -> None:
    """Fix the order's timing and outcome, drawn from its id so the same id plays out alike."""
    rng = random.Random(f"{behaviour.outcome_seed}:order:{order.pk}")
    order.starts_at = order.created_at + rng.uniform(
        behaviour.start_delay_min, behaviour.start_delay_max
    )
    order.run_seconds = max(60.0, order.quantity * 3600 / max(units_per_hour, 1))
    order.start_count = rng.randint(100, 25000)
    span = _span(order)
    draw = rng.random()
    can_fall_short = order.total >= 2  # a package is delivered or not: never Partial
    partial_edge = behaviour.cancel_share + behaviour.partial_share
    over_edge = partial_edge + behaviour.overdelivery_share
    if draw < behaviour.cancel_share:
        _end(order, Status.CANCELED, at=order.starts_at, delivered=0)
    elif draw < partial_edge and can_fall_short:
        stop = order.starts_at + rng.uniform(0.3, 0.95) * span
        _end_partly(order, stop)
    elif draw < over_edge and can_fall_short:
        extra = rng.randint(1, max(1, order.total // 20))
        _end(order, Status.COMPLETED, at=order.starts_at + span, delivered=order.total + extra)
    else:
        _end(order, Status.COMPLETED, at=order.starts_at + span, delivered=order.total)


def plan_cancel(order: SimOrder, now: float, delay: float) -> None:
    """A cancel request takes effect after `delay`: Canceled if nothing came, else Partial."""
    stop = now + delay
    if now < order.starts_at:
        order.starts_at = max(order.starts_at, stop)  # it never starts
    _end_partly(order, stop)
    order.cancel_requested = True


def _end_partly(order: SimOrder, stop: float) -> None:
    delivered = delivered_at(order, stop)
    if delivered <= 0:
        _end(order, Status.CANCELED, at=stop, delivered=0)
    elif delivered >= order.total:
        _end(order, Status.COMPLETED, at=order.starts_at + _span(order), delivered=order.total)
    else:
        _end(order, Status.PARTIAL, at=stop, delivered=delivered)


def _end(order: SimOrder, outcome: str, *, at: float, delivered: int) -> None:
    order.outcome, order.ends_at, order.final_delivered = outcome, at, delivered


def _span(order: SimOrder) -> float:
    """Simulated seconds from the first run's start to the last run's end."""
    return (order.runs - 1) * order.interval_minutes * 60 + order.run_seconds


def _run_start(order: SimOrder, run: int) -> float:
    return order.starts_at + run * order.interval_minutes * 60


def delivered_at(order: SimOrder, moment: float) -> int:
    """Units the plan has delivered by `moment` (before any Partial stop)."""
    done = 0
    for run in range(order.runs):
        elapsed = moment - _run_start(order, run)
        if elapsed <= 0:
            break
        done += int(min(1.0, elapsed / order.run_seconds) * order.quantity)
    return done


def _runs_done(order: SimOrder, moment: float) -> int:
    return sum(
        1 for run in range(order.runs) if _run_start(order, run) + order.run_seconds <= moment
    )


def live(order: SimOrder, now: float) -> Live:
    """The order as the provider would report it at simulated time `now`."""
    if order.status in FINAL:
        shown = _start_count(order, order.status)
        return Live(order.status, order.remains, shown, _runs_done(order, order.ends_at))
    if now < order.starts_at and now < order.ends_at:
        return Live(Status.PENDING, order.total, 0)
    if now < order.ends_at:
        remains = order.total - min(delivered_at(order, now), order.final_delivered)
        return Live(Status.IN_PROGRESS, remains, order.start_count, _runs_done(order, now))
    remains = order.total - order.final_delivered
    shown = _start_count(order, order.outcome)
    return Live(order.outcome, remains, shown, _runs_done(order, order.ends_at))


def _start_count(order: SimOrder, status: str) -> int:
    """An order cancelled before it started never counted anything."""
    return 0 if status == Status.CANCELED else order.start_count


def refund_for(order: SimOrder, outcome: str, remains: int) -> Decimal:
    """Canceled gives everything back; Partial the undelivered share; Completed nothing."""
    if outcome == Status.CANCELED:
        return order.price
    if outcome == Status.PARTIAL and order.total:
        share = order.price * max(remains, 0) / order.total
        return share.quantize(FIVE_PLACES, rounding=ROUND_HALF_UP)
    return Decimal("0")


def observe(orders: Iterable[SimOrder], now: float) -> dict[int, Live]:
    """Live states of plain orders, writing the transitions that happened since last seen.

    Changes that move no money are written in one UPDATE per kind of change; an ending with
    a refund is written order by order, each guarded so it is paid once.
    """
    states: dict[int, Live] = {}
    moves: dict[tuple[str, str, int | None], list[int]] = defaultdict(list)
    for order in orders:
        state = states[order.pk] = live(order, now)
        if state.status == order.status:
            continue
        if state.status in FINAL and refund_for(order, state.status, state.remains):
            finish(order, state)
            continue
        remains = state.remains if state.status in FINAL else None
        moves[(order.status, state.status, remains)].append(order.pk)
        order.status, order.remains = state.status, state.remains
    for (old, new, remains), pks in moves.items():
        changes: dict[str, object] = {"status": new}
        if remains is not None:
            changes["remains"] = remains
        SimOrder.objects.filter(pk__in=pks, status=old).update(**changes)
    return states


def finish(order: SimOrder, state: Live) -> bool:
    """Write a final state and pay its refund, once: False if another process got there first."""
    refund = refund_for(order, state.status, state.remains)
    with transaction.atomic():
        won = (
            SimOrder.objects.filter(pk=order.pk, ends_at=order.ends_at)
            .exclude(status__in=FINAL)
            .update(status=state.status, remains=state.remains, charge=order.price - refund)
        )
        if won and refund:
            SimAccount.objects.filter(pk=order.account_id).update(balance=F("balance") + refund)
            ledger_append(order.account_id, SimMove.REFUND, refund, order_id=order.pk)
    if won:
        order.status, order.remains, order.charge = (
            state.status,
            state.remains,
            order.price - refund,
        )
    return bool(won)


def settle_account(account: SimAccount, now: float) -> None:
    """Pay every refund that is due, so the balance is right even before anyone asks a status."""
    due = SimOrder.objects.filter(account=account, ends_at__lte=now).exclude(status__in=FINAL)
    observe(due.exclude(kind=OrderKind.SUBSCRIPTION), now)
