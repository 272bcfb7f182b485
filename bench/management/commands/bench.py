"""`manage.py bench [--quick] [--json PATH]`: the engine and the pages at reseller scale.

It makes a throwaway database (never the configured one), starts the simulator in its own
process, builds the data, measures, prints a table and, with --json, writes the figures.
"""

import logging
import signal
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from bench.database import throwaway_database
from bench.report import table, write_json
from bench.run import run_benchmark
from bench.simulator_process import running_simulator
from bench.sizes import FULL, QUICK, TINY


class Command(BaseCommand):
    help = "Measure status sync, catalogue sync, placement and the orders pages at scale."

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="a tenth of the full sizes")
        parser.add_argument("--tiny", action="store_true", help="the smallest run (tests)")
        parser.add_argument("--json", dest="json_path", help="write the figures to this file")

    def handle(self, *args, quick, tiny, json_path, **options):
        sizes = TINY if tiny else QUICK if quick else FULL
        # DEBUG keeps the SQL of every query: building a million rows would fill memory.
        settings.DEBUG = False
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        # The pages are asked for as a signed-in superuser: no sign-in log lines in the table.
        logging.getLogger("axes").setLevel(logging.WARNING)
        started = time.monotonic()
        # SIGTERM stops the run like Ctrl-C: the simulator and the database are cleaned up.
        signal.signal(signal.SIGTERM, _interrupt)
        with (
            tempfile.TemporaryDirectory(prefix="bench-sim-") as folder,
            throwaway_database() as db_name,
        ):
            self._say(f"simulator: starting with {sizes.active_orders:,} orders")
            with running_simulator(
                Path(folder), orders=sizes.active_orders, services=sizes.services
            ) as sim:
                figures = run_benchmark(sizes, db_name, sim, self._say)
        figures["run"]["total_s"] = time.monotonic() - started
        self.stdout.write(table(figures))
        if json_path:
            write_json(figures, json_path)
            self._say(f"figures written to {json_path}")

    def _say(self, text: str) -> None:
        self.stderr.write(f"[bench] {text}")
        self.stderr.flush()


def _interrupt(signum, frame):
    raise KeyboardInterrupt
