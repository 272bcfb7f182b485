"""One benchmark run, phase by phase, on the throwaway database and the simulator process."""

import math
import time
from collections.abc import Callable

from django.utils import timezone

from bench import dataset, downstream
from bench.catalogue import measure_catalogue
from bench.ledger import build_ledger
from bench.machine import machine
from bench.pages import measure_pages
from bench.placement import MASS_LIMIT, measure_mass_at_limit, measure_placement
from bench.report import checks
from bench.simulator_process import Simulator
from bench.sizes import Sizes
from bench.status_sync import measure_baseline, measure_round
from orders.models import Order

Say = Callable[[str], None]


def run_benchmark(sizes: Sizes, db_name: str, sim: Simulator, say: Say) -> dict:
    started = time.monotonic()
    provider, others = dataset.make_providers(sim.api_url, sim.key)

    say(f"catalogue: syncing {sizes.services:,} services three times")
    catalogue = measure_catalogue(provider, sim)

    say(f"data: {sizes.page_orders:,} orders ({sizes.active_orders:,} active)")
    building = time.monotonic()
    dataset.make_other_services(others)
    user = dataset.make_superuser()
    customers = downstream.make_customers(sizes.customers)
    dataset.build_orders(provider, sim.first_id, sim.last_id, sizes.page_orders, customers)
    timeline = Order.objects.filter(provider=provider).order_by("-pk").values_list("pk", flat=True)
    timeline_order = timeline[0]
    dataset.build_timeline(timeline_order, sizes.timeline_events)
    ledger = build_ledger()
    accounts = time.monotonic()
    offers = downstream.make_offers()
    keys = downstream.build_accounts(user)
    accounts_s = time.monotonic() - accounts
    built_s = time.monotonic() - building

    say("status sync: one round through the engine, in its own process")
    sync = measure_round(db_name, provider, sim, sizes.active_orders)
    say(f"status sync: baseline, one call per order, on {sizes.baseline_sample:,} orders")
    baseline = measure_baseline(provider, sim, sizes.baseline_sample)
    sync |= {
        "baseline_orders_per_s": baseline["orders_per_s"],
        "baseline_sample": baseline["sample"],
        "baseline_extrapolated": baseline["sample"] < sizes.active_orders,
        "baseline_round_s_extrapolated": sizes.active_orders / baseline["orders_per_s"],
        "baseline": baseline,
        "speedup": sync["orders_per_s"] / baseline["orders_per_s"],
    }

    say(f"placement: {sizes.placements:,} orders through order_place + order_submit")
    placement = measure_placement(provider, sizes.placements)
    say(f"placement: {sizes.mass_orders} orders at once at {MASS_LIMIT} calls/min, simulated")
    mass = measure_mass_at_limit(provider, sizes.mass_orders)
    placement |= {"mass_at_limit_ratio": mass["ratio"], "mass_at_limit": mass}

    say("pages: orders list, admin changelist, order page, reports")
    pages = measure_pages(user, provider, timeline_order, sizes.page_samples)
    pages["orders_page"]["orders"] = Order.objects.count()
    pages["order_detail"]["events"] = sizes.timeline_events
    pages["reports"] |= ledger

    say(f"downstream: status of 100 orders and add through our API v2, {sizes.api_rounds} each")
    api = downstream.measure_downstream(keys, provider, sizes.api_rounds)
    api |= {"offers": offers, "accounts_build_s": accounts_s}

    figures = {
        "status_sync": sync,
        "catalogue": catalogue,
        **pages,
        "placement": placement,
        "downstream": api,
        "machine": machine(),
        "sizes": sizes.__dict__ | {"data_build_s": built_s},
        "run": {"finished": timezone.now().isoformat(timespec="seconds")},
        "notes": [*_notes(sizes, sync), _api_note(api)],
    }
    figures["run"]["seconds"] = time.monotonic() - started
    figures["checks"] = checks(figures)
    return figures


def _api_note(api: dict) -> str:
    return (
        f"Our API v2: {api['customers']:,} customers own {api['customer_orders']:,} of the "
        f"orders ({api['account_entries']:,} account rows, built in {api['accounts_build_s']:.1f}"
        " s); status asks for 100 of one customer's orders at random, add orders a Default "
        "service (charged and queued; the queue send is kept in the process, never run)."
    )


def _notes(sizes: Sizes, sync: dict) -> list[str]:
    minutes = math.ceil(sizes.active_orders / 100) / 60
    notes = [
        f"Provider limit: {dataset.SIM_RATE_LIMIT:,} calls/min, so the throttle grants every "
        "call (its row lock is still taken per call); at a real 60/min a round of "
        f"{sizes.active_orders:,} orders would take {minutes:.0f} min whatever the code.",
        "The simulator runs in its own process (gunicorn, SQLite) on the same machine: its "
        "answer time is part of every figure.",
    ]
    if sync["baseline_extrapolated"]:
        notes.append(
            f"Baseline measured on {sync['baseline_sample']:,} of the {sizes.active_orders:,} "
            "orders (a per-order rate); a full one-call-per-order round would take about "
            f"{sync['baseline_round_s_extrapolated']:.0f} s."
        )
    return notes
