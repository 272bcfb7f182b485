"""The request log: every call the simulator answered, for tests and benchmarks to read.

from simulator import log
assert log.batch_sizes("status") == [100, 100, 37]
assert log.added_twice() == []
"""

from typing import Any

from django.db.models import Count, QuerySet

from simulator.models import SimRequest


def calls(action: str | None = None) -> QuerySet[SimRequest]:
    """Logged calls in the order they came, optionally of one action only."""
    found = SimRequest.objects.order_by("pk")
    return found.filter(action=action) if action else found


def batch_sizes(action: str = "status") -> list[int]:
    """How many ids each call of `action` carried."""
    return list(calls(action).values_list("ids_count", flat=True))


def orders_added() -> QuerySet[SimRequest]:
    """The `add` calls that created an order (whether or not their answer got through)."""
    return calls("add").filter(order_id__isnull=False)


def added_twice() -> list[dict[str, Any]]:
    """Orders created more than once for the same account, service and link."""
    groups = (
        orders_added()
        .values("account", "service_id", "link")
        .annotate(orders=Count("order_id", distinct=True))
        .filter(orders__gt=1)
        .order_by()
    )
    return list(groups)


def summary() -> dict[str, Any]:
    """Counts for a process that cannot query the log directly (the control endpoint)."""
    by_action = dict(SimRequest.objects.values_list("action").annotate(n=Count("pk")).order_by())
    by_outcome = dict(SimRequest.objects.values_list("outcome").annotate(n=Count("pk")).order_by())
    return {
        "calls": sum(by_action.values()),
        "by_action": by_action,
        "by_outcome": by_outcome,
        "orders_added": orders_added().count(),
        "added_twice": added_twice(),
        "max_batch": max(batch_sizes("status") or [0]),
    }


def entries(action: str | None = None, since: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
    fields = [
        "pk",
        "at",
        "action",
        "ids_count",
        "ids",
        "outcome",
        "detail",
        "http_status",
        "duration_ms",
        "order_id",
        "service_id",
        "link",
        "quantity",
    ]
    rows = calls(action).filter(pk__gt=since).values(*fields)[:limit]
    return [row | {"at": row["at"].isoformat()} for row in rows]


def clear() -> None:
    SimRequest.objects.all().delete()
