"""Pure mapping from an upstream status answer onto an order: what changes, what to record.

No database here: the poller applies the result in bulk.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from orders.models import FINAL_STATUSES, EventKind, Order, Status
from orders.upstream import ItemError, OrderStatus, Reason

# "Incorrect order ID" this many times in a row before an order is called missing upstream.
MISSING_AFTER = 3
# What a final answer settled: a later answer that differs in one of them is an anomaly.
SETTLED_BY = ("status", "charge", "remains", "currency")
TRACKED = ("status", "status_raw", "charge", "currency", "start_count", "remains", "upstream_extra")


@dataclass
class Outcome:
    fields: dict[str, Any] = field(default_factory=dict)
    events: list[tuple[EventKind, str, dict]] = field(default_factory=list)
    changed: bool = False


def next_interval(order: Order, *, changed: bool, first: int, ceiling: int) -> int:
    """Soon after a change, backing off while nothing moves, never beyond the ceiling."""
    if changed or not order.check_interval:
        return first
    return min(order.check_interval * 2, ceiling)


def status_outcome(
    order: Order, answer: OrderStatus | ItemError | None, now: datetime, *, first: int, ceiling: int
) -> Outcome:
    if isinstance(answer, OrderStatus):
        outcome = _from_status(order, answer, now)
    else:
        outcome = _from_error(order, answer)
    outcome.fields["last_checked_at"] = now
    if outcome.fields.get("status", order.status) in FINAL_STATUSES:
        outcome.fields["next_check_at"] = None
    else:
        interval = next_interval(order, changed=outcome.changed, first=first, ceiling=ceiling)
        outcome.fields["check_interval"] = interval
        outcome.fields["next_check_at"] = now + timedelta(seconds=interval)
    return outcome


def _from_status(order: Order, answer: OrderStatus, now: datetime) -> Outcome:
    outcome = Outcome()
    new = {
        "status": Status(str(answer.status)),
        "status_raw": answer.raw_status[:100],
        "charge": answer.charge if answer.charge is not None else order.charge,
        # The currency is the charge's: an answer without a charge leaves the order's.
        "currency": answer.currency
        if answer.currency and (answer.charge is not None or not order.currency)
        else order.currency,
        "start_count": answer.start_count,
        "remains": answer.remains,
        "upstream_extra": _jsonable(answer.extra),
    }
    if order.missing_count or order.missing_upstream:
        outcome.fields.update(missing_count=0, missing_upstream=False)
    if order.is_final:
        # A final status and its settled money stand; a different later answer is worth a
        # look, not a rewrite.
        differs = [k for k in SETTLED_BY if getattr(order, k) != new[k]]
        if differs:
            outcome.events.append(_late_answer(order, answer, new, differs))
        return outcome
    diff = {k: v for k, v in new.items() if getattr(order, k) != v}
    if not diff:
        return outcome
    outcome.changed = True
    outcome.fields.update(diff)
    if "status" in diff or "status_raw" in diff:
        before = order.status_raw or "–"
        outcome.events.append(
            (
                EventKind.STATUS,
                f"{before} → {answer.raw_status}",
                {"before": order.status, "after": str(new["status"]), "remains": answer.remains},
            )
        )
        if new["status"] == Status.UNKNOWN:
            outcome.events.append(
                (
                    EventKind.ANOMALY,
                    f"Unrecognised status {answer.raw_status!r}: kept polling.",
                    {"answer": answer.raw_status},
                )
            )
        if new["status"] in FINAL_STATUSES:
            outcome.fields["completed_at"] = now
    return outcome


def _late_answer(order: Order, answer: OrderStatus, new: dict, differs: list[str]) -> tuple:
    if "status" in differs:
        text = f"Provider now says {answer.raw_status!r} after {order.status_raw!r}"
    else:
        now_says = ", ".join(f"{k} {new[k]}" for k in differs)
        text = f"Provider now reports {now_says} for this {order.status_raw!r} order"
    return (
        EventKind.ANOMALY,
        f"{text}; kept {order.get_status_display()} and its settled money.",
        {
            "before": {k: str(getattr(order, k)) for k in differs},
            "answer": {k: str(new[k]) for k in differs},
        },
    )


def _from_error(order: Order, answer: ItemError | None) -> Outcome:
    outcome = Outcome()
    if answer is None:
        outcome.events.append(
            (EventKind.ERROR, "The provider left this order out of its answer.", {})
        )
        return outcome
    if answer.raw:
        # A value the order's columns cannot hold, or that cannot be: nothing of it is kept.
        outcome.events.append(
            (
                EventKind.ANOMALY,
                f"Provider's answer not used ({answer.message}); the order is left as it was.",
                {"answer": answer.raw},
            )
        )
        return outcome
    if answer.reason != Reason.NOT_FOUND:
        outcome.events.append((EventKind.ERROR, f"Provider: {answer.message}", {}))
        return outcome
    missing = order.missing_count + 1
    outcome.fields["missing_count"] = missing
    if missing == MISSING_AFTER and not order.missing_upstream:
        outcome.fields["missing_upstream"] = True
        outcome.events.append(
            (
                EventKind.ANOMALY,
                f"Provider answered {answer.message!r} {missing} times in a row: missing upstream.",
                {"answer": answer.message},
            )
        )
    return outcome


def _jsonable(extra: dict) -> dict:
    return {
        k: v if isinstance(v, (int, str, bool, list, dict, type(None))) else str(v)
        for k, v in extra.items()
    }
