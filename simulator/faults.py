"""Deciding which request goes wrong, and the broken answers real panels give.

Each faultable request draws a number from a counter kept in the database, and its fate from
`Random(f"{fault_seed}:{number}")`: the same seed gives the same sequence of faults however
many processes serve, so tests that switch faults on are not flaky.

What happens when:
- timeout, mode "before": nothing is done; the answer comes `timeout_seconds` late (a 504).
- timeout, mode "after": the action is done, then the answer comes `timeout_seconds` late.
- error_5xx (an HTML page, 502/503/520) and rate_limit (429 + Retry-After): nothing is done.
- malformed: the action is done and its answer is garbled (cut short, or behind a PHP warning).
- item errors: chosen ids of a batch answer an error and are not acted on.
"""

import random
from dataclasses import dataclass

from django.db import connection
from django.db.models import F
from django.http import HttpResponse, JsonResponse

from simulator.config import Faults
from simulator.models import SimConfig

KINDS = ("timeout", "error_5xx", "rate_limit", "malformed")
REASONS = {
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
    520: "Web server is returning an unknown error",
}


@dataclass(frozen=True)
class FaultPlan:
    kind: str | None = None
    latency: float = 0.0  # seconds added to the answer
    status: int = 0  # for error_5xx
    variant: int = 0  # which way a malformed answer is broken
    failing: frozenset[str] = frozenset()  # ids that answer a per-item error

    def stops_action(self, timeout_mode: str) -> bool:
        """True when the request fails before its action runs (nothing is done)."""
        if self.kind == "timeout":
            return timeout_mode == "before"
        return self.kind in {"error_5xx", "rate_limit"}

    @property
    def name(self) -> str:
        if self.kind == "error_5xx":
            return f"error_5xx:{self.status}"
        if self.kind is None and self.failing:
            return "item_errors"
        return self.kind or ""


def plan(faults: Faults, action: str, ids: list[str]) -> FaultPlan:
    """What goes wrong with this request, if anything."""
    if not faults.applies_to(action):
        return FaultPlan()
    latency = faults.latency_ms / 1000
    if not faults.any_share:
        return FaultPlan(latency=latency)
    rng = random.Random(f"{faults.fault_seed}:{_next_number()}")
    draw, edge, kind = rng.random(), 0.0, None
    for candidate in KINDS:
        edge += getattr(faults, f"{candidate}_share")
        if draw < edge:
            kind = candidate
            break
    failing = frozenset(raw for raw in ids if rng.random() < faults.item_error_share)
    if kind is None and not failing:
        return FaultPlan(latency=latency)
    if not _may_fire(faults):
        return FaultPlan(latency=latency)
    status = rng.choice(faults.error_5xx_codes or (502,))
    return FaultPlan(kind, latency, status, rng.randrange(2), failing)


def _table() -> str:
    return connection.ops.quote_name(SimConfig._meta.db_table)


def _next_number() -> int:
    SimConfig.load()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table()} SET fault_counter = fault_counter + 1 WHERE id = 1 "
            "RETURNING fault_counter"
        )
        return int(cursor.fetchone()[0])


def _may_fire(faults: Faults) -> bool:
    """Count a faulted request against `max_faults`; False once the budget is spent."""
    if faults.max_faults is None:
        return True
    fired = SimConfig.objects.filter(pk=1, faults_fired__lt=faults.max_faults).update(
        faults_fired=F("faults_fired") + 1
    )
    return bool(fired)


def html_error(status: int) -> HttpResponse:
    reason = REASONS.get(status, "Error")
    page = (
        f"<!DOCTYPE html>\n<html><head><title>{status} {reason}</title></head>\n"
        f"<body><center><h1>{status} {reason}</h1></center>\n<hr><center>nginx</center>\n"
        "</body></html>\n"
    )
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


def rate_limited(retry_after: int) -> JsonResponse:
    response = JsonResponse({"error": "Too Many Requests"}, status=429)
    response["Retry-After"] = str(retry_after)
    response["X-RateLimit-Limit"] = "60"
    response["X-RateLimit-Remaining"] = "0"
    return response


def garble(body: bytes, variant: int) -> bytes:
    """Break a JSON answer the two ways panels do: cut short, or behind a PHP warning."""
    if variant == 0:
        return body[: max(1, len(body) // 2)]
    warning = (
        b'<br />\n<b>Warning</b>:  Undefined array key "currency" in '
        b"<b>/var/www/html/api/v2.php</b> on line <b>214</b><br />\n"
    )
    return warning + body
