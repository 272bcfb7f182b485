"""The undelivered part of a customer's order goes back to them, once, when its money is final."""

import logging
from collections.abc import Sequence
from decimal import Decimal

from customers.models import AccountEntry, EntryKind
from customers.services.account import account_post
from orders.models import LocalState, Order
from orders.services.settlement import Answer, Terms, is_drip_feed, is_subscription, settled

log = logging.getLogger(__name__)
ZERO = Decimal(0)


def refund_closed(orders: Sequence[Order]) -> int:
    """Refund what each customer order was charged beyond what it sold for (everything when it
    was never placed); returns how many refunds were written. In the caller's transaction."""
    mine = [order for order in orders if order.customer_id is not None]
    if not mine:
        return 0
    ids = [order.pk for order in mine]
    entries = AccountEntry.objects.filter(order_id__in=ids, kind__in=EntryKind.values)
    charged: dict[int, tuple[Decimal, str]] = {}  # what was charged, in which currency
    refunded: set[int] = set()
    for order_id, kind, amount, currency in entries.values_list(
        "order_id", "kind", "amount", "currency"
    ):
        if kind == EntryKind.CHARGE:
            charged[order_id] = (-amount, currency)
        elif kind == EntryKind.REFUND:
            refunded.add(order_id)
    written = 0
    # In customer order, so two writers lock customers' rows in the same order.
    for order in sorted(mine, key=lambda o: (o.customer_id, o.pk)):
        if order.pk in refunded or order.pk not in charged:
            continue
        paid, currency = charged[order.pk]
        keeps = kept(order, paid, currency)
        if keeps is None:
            log.warning(
                "order=%s settled in %s, charged in %s: no refund worked out, staff to check",
                order.pk,
                order.currency,
                currency,
            )
            continue
        back = paid - keeps
        if back > 0 and order.customer_id is not None:
            account_post(
                order.customer_id,
                EntryKind.REFUND,
                back,
                order_id=order.pk,
                memo=f"order #{order.pk}: {refund_reason(order)}",
            )
            written += 1
    return written


def kept(order: Order, paid: Decimal, currency: str) -> Decimal | None:
    """What the customer pays in the end, in `currency` (what they were charged in): the
    settled price (capped by what they paid, by the caller), nothing for an order that was
    never placed. Only a placed order is ever settled, so `settled_at` says which (the state
    is not read: a polled order carries only the columns its round claimed).

    A provider that settles in another currency than the order was charged in gives a price
    that cannot be held against the charge: the customer keeps the delivered share of what
    they paid (all of it completed, none of it cancelled, pro rata when partial). An order
    charged as it runs (a subscription, a drip-feed) has no share to go by: None."""
    if order.settled_at is None:
        return ZERO
    if not order.currency or order.currency == currency:
        return max(order.price or ZERO, ZERO)
    if is_subscription(order.order_type) or is_drip_feed(order.params):
        return None
    terms = Terms(order.quantity, None, paid, currency, None)
    return settled(terms, Answer(order.status, order.remains, None, currency)).price


def refund_reason(order: Order) -> str:
    if order.settled_at is not None:
        return f"settled {order.get_status_display()}"
    if order.state == LocalState.NOT_PLACED:
        return "never placed"
    return "refused by the provider"
