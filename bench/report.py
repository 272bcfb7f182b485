"""The targets of issue 7, the printed table and the JSON file (nested: {"status_sync":
{"orders": …}, …}, so `status_sync.orders` is the figure at that path)."""

import json
import operator
from pathlib import Path

TARGETS = {
    "status_sync.requests_per_order": (operator.le, 0.0101, "≤ 0.0101"),
    "status_sync.orders_per_s": (operator.ge, 5000, "≥ 5,000"),
    "status_sync.speedup": (operator.ge, 20, "≥ 20"),
    "status_sync.peak_rss_mb": (operator.le, 250, "≤ 250"),
    "catalogue.first_import_s": (operator.le, 3, "≤ 3"),
    "catalogue.resync_unchanged_writes": (operator.eq, 0, "= 0"),
    "catalogue.resync_unchanged_s": (operator.le, 1, "≤ 1"),
    "orders_page.p50_ms": (operator.le, 50, "≤ 50"),
    "orders_page.queries": (operator.le, 10, "≤ 10"),
    "placement.overhead_ms": (operator.le, 20, "≤ 20"),
    "reports.p50_ms": (operator.le, 100, "≤ 100"),
    "placement.mass_at_limit_ratio": (operator.le, 1.15, "≤ 1.15"),
    "downstream.status_100_p50_ms": (operator.le, 15, "≤ 15"),
    "downstream.add_p50_ms": (operator.le, 20, "≤ 20"),
    "downstream.upstream_calls_for_status": (operator.eq, 0, "= 0"),
}
SHOWN = (
    "status_sync.orders",
    "status_sync.upstream_calls",
    "status_sync.requests_per_order",
    "status_sync.orders_per_s",
    "status_sync.baseline_orders_per_s",
    "status_sync.speedup",
    "status_sync.peak_rss_mb",
    "catalogue.services",
    "catalogue.first_import_s",
    "catalogue.resync_unchanged_s",
    "catalogue.resync_unchanged_writes",
    "catalogue.resync_10pct_changed_s",
    "orders_page.orders",
    "orders_page.p50_ms",
    "orders_page.p95_ms",
    "orders_page.queries",
    "orders_page.tab_p50_ms_worst",
    "orders_counts.p50_ms",
    "orders_counts.queries",
    "admin_changelist.p50_ms",
    "admin_changelist.queries",
    "order_detail.p50_ms",
    "order_detail.queries",
    "placement.overhead_ms",
    "placement.mass_at_limit_ratio",
    "reports.ledger_day_rows",
    "reports.ledger_day_total_rows",
    "reports.p50_ms",
    "reports.p95_ms",
    "reports.queries",
    "downstream.customer_orders",
    "downstream.status_100_p50_ms",
    "downstream.status_100_p95_ms",
    "downstream.status_queries",
    "downstream.upstream_calls_for_status",
    "downstream.add_p50_ms",
    "downstream.add_p95_ms",
    "downstream.add_queries",
)

DIGITS = {"placement.mass_at_limit_ratio": 3}  # a ratio near 1: more than one decimal


def figure(figures: dict, key: str):
    value: object = figures
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def checks(figures: dict) -> dict:
    """Each target with its figure and whether it is met (None: not measured)."""
    found = {}
    for key, (compare, limit, text) in TARGETS.items():
        value = figure(figures, key)
        found[key] = {"target": text, "met": None if value is None else compare(value, limit)}
    sync = figures["status_sync"]
    found["status_sync.upstream_calls"] = {
        "target": f"≤ ceil(orders/100) + failed = {sync['call_limit']}",
        "met": sync["upstream_calls"] <= sync["call_limit"],
    }
    return found


def table(figures: dict) -> str:
    m, sizes = figures["machine"], figures["sizes"]
    lines = [
        f"Benchmark ({sizes['name']} run, {figures['run']['seconds']:.0f} s), "
        f"{figures['run']['finished']}",
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gb']} GB RAM, {m['os']}",
        f"Python {m['python']}, Django {m['django']}, {m['database']}",
        f"Sizes: {sizes['active_orders']:,} active orders, {sizes['page_orders']:,} orders, "
        f"{sizes['services']:,} services, baseline sample {sizes['baseline_sample']:,}, "
        f"{sizes['placements']:,} placements",
        "",
        f"{'figure':40} {'value':>14}  {'target':<26} met",
    ]
    verdicts = figures["checks"]
    for key in SHOWN:
        check = verdicts.get(key, {})
        met = {True: "yes", False: "NO", None: "–" if check else ""}[check.get("met")]
        value = _text(figure(figures, key), DIGITS.get(key))
        lines.append(f"{key:40} {value:>14}  {check.get('target', ''):<26} {met}")
    lines += ["", *figures["notes"]]
    return "\n".join(lines)


def _text(value, digits: int | None = None) -> str:
    if value is None:
        return "n/a"
    if digits is not None:
        return f"{value:.{digits}f}"
    if isinstance(value, float):
        return (
            f"{value:,.4f}" if value < 1 else f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"
        )
    return f"{value:,}" if isinstance(value, int) else str(value)


def write_json(figures: dict, path: str) -> None:
    Path(path).write_text(json.dumps(figures, indent=2, default=str) + "\n")
