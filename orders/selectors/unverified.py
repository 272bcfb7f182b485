"""Reads for resolving an unverified order: which upstream ids it can have been given.

A provider issues order ids in sequence. Any order of the same provider answered before this
one was even created holds a smaller id; any order created after this one was marked
unverified was sent after it, so it holds a larger id. Those two neighbours bound the
window; an id outside it was issued to some other submission.
"""

from dataclasses import dataclass

from django.db.models import Max, Min

from orders.models import EventKind, Order

# One `status` call asks about at most this many ids (the protocol's batch limit).
CANDIDATE_LIMIT = 100


@dataclass(frozen=True)
class IdWindow:
    """Upstream ids strictly between `above` and `below`; None is an open end."""

    above: int | None
    below: int | None

    def __contains__(self, upstream_id: object) -> bool:
        if not isinstance(upstream_id, int):
            return False
        if self.above is not None and upstream_id <= self.above:
            return False
        return self.below is None or upstream_id < self.below

    def __str__(self) -> str:
        if self.above is not None and self.below is not None and self.below - self.above == 2:
            return f"only {self.above + 1}"
        low = "…" if self.above is None else str(self.above + 1)
        high = "…" if self.below is None else str(self.below - 1)
        return f"{low} – {high}"


def upstream_window(order: Order) -> IdWindow:
    """The ids the provider can have issued to this order's submission."""
    mine = Order.objects.filter(provider_id=order.provider_id, upstream_id__isnull=False)
    above = mine.filter(submitted_at__lt=order.created_at).aggregate(id=Max("upstream_id"))["id"]
    marked = (
        order.events.filter(kind=EventKind.UNVERIFIED).order_by("at").values_list("at", flat=True)
    ).first()
    below = None
    if marked is not None:
        below = mine.filter(created_at__gt=marked).aggregate(id=Min("upstream_id"))["id"]
    return IdWindow(above, below)


def late_answers(order: Order) -> list[int]:
    """Ids the provider answered for this order after it had stopped waiting, newest first."""
    data = order.events.filter(kind=EventKind.ANOMALY, data__has_key="late_answer")
    ids = [entry.get("upstream_id") for entry in data.values_list("data", flat=True)]
    return list(dict.fromkeys(i for i in ids if isinstance(i, int)))


def window_ids(order: Order, window: IdWindow) -> list[int]:
    """The untracked ids of the window worth asking about: the late answers first, then the
    ids nearest the known end (a submission is sent soon after it is made), at most one
    `status` call's worth."""
    wanted = late_answers(order)
    if window.above is not None:
        start = window.above + 1
        stop = start + CANDIDATE_LIMIT if window.below is None else window.below
        span = range(start, min(stop, start + CANDIDATE_LIMIT))
    elif window.below is not None:
        span = range(max(1, window.below - CANDIDATE_LIMIT), window.below)
    else:
        span = range(0)
    tracked = set(
        Order.objects.filter(
            provider_id=order.provider_id, upstream_id__in=[*wanted, *span]
        ).values_list("upstream_id", flat=True)
    )
    ids = [i for i in dict.fromkeys([*wanted, *span]) if i not in tracked]
    return ids[:CANDIDATE_LIMIT]
