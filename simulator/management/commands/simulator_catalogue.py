"""Build a simulator catalogue of any size, e.g. 10,000 services for a benchmark."""

import time

from django.core.management.base import BaseCommand

from simulator.catalogue import build_catalogue
from simulator.models import SimService


class Command(BaseCommand):
    help = "Grow the simulator's catalogue to N services (the standard ones included)."

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, required=True, help="catalogue size")

    def handle(self, *args, services, **options):
        started = time.monotonic()
        made = build_catalogue(services)
        took = time.monotonic() - started
        total = SimService.objects.count()
        self.stdout.write(f"{made} services created in {took:.2f}s; the catalogue has {total}.")
