"""Catalogue sync at 10,000 services: first import, a sync with nothing changed, 10 % repriced.

Each sync is the engine's own `catalogue_sync`, end to end: the `services` call to the
simulator process, parsing, and the bulk upsert.
"""

import time

from bench.simulator_process import Simulator
from orders.models import Provider, Service
from orders.services.catalogue import catalogue_sync
from orders.services.providers import provider_client
from orders.upstream import ProviderClient


def measure_catalogue(provider: Provider, sim: Simulator) -> dict:
    # A real provider's server is warm: one unlogged call first wakes the simulator's workers
    # (its first answer after start-up took ~3 s here).
    ProviderClient(provider.api_url, provider.api_key, timeout=provider.timeouts()).services()
    first, first_s = _timed(provider)
    again, again_s = _timed(provider)
    sim.control(reprice=0.1)
    repriced, repriced_s = _timed(provider)
    started = time.perf_counter()
    provider_client(provider).services()
    return {
        "services": Service.objects.filter(provider=provider).count(),
        "first_import_s": first_s,
        "first_import_created": first.created,
        "resync_unchanged_s": again_s,
        "resync_unchanged_writes": again.writes,
        "resync_10pct_changed_s": repriced_s,
        "resync_10pct_changed_writes": repriced.writes,
        "fetch_and_parse_s": time.perf_counter() - started,
    }


def _timed(provider: Provider):
    started = time.perf_counter()
    result = catalogue_sync(provider=provider)
    return result, time.perf_counter() - started
