"""Measure how fast a running simulator answers batched status calls.

    python manage.py runsimulator --port 8100 --key bench --fresh &
    python manage.py simulator_bench --url http://127.0.0.1:8100/api/v2 --key bench

It places `--orders` orders through the API, then sends `--calls` status calls of `--ids`
ids each from `--concurrency` threads, and prints calls per second and latency percentiles.
"""

import random
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from django.core.management.base import BaseCommand, CommandError

_local = threading.local()


def _session() -> requests.Session:
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


class Command(BaseCommand):
    help = "Time batched status calls against a running simulator."

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True, help="the API URL, ending in /api/v2")
        parser.add_argument("--key", required=True)
        parser.add_argument("--orders", type=int, default=500)
        parser.add_argument("--calls", type=int, default=1000)
        parser.add_argument("--ids", type=int, default=100)
        parser.add_argument("--concurrency", type=int, default=4)

    def handle(self, *args, url, key, orders, calls, ids, concurrency, **options):
        placed = self._place(url, key, orders, concurrency)
        rng = random.Random(1)
        ids = min(ids, len(placed))
        batches = [",".join(map(str, rng.sample(placed, ids))) for _ in range(calls)]

        def status(batch: str) -> float:
            started = time.perf_counter()
            answer = _session().post(url, data={"key": key, "action": "status", "orders": batch})
            answer.raise_for_status()
            if len(answer.json()) != batch.count(",") + 1:
                raise CommandError(f"short answer: {answer.text[:200]}")
            return time.perf_counter() - started

        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            latencies = sorted(pool.map(status, batches))
        took = time.perf_counter() - started
        p50 = statistics.median(latencies) * 1000
        p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
        self.stdout.write(
            f"{calls} status calls x {ids} ids, {concurrency} clients: {took:.2f}s, "
            f"{calls / took:.0f} calls/s ({calls * ids / took:.0f} orders/s), "
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"
        )

    def _place(self, url: str, key: str, orders: int, concurrency: int) -> list[int]:
        def add(n: int) -> int:
            form = {"key": key, "action": "add", "service": 3, "quantity": 10}
            form["link"] = f"https://instagram.com/p/bench-{time.time_ns()}-{n}"
            answer = _session().post(url, data=form).json()
            if "order" not in answer:
                raise CommandError(f"could not place an order: {answer}")
            return int(answer["order"])

        with ThreadPoolExecutor(concurrency) as pool:
            return list(pool.map(add, range(orders)))
