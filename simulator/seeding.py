"""Orders an account already has, made in bulk: what a benchmark's client polls.

`runsimulator --orders N` seeds N plain orders placed over the last simulated half hour, all
last seen Pending: when first asked, some are still pending, most are in progress and some
have ended (a few Partial or Canceled, refunded then), so a polling round gets a realistic
mix of unchanged and changed answers. The dashboard side mirrors them by id and service
(`seeded_service`), so a benchmark's answers are real.
"""

import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from simulator import lifecycle
from simulator.catalogue import seed_catalogue
from simulator.config import Behaviour
from simulator.models import SimAccount, SimConfig, SimOrder, SimService

# Plain (Default-type) standard services with quick delivery, cycled over the seeded orders.
SEED_SERVICES = (3, 17, 21, 24, 1)
SEED_QUANTITY = 1000
SEED_SPREAD = 30 * 60  # simulated seconds over which the seeded orders were placed


def seeded_service(order_id: int) -> int:
    """The upstream service id of a seeded order: clients can mirror it without asking."""
    return SEED_SERVICES[order_id % len(SEED_SERVICES)]


def seed_orders(account: SimAccount, n: int, *, batch: int = 5000) -> tuple[int, int]:
    """Create n orders for the account; returns the first and last id (a contiguous range)."""
    seed_catalogue()
    config = SimConfig.load()
    now, behaviour = config.now(), Behaviour.parse(config.behaviour)
    services = {s.service_id: s for s in SimService.objects.filter(service_id__in=SEED_SERVICES)}
    with transaction.atomic():
        first = (SimOrder.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        for start in range(first, first + n, batch):
            stop = min(start + batch, first + n)
            made = [_order(pk, account, services, behaviour, now) for pk in range(start, stop)]
            SimOrder.objects.bulk_create(made)
    return first, first + n - 1


def _order(pk: int, account: SimAccount, services: dict, behaviour: Behaviour, now: float):
    service = services[seeded_service(pk)]
    price = (service.rate * SEED_QUANTITY / 1000).quantize(Decimal("0.00001"))
    order = SimOrder(
        pk=pk,
        account=account,
        service=service,
        link=f"https://instagram.com/p/seed{pk}",
        quantity=SEED_QUANTITY,
        params={"quantity": SEED_QUANTITY},
        price=price,
        charge=price,
        created_at=now - random.Random(pk).uniform(0, SEED_SPREAD),
    )
    lifecycle.plan(order, behaviour, service.units_per_hour)
    return order
