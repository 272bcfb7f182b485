"""Prepare a simulator database: migrate, build the catalogue, fund an account, set the clock.

`runsimulator` runs this in the standalone settings before it starts the server; it prints
the range of the orders it seeded (`orders FIRST-LAST`, with --orders) and then the account's
key as its last line.
"""

from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand

from simulator import control
from simulator.accounts import account_ensure, new_key
from simulator.catalogue import build_catalogue
from simulator.demo import DEMO_BALANCE
from simulator.seeding import seed_orders


class Command(BaseCommand):
    help = "Migrate the simulator's database, build its catalogue and fund an account."

    def add_arguments(self, parser):
        parser.add_argument("--key", help="API key to fund (default: a new one)")
        parser.add_argument("--balance", type=Decimal, default=DEMO_BALANCE)
        parser.add_argument("--services", type=int, default=0, help="catalogue size")
        parser.add_argument("--speed", type=float, help="simulated seconds per real second")
        parser.add_argument("--orders", type=int, default=0, help="active orders to seed")

    def handle(self, *args, key, balance, services, speed, orders, **options):
        call_command("migrate", interactive=False, verbosity=0)
        build_catalogue(services)
        account = account_ensure(api_key=key or new_key(), balance=balance)
        if account.balance < balance:  # a funded account each time it starts
            account.balance = balance
            account.save(update_fields=["balance"])
        if speed is not None:
            control.set_speed(speed)
        if orders:  # after the clock is set: the seeded orders are placed relative to it
            first, last = seed_orders(account, orders)
            self.stdout.write(f"orders {first}-{last}")
        self.stdout.write(account.api_key)
