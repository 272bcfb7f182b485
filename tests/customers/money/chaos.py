"""A shop under a misbehaving provider: funded customers ordering our services each minute,
the engine placing, sweeping and polling on the test's clock, staff resolving unverified
orders, and what each customer should have paid in the end, worked out from the provider's
final word alone."""

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from customers.models import AccountEntry, Customer, EntryKind, Offer
from orders.models import FINAL_STATUSES, LocalState, Order, Provider, Status
from orders.services.polling import orders_poll
from orders.services.recovery import (
    NeedsConfirmation,
    order_confirm_not_placed,
    order_confirm_upstream,
)
from orders.services.settlement import is_subscription
from orders.tasks import sweep_orders
from simulator import control
from simulator.models import SimOrder
from tests.reliability.broker import InProcessBroker
from tests.reliability.clock import FakeClock

PLACES = Decimal("0.00000001")
NOTHING_SOLD = {Status.CANCELED, Status.REFUNDED, Status.FAILED}
# Per `add` and `status` request: 8 % time out (before the action in even minutes, after it
# in odd ones), 6 % are HTML error pages, 3 % are 429 with Retry-After, 5 % are garbled (half
# still readable behind a PHP warning), and 0.2 % of ids in a status call answer an error.
FAULTS = {
    "timeout_share": 0.08,
    "error_5xx_share": 0.06,
    "rate_limit_share": 0.03,
    "retry_after": 20,
    "malformed_share": 0.05,
    "item_error_share": 0.002,
    "actions": ["add", "status"],
}


@dataclass
class Shop:
    provider: Provider
    offers: list[Offer]
    customers: list[Customer]
    clock: FakeClock
    broker: InProcessBroker
    # (customer, offer, params) -> "taken", "refused for funds" or "invalid"
    place: Callable[[Customer, Offer, dict], str]
    rng: random.Random = field(default_factory=lambda: random.Random(42))
    asked: Counter = field(default_factory=Counter)
    resolved: Counter = field(default_factory=Counter)
    links: int = 0
    keys: dict[int, str] = field(default_factory=dict)  # customer id → raw API key

    def minute(self, orders_per_customer: int) -> None:
        """A minute of business: orders come in, their tasks run, beat sweeps and polls."""
        for customer in self.customers:
            for _ in range(orders_per_customer):
                self.asked[self.place(customer, *self._an_order())] += 1
        self.tick(60)

    def tick(self, seconds: float, provider_seconds: float | None = None) -> None:
        self.clock.advance(seconds)
        control.advance_clock(seconds if provider_seconds is None else provider_seconds)
        self.broker.run()
        sweep_orders()
        self.broker.run()
        orders_poll(provider=Provider.objects.get(pk=self.provider.pk))

    def _an_order(self) -> tuple[Offer, dict]:
        self.links += 1
        offer = self.rng.choice(self.offers)
        service = offer.service
        if is_subscription(service.type):
            low = offer.min_quantity
            return offer, {
                "username": f"account{self.links}",
                "min": low,
                "max": low * 2,
                "posts": self.rng.randint(1, 3),
                "delay": 0,
            }
        link = f"https://instagram.com/p/chaos-{self.links}"
        if self.rng.random() < 0.05:
            link = "@someone"  # passes our checks, the provider refuses it
        quantity = self.rng.randint(offer.min_quantity, offer.min_quantity * 20)
        return offer, {"link": link, "quantity": quantity}

    def resolve_unverified(self, user) -> None:
        """Staff look each unverified order up at the provider, as the reliability runs do:
        made there (an order on its link we track under no other order) or not."""
        tracked = set(Order.objects.exclude(upstream_id=None).values_list("upstream_id", flat=True))
        for order in Order.objects.filter(state=LocalState.UNVERIFIED).order_by("pk"):
            made = [pk for pk in _made_upstream(order) if pk not in tracked]
            if made:
                try:
                    order_confirm_upstream(order=order, upstream_id=made[0], user=user)
                except NeedsConfirmation:
                    order_confirm_upstream(
                        order=order, upstream_id=made[0], user=user, despite_doubts=True
                    )
                tracked.add(made[0])
                self.resolved["found upstream"] += 1
            else:
                order_confirm_not_placed(order=order, user=user)
                self.resolved["not placed"] += 1

    def all_final(self) -> bool:
        orders = Order.objects.filter(provider=self.provider)
        open_states = [LocalState.QUEUED, LocalState.SUBMITTING, LocalState.UNVERIFIED]
        return not (
            orders.filter(state__in=open_states).exists()
            or orders.filter(state=LocalState.PLACED).exclude(status__in=FINAL_STATUSES).exists()
        )


def _made_upstream(order: Order) -> list[int]:
    """The provider's orders on this order's link (a subscription's: on its username)."""
    made = SimOrder.objects.filter(parent=None).order_by("pk")
    if is_subscription(order.order_type):
        made = made.filter(params__username=order.params.get("username"))
    else:
        made = made.filter(link=order.link)
    return list(made.values_list("pk", flat=True))


def kept(order: Order, charged: Decimal) -> Decimal:
    """What the customer pays for the order in the end, from the provider's final word: the
    whole charge when completed, the delivered share when partial, the provider's charge at
    the customer's markup for a subscription, nothing when nothing was sold or placed."""
    if order.state != LocalState.PLACED or order.status in NOTHING_SOLD:
        return Decimal(0)
    if is_subscription(order.order_type):
        return _money((order.charge or Decimal(0)) * order.selling_rate / order.rate)
    if order.status == Status.PARTIAL:
        quantity = order.quantity or 0
        delivered = max(0, min(quantity, quantity - (order.remains or 0)))
        return _money(charged * delivered / quantity)
    return charged


def _money(amount: Decimal) -> Decimal:
    return amount.quantize(PLACES, rounding=ROUND_HALF_UP)


def charges(customer: Customer) -> dict[int, Decimal]:
    rows = AccountEntry.objects.filter(customer=customer, kind=EntryKind.CHARGE)
    return {order_id: -amount for order_id, amount in rows.values_list("order_id", "amount")}


def lowest_balance() -> Decimal:
    rows = AccountEntry.objects.order_by("balance_after").values_list("balance_after", flat=True)
    return rows.first() or Decimal(0)
