"""Subscriptions: a watched profile posts now and then, and each post gets its own child order.

Posts come every `post_interval_minutes` of simulated time (plus `old_posts` at once), up to
`posts` if given and until `expiry`. Each child order starts `delay` minutes after its post,
takes a quantity between the subscription's min and max, and is charged when it is created,
like a real panel does. Children are created lazily, when the subscription is looked at.
"""

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from simulator import lifecycle
from simulator.config import Behaviour
from simulator.dialects import FIVE_PLACES
from simulator.ledger import ledger_append
from simulator.models import OrderKind, SimAccount, SimMove, SimOrder, Status

FOREVER = 10 * 365 * 86400.0
STOPPED = frozenset({Status.CANCELED, Status.COMPLETED, Status.EXPIRED})


@dataclass(frozen=True)
class SubscriptionState:
    status: str
    posts: int
    orders: list[int]
    charge: Decimal  # summed over the children


def _post_times(sub: SimOrder, behaviour: Behaviour, now: float) -> list[float]:
    """When each post the subscription has seen by `now` appeared."""
    params = sub.params
    times = [sub.created_at] * int(params.get("old_posts") or 0)
    limit = params.get("posts")
    interval = behaviour.post_interval_minutes * 60
    last = min(now, sub.ends_at)
    new = 0
    while limit is None or new < limit:
        moment = sub.created_at + (new + 1) * interval
        if moment > last:
            break
        times.append(moment)
        new += 1
    return times


def _finished_posting(sub: SimOrder, behaviour: Behaviour, now: float, seen: int) -> str | None:
    limit = sub.params.get("posts")
    if limit is not None and seen >= limit + int(sub.params.get("old_posts") or 0):
        return Status.COMPLETED
    if now >= sub.ends_at:
        return Status.EXPIRED
    return None


def _place_child(sub: SimOrder, index: int, posted_at: float, behaviour: Behaviour) -> int | None:
    """Charge and create the child order for post `index`; None when funds are short."""
    rng = random.Random(f"{behaviour.outcome_seed}:post:{sub.pk}:{index}")
    quantity = rng.randint(int(sub.params["min"]), int(sub.params["max"]))
    price = (sub.service.rate * quantity / 1000).quantize(FIVE_PLACES, rounding=ROUND_HALF_UP)
    try:
        return _charge_and_create(sub, index, posted_at, quantity, price, behaviour)
    except IntegrityError:  # another process placed it a moment ago
        return SimOrder.objects.get(parent=sub, post_index=index).pk


def _charge_and_create(
    sub: SimOrder, index: int, posted_at: float, quantity: int, price: Decimal, behaviour: Behaviour
) -> int | None:
    params, service = sub.params, sub.service
    with transaction.atomic():
        paid = SimAccount.objects.filter(pk=sub.account_id, balance__gte=price).update(
            balance=F("balance") - price
        )
        if not paid:
            return None
        child = SimOrder.objects.create(
            account_id=sub.account_id,
            service=service,
            kind=OrderKind.CHILD,
            parent=sub,
            post_index=index,
            link=f"{params['username'].rstrip('/')}/post/{index + 1}",
            quantity=quantity,
            price=price,
            charge=price,
            created_at=posted_at + int(params.get("delay") or 0) * 60,
            starts_at=0,
            ends_at=0,
        )
        lifecycle.plan(child, behaviour, service.units_per_hour)
        child.save()
        ledger_append(sub.account_id, SimMove.CHARGE, -price, order_id=child.pk)
    return child.pk


def _advance(sub: SimOrder, children: list[int], behaviour: Behaviour, now: float) -> str:
    """Create the children of posts seen since last time; return the subscription's status."""
    if sub.status in STOPPED:
        return sub.status
    times = _post_times(sub, behaviour, now)
    for index in range(len(children), len(times)):
        child = _place_child(sub, index, times[index], behaviour)
        if child is None:
            return Status.PAUSED
        children.append(child)
    return _finished_posting(sub, behaviour, now, len(times)) or Status.ACTIVE


def observe(
    subs: Iterable[SimOrder], behaviour: Behaviour, now: float
) -> dict[int, SubscriptionState]:
    """States of subscriptions at `now`, creating due children and writing status changes."""
    subs = list(subs)
    children: dict[int, list[int]] = defaultdict(list)
    found = SimOrder.objects.filter(parent__in=subs).order_by("post_index")
    for parent, pk in found.values_list("parent_id", "pk"):
        children[int(parent or 0)].append(pk)
    states = {}
    for sub in subs:
        kids = children[sub.pk]
        status = _advance(sub, kids, behaviour, now)
        if status != sub.status:
            SimOrder.objects.filter(pk=sub.pk).exclude(status__in=STOPPED).update(status=status)
            sub.status = status
        states[sub.pk] = (status, kids)
    totals = dict(
        SimOrder.objects.filter(parent__in=subs)
        .values("parent")
        .annotate(spent=Sum("charge"))
        .values_list("parent", "spent")
    )
    return {
        pk: SubscriptionState(status, len(kids), kids, totals.get(pk) or Decimal("0"))
        for pk, (status, kids) in states.items()
    }
