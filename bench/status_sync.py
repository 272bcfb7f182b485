"""The status round: the engine's batched poll, and the one-call-per-order way beside it.

The round runs in a child process (`manage.py bench_round`) that does nothing else, so its
peak memory is the round's own and not the data building's. The baseline runs in this process
on a sample of the same orders, put back first to the state the round found them in.
"""

import json
import math
import subprocess
import sys
import time

from django.conf import settings
from django.utils import timezone

from bench.dataset import SEEDED_MIRROR
from bench.simulator_process import Simulator
from orders.models import ApiCall, Order, OrderEvent, Provider
from orders.services.events import event
from orders.services.status_mapping import status_outcome
from orders.upstream import ProviderClient, ProviderError


def measure_round(db_name: str, provider: Provider, sim: Simulator, orders: int) -> dict:
    sim_before = sim.calls("status")
    command = [sys.executable, "manage.py", "bench_round", "--database", db_name]
    child = subprocess.run(
        [*command, "--provider", str(provider.pk)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode:
        raise RuntimeError(f"the round failed:\n{child.stderr[-3000:]}")
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    calls = ApiCall.objects.filter(provider=provider, action="status").count()
    figures |= {
        "orders": orders,
        "upstream_calls": calls,
        "simulator_calls": sim.calls("status") - sim_before,
        "call_limit": math.ceil(orders / 100) + figures["failed_calls"],
        "requests_per_order": calls / orders,
        "orders_per_s": figures["checked"] / figures["seconds"],
        "left_unchecked": Order.objects.filter(
            provider=provider, next_check_at__isnull=False, last_checked_at__isnull=True
        ).count(),
    }
    return figures


def measure_baseline(provider: Provider, sim: Simulator, sample: int) -> dict:
    """The same round as common panels do it: one `status` call and one UPDATE per order.

    It gets every advantage: no call log, no throttle, no claim, the simulator having already
    written the transitions the round made it observe.
    """
    active = Order.objects.filter(provider=provider, upstream_id__range=(sim.first_id, sim.last_id))
    ids = list(active.order_by("pk").values_list("pk", flat=True)[:sample])
    Order.objects.filter(pk__in=ids).update(**SEEDED_MIRROR, next_check_at=timezone.now())
    orders = list(Order.objects.filter(pk__in=ids).order_by("pk"))
    client = ProviderClient(provider.api_url, provider.api_key, timeout=provider.timeouts())
    first, ceiling = settings.POLL_FIRST_CHECK_SECONDS, settings.POLL_MAX_INTERVAL_SECONDS
    sim_before, failed = sim.calls("status"), 0
    started = time.perf_counter()
    for order in orders:
        try:
            answer = client.status(order.upstream_id or 0)
        except ProviderError:
            failed += 1
            continue
        outcome = status_outcome(order, answer, timezone.now(), first=first, ceiling=ceiling)
        for name, value in outcome.fields.items():
            setattr(order, name, value)
        order.save(update_fields=list(outcome.fields))
        if outcome.events:
            OrderEvent.objects.bulk_create([event(order, k, m, **d) for k, m, d in outcome.events])
    seconds = time.perf_counter() - started
    return {
        "sample": len(orders),
        "seconds": seconds,
        "upstream_calls": sim.calls("status") - sim_before,
        "failed_calls": failed,
        "orders_per_s": (len(orders) - failed) / seconds,
    }
