"""Refills: when one may be asked for, and how it plays out (Pending, In progress, then
Completed or Rejected), computed from its plan and the clock like orders are."""

import random
from collections import defaultdict
from collections.abc import Iterable

from simulator import errors
from simulator.config import Behaviour
from simulator.errors import SimError
from simulator.lifecycle import Live
from simulator.models import OrderKind, SimOrder, SimRefill, Status

REFILL_FINAL = frozenset({"Completed", "Rejected"})
REFILLABLE = frozenset({Status.COMPLETED, Status.PARTIAL})


def check_refillable(
    order: SimOrder, state: Live, refills: list[SimRefill], behaviour: Behaviour, now: float
) -> None:
    """Raise the panel's error if `order` cannot be refilled now (`refills`: its earlier ones)."""
    if not order.service.refill:
        raise SimError(errors.REFILL_DISABLED)
    if order.kind == OrderKind.SUBSCRIPTION or state.status == Status.CANCELED:
        raise SimError(errors.NOT_REFILLABLE)
    if state.status not in REFILLABLE:
        raise SimError(errors.REFILL_NOT_COMPLETED)
    if now > order.ends_at + order.service.refill_days * 86400:
        raise SimError(errors.NOT_REFILLABLE)
    if any(live_status(refill, now) not in REFILL_FINAL for refill in refills):
        raise SimError(errors.REFILL_RUNNING)
    cooldown = behaviour.refill_cooldown_hours * 3600
    if any(now - refill.created_at < cooldown for refill in refills):
        raise SimError(errors.REFILL_COOLDOWN)


def create(order: SimOrder, behaviour: Behaviour, now: float) -> SimRefill:
    refill = SimRefill.objects.create(
        account_id=order.account_id, order=order, created_at=now, starts_at=now, ends_at=now
    )
    rng = random.Random(f"{behaviour.outcome_seed}:refill:{refill.pk}")
    refill.starts_at = now + rng.uniform(60, 600)
    refill.ends_at = refill.starts_at + rng.uniform(600, 3600)
    refill.outcome = "Rejected" if rng.random() < behaviour.refill_reject_share else "Completed"
    refill.save(update_fields=["starts_at", "ends_at", "outcome"])
    return refill


def live_status(refill: SimRefill, now: float) -> str:
    if refill.status in REFILL_FINAL:
        return refill.status
    if now < refill.starts_at:
        return "Pending"
    if now < refill.ends_at:
        return "In progress"
    return refill.outcome


def observe(refills: Iterable[SimRefill], now: float) -> dict[int, str]:
    """Statuses at `now`, writing the changes since last seen (one UPDATE per kind of change)."""
    states: dict[int, str] = {}
    moves: dict[tuple[str, str], list[int]] = defaultdict(list)
    for refill in refills:
        status = live_status(refill, now)
        states[refill.pk] = status
        if status != refill.status:
            moves[(refill.status, status)].append(refill.pk)
    for (old, new), pks in moves.items():
        SimRefill.objects.filter(pk__in=pks, status=old).update(status=new)
    return states
