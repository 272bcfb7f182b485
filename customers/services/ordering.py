"""A customer's order: checked against our service, charged to their account and queued for
the same exactly-once placement as any order, in one transaction (no charge without the
order, no order without the charge)."""

from decimal import Decimal

from django.db import transaction

from customers.models import AccountEntry, Customer, EntryKind
from customers.selectors.offers import offer_for
from customers.services.account import account_post
from orders.models import Order
from orders.models.service import PER
from orders.services.placement import OrderInvalid, order_place
from orders.services.settlement import is_subscription

PLACES = Decimal("0.00001")
NO_SERVICE = "Incorrect service ID"


def customer_order(
    *,
    customer: Customer,
    offer_id: int,
    params: dict,
    user=None,
    idempotency_key: str | None = None,
) -> Order:
    """Place an order for the customer; raises OrderInvalid (nothing written) or
    NotEnoughFunds (nothing written)."""
    if idempotency_key:  # the same form twice: the order it made, charged once
        existing = Order.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing
    offer = offer_for(customer, offer_id)
    if offer is None:
        raise OrderInvalid({"service": [NO_SERVICE]})
    rate = customer.rate_for(offer.rate)
    with transaction.atomic():
        order = order_place(
            service=offer.service,
            params=params,
            user=user,
            customer=customer,
            selling_rate=rate,
            bounds=(offer.min_quantity, offer.max_quantity),
            idempotency_key=idempotency_key,
        )
        if idempotency_key and _charged(order):
            # The same form sent again at the same moment: the other send's order, already
            # charged (it committed before order_place could read it).
            return order
        account_post(
            customer.pk,
            EntryKind.CHARGE,
            -_charge(order, rate),
            order_id=order.pk,
            memo=f"order #{order.pk}",
            actor=user,
        )
    return order


def _charged(order: Order) -> bool:
    return AccountEntry.objects.filter(order_id=order.pk, kind=EntryKind.CHARGE).exists()


def _charge(order: Order, rate: Decimal) -> Decimal:
    """What the customer pays up front: the price, or for a subscription its most (every
    post at its maximum); what was not used goes back when it ends."""
    if not is_subscription(order.order_type):
        return order.price or Decimal(0)
    posts = int(order.params.get("posts") or 0)
    if posts <= 0:
        raise OrderInvalid(
            {"posts": ["Incorrect posts: a subscription is paid in advance, so say how many."]}
        )
    most = int(order.params["max"]) * posts
    return (rate * most / PER).quantize(PLACES)
