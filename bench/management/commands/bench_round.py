"""One polling round for `manage.py bench`, alone in its process so its memory is its own.

Prints one JSON line: orders checked, calls, seconds, and the peak resident memory.
"""

import json
import resource
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from bench.database import use_database
from orders.models import Provider
from orders.services.polling import orders_poll


class Command(BaseCommand):
    help = "Run one status polling round on a benchmark's database (used by manage.py bench)."
    requires_system_checks: list[str] = []  # nothing may touch the database before use_database

    def add_arguments(self, parser):
        parser.add_argument("--database", required=True, help="the benchmark's database name")
        parser.add_argument("--provider", type=int, required=True)

    def handle(self, *args, database, provider, **options):
        settings.DEBUG = False  # DEBUG keeps the SQL of every query: memory the round never uses
        use_database(database)
        polled = Provider.objects.get(pk=provider)
        before = _peak_mb()
        started = time.perf_counter()
        result = orders_poll(provider=polled)
        seconds = time.perf_counter() - started
        figures = {
            "checked": result.orders,
            "calls": result.calls,
            "changed": result.changed,
            "failed_calls": result.failed_calls,
            "stopped": result.stopped,
            "seconds": seconds,
            "rss_before_round_mb": before,
            "peak_rss_mb": _peak_mb(),
        }
        self.stdout.write(json.dumps(figures))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
