"""`manage.py bench` end to end on the tiny sizes: every figure is there and the invariants
hold. No timing is asserted: the figures depend on the machine."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.report import SHOWN

ROOT = Path(__file__).resolve().parents[2]
KEYS = {
    "status_sync": [
        "orders",
        "requests_per_order",
        "orders_per_s",
        "baseline_orders_per_s",
        "speedup",
        "peak_rss_mb",
    ],
    "catalogue": [
        "services",
        "first_import_s",
        "resync_unchanged_s",
        "resync_unchanged_writes",
        "resync_10pct_changed_s",
    ],
    "orders_page": ["orders", "p50_ms", "p95_ms", "queries", "tab_p50_ms_worst"],
    "orders_counts": ["p50_ms", "queries"],
    "admin_changelist": ["p50_ms"],
    "order_detail": ["p50_ms", "queries"],
    "placement": ["overhead_ms", "mass_at_limit_ratio"],
    "reports": ["p50_ms", "p95_ms", "queries", "ledger_entries", "ledger_day_rows"],
}


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("bench")
    out = folder / "figures.json"
    env = os.environ | {"VAR_DIR": str(folder / "var")}
    done = subprocess.run(
        [sys.executable, "manage.py", "bench", "--tiny", "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text()) | {"printed": done.stdout}


def test_it_writes_every_figure_of_the_issue(figures):
    for group, names in KEYS.items():
        for name in names:
            assert figures[group][name] is not None, f"{group}.{name}"


def test_one_round_asks_for_each_order_once_in_calls_of_a_hundred(figures):
    sync = figures["status_sync"]
    assert sync["orders"] == sync["checked"] == 300
    assert sync["upstream_calls"] == sync["simulator_calls"] == 3
    assert sync["upstream_calls"] <= sync["call_limit"]
    assert sync["requests_per_order"] <= 0.0101
    assert sync["left_unchecked"] == 0
    assert sync["baseline"]["upstream_calls"] == sync["baseline_sample"]


def test_a_resync_with_nothing_changed_writes_nothing(figures):
    catalogue = figures["catalogue"]
    assert catalogue["services"] == catalogue["first_import_created"] == 200
    assert catalogue["resync_unchanged_writes"] == 0
    assert catalogue["resync_10pct_changed_writes"] == 20


def test_every_placement_goes_through_one_add_call(figures):
    placement = figures["placement"]
    assert placement["placed"] == placement["add_calls"] == placement["orders"]


def test_a_mass_order_at_the_limit_is_placed_once_each_at_about_the_limits_pace(figures):
    mass = figures["placement"]["mass_at_limit"]
    assert mass["placed"] == mass["orders"] == 30
    assert mass["task_runs"] < 2 * mass["orders"]  # one each, and one put-back at most
    assert figures["checks"]["placement.mass_at_limit_ratio"]["target"] == "≤ 1.15"


def test_the_pages_are_measured_with_their_queries_counted(figures):
    assert figures["orders_page"]["orders"] > 1000
    assert 0 < figures["orders_page"]["queries"] <= 10
    assert figures["order_detail"]["queries"] > 0
    assert set(figures["orders_page"]["tab_pages"]) == {
        "pending",
        "in_progress",
        "completed",
        "partial",
        "canceled",
        "unverified",
        "problems",
    }
    assert figures["orders_counts"]["queries"] > 0


def test_the_table_names_the_machine_and_every_figure(figures):
    printed = figures["printed"]
    assert "Machine:" in printed and figures["machine"]["database"] in printed
    for key in SHOWN:
        assert key in printed


def test_the_ledger_has_a_spend_and_a_sale_per_placed_order_and_its_rollup(figures):
    reports = figures["reports"]
    assert reports["ledger_entries"] > 2 * figures["orders_page"]["orders"] * 0.9
    assert 0 < reports["ledger_day_rows"] < reports["ledger_entries"]
    assert 0 < reports["queries"] <= 10
