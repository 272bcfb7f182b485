"""Orders that already exist upstream, made in bulk, and the simulator's truth about them.

Placing 5,000 orders through `add` would take minutes, and placement has its own scenario:
here the simulator creates each order with its own validation, price and plan (the same
functions its `add` runs), and the panel mirrors it as a placed order, both in bulk.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from orders.models import LocalState, Order, Provider, Service, Status
from orders.upstream.parse import parse_status
from simulator import control, lifecycle
from simulator.config import Behaviour
from simulator.models import SimAccount, SimConfig, SimOrder, SimService
from simulator.models import Status as SimStatus
from simulator.validation import validate_add

BULK = 500


@dataclass(frozen=True)
class Truth:
    """What the provider says about one order at its current simulated time."""

    status: str
    remains: int
    charge: Decimal

    @property
    def is_final(self) -> bool:
        return self.status in {Status.COMPLETED, Status.PARTIAL, Status.CANCELED}


def placed_upstream(
    provider: Provider, service: Service, quantities: Iterable[int], *, tag: str
) -> list[Order]:
    """One placed order per quantity, each on a new link, created upstream a moment ago."""
    sim_orders = _sim_orders(provider, service, list(quantities), tag)
    now, first = timezone.now(), settings.POLL_FIRST_CHECK_SECONDS
    orders = [
        Order(
            provider=provider,
            service=service,
            order_type=service.type,
            link=sim.link,
            quantity=sim.quantity,
            params={"link": sim.link, "quantity": sim.quantity},
            state=LocalState.PLACED,
            upstream_id=sim.pk,
            currency=provider.currency,
            cost=service.cost_of(sim.quantity),
            price=service.price_of(sim.quantity),
            submitted_at=now,
            next_check_at=now + timedelta(seconds=first),
            check_interval=first,
        )
        for sim in sim_orders
    ]
    return Order.objects.bulk_create(orders, batch_size=BULK)


def _sim_orders(
    provider: Provider, service: Service, quantities: list[int], tag: str
) -> list[SimOrder]:
    account = SimAccount.objects.get(api_key=provider.api_key)
    sim_service = SimService.objects.get(service_id=service.upstream_id)
    behaviour = Behaviour.parse(SimConfig.load().behaviour)
    now = control.now()
    made = []
    for i, quantity in enumerate(quantities):
        link = f"https://instagram.com/p/{tag}-{i}"
        placement = validate_add(sim_service, {"link": link, "quantity": str(quantity)}, now)
        made.append(
            SimOrder(
                account=account,
                service=sim_service,
                link=placement.link,
                quantity=placement.quantity,
                params=placement.params,
                price=placement.charge,
                charge=placement.charge,
                created_at=now,
                starts_at=now,
                ends_at=now,
                status=SimStatus.PENDING,
            )
        )
    SimOrder.objects.bulk_create(made, batch_size=BULK)
    for order in made:
        lifecycle.plan(order, behaviour, sim_service.units_per_hour)
    planned = ["starts_at", "run_seconds", "start_count", "outcome", "ends_at", "final_delivered"]
    SimOrder.objects.bulk_update(made, planned, batch_size=BULK)
    return made


def upstream_truth(upstream_ids: Iterable[int]) -> dict[int, Truth]:
    """Each order as the simulator would answer it now (computed, nothing written)."""
    now = control.now()
    truth = {}
    for order in SimOrder.objects.filter(pk__in=list(upstream_ids)).iterator(chunk_size=2000):
        live = lifecycle.live(order, now)
        refund = lifecycle.refund_for(order, live.status, live.remains)
        truth[order.pk] = Truth(str(parse_status(live.status)), live.remains, order.price - refund)
    return truth


def mismatches(orders: Iterable[Order], truth: dict[int, Truth]) -> list[str]:
    """Orders whose status, remains or charge differ from the provider's truth."""
    wrong = []
    for order in orders:
        if order.upstream_id is None:
            continue
        seen = (order.status, order.remains, order.charge)
        said = truth[order.upstream_id]
        if seen != (said.status, said.remains, said.charge):
            wrong.append(f"order {order.pk}: panel {seen}, provider {said}")
    return wrong
