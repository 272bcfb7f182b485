"""Placement overhead: orders placed through order_place + order_submit, the real path, with
the simulator process taking the `add` calls. Overhead is the wall time not spent in `add`."""

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

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

    def keep(task_name: str, *args) -> bool:
        sent.append((task_name, args))
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
