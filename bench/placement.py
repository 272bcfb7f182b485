"""Placement: orders placed through order_place + order_submit, the real path, with the
simulator process taking the `add` calls. Overhead is the wall time not spent in `add`.

A mass order at the provider's limit runs on a simulated clock: each task runs when it is
due (at once, or at the slot the request limit gave it), the bucket and the line are the
real ones; the time to place N orders at R calls a minute is compared with N / R.
"""

import heapq
import itertools
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.utils import timezone

from orders.models import ApiCall, LocalState, Order, Provider, Service
from orders.services import queue
from orders.services.placement import order_place, order_submit

SERVICE = 3  # the simulator's "Instagram Likes" (Default type)


@contextmanager
def tasks_kept_here() -> Iterator[list]:
    """Keep the submit tasks out of the configured broker: a real worker must never see
    orders of this throwaway database. The benchmark submits each one itself, as the task
    would."""
    sent: list = []
    real = queue.send

    def keep(task_name: str, *args, eta: datetime | None = None) -> bool:
        sent.append((task_name, args, eta))
        return True

    queue.send = keep
    try:
        yield sent
    finally:
        queue.send = real


def measure_placement(provider: Provider, count: int) -> dict:
    service = Service.objects.get(provider=provider, upstream_id=SERVICE)
    last_call = ApiCall.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    run = uuid.uuid4().hex[:8]
    placed: list[int] = []
    started = time.perf_counter()
    with tasks_kept_here():
        for n in range(count):
            link = f"https://instagram.com/p/bench-{run}-{n}"
            order = order_place(service=service, params={"link": link, "quantity": 100})
            order_submit(order.pk)
            placed.append(order.pk)
    wall_ms = (time.perf_counter() - started) * 1000
    adds = ApiCall.objects.filter(provider=provider, action="add", pk__gt=last_call)
    upstream_ms = sum(adds.values_list("duration_ms", flat=True))
    return {
        "orders": count,
        "placed": Order.objects.filter(pk__in=placed, state=LocalState.PLACED).count(),
        "add_calls": adds.count(),
        "wall_ms_per_order": wall_ms / count,
        "upstream_ms_per_order": upstream_ms / count,
        "overhead_ms": (wall_ms - upstream_ms) / count,
    }


MASS_LIMIT = 60  # calls a minute, the spec's lowest published limit


def measure_mass_at_limit(provider: Provider, count: int) -> dict:
    """`count` orders placed at once while the provider allows MASS_LIMIT calls a minute."""
    service = Service.objects.get(provider=provider, upstream_id=SERVICE)
    kept = Provider.objects.filter(pk=provider.pk).values("rate_limit_per_minute").get()
    Provider.objects.filter(pk=provider.pk).update(
        rate_limit_per_minute=MASS_LIMIT, throttle_tokens=None, throttle_at=None
    )
    run = uuid.uuid4().hex[:8]
    start = timezone.now().replace(microsecond=0)
    clock = [start]
    real_now, timezone.now = timezone.now, lambda: clock[0]
    runs = 0
    try:
        with tasks_kept_here() as sent:
            placed = [
                order_place(
                    service=service,
                    params={"link": f"https://instagram.com/p/mass-{run}-{n}", "quantity": 100},
                ).pk
                for n in range(count)
            ]
            due: list[tuple[datetime, int, int]] = []
            order = itertools.count()
            while sent or due:
                for _, (order_id,), eta in sent:
                    heapq.heappush(due, (eta or clock[0], next(order), order_id))
                sent.clear()
                eta, _, order_id = heapq.heappop(due)
                clock[0] = max(clock[0], eta)
                order_submit(order_id)
                runs += 1
    finally:
        timezone.now = real_now
        Provider.objects.filter(pk=provider.pk).update(
            throttle_tokens=None,
            throttle_at=None,
            throttle_line_until=None,
            throttle_owed_to_line=False,
            **kept,
        )
    orders = Order.objects.filter(pk__in=placed)
    last = max((at for at in orders.values_list("submitted_at", flat=True) if at), default=start)
    floor = timedelta(minutes=count / MASS_LIMIT)
    return {
        "orders": count,
        "placed": orders.filter(state=LocalState.PLACED).count(),
        "limit_per_minute": MASS_LIMIT,
        "floor_s": floor.total_seconds(),
        "simulated_s": (last - start).total_seconds(),
        "task_runs": runs,
        "ratio": (last - start) / floor,
    }
