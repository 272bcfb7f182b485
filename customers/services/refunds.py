"""The undelivered part of a customer's order goes back to them, once, when its money is final."""

from collections.abc import Sequence
from decimal import Decimal

from customers.models import AccountEntry, EntryKind
from customers.services.account import account_post
from orders.models import LocalState, Order

ZERO = Decimal(0)


def refund_closed(orders: Sequence[Order]) -> int:
    """Refund what each customer order was charged beyond what it sold for (everything when it
    was never placed); returns how many refunds were written. In the caller's transaction."""
    mine = [order for order in orders if order.customer_id is not None]
    if not mine:
        return 0
    ids = [order.pk for order in mine]
    entries = AccountEntry.objects.filter(order_id__in=ids, kind__in=EntryKind.values)
    charged: dict[int, Decimal] = {}
    refunded: set[int] = set()
    for order_id, kind, amount in entries.values_list("order_id", "kind", "amount"):
        if kind == EntryKind.CHARGE:
            charged[order_id] = -amount
        elif kind == EntryKind.REFUND:
            refunded.add(order_id)
    written = 0
    # In customer order, so two writers lock customers' rows in the same order.
    for order in sorted(mine, key=lambda o: (o.customer_id, o.pk)):
        if order.pk in refunded or order.pk not in charged:
            continue
        back = charged[order.pk] - kept(order)
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


def kept(order: Order) -> Decimal:
    """What the customer pays in the end: the settled price (capped by what they were charged,
    by the caller), nothing for an order that was never placed. Only a placed order is ever
    settled, so `settled_at` says which (the state is not read: a polled order carries only
    the columns its round claimed)."""
    if order.settled_at is None:
        return ZERO
    return max(order.price or ZERO, ZERO)


def refund_reason(order: Order) -> str:
    if order.settled_at is not None:
        return f"settled {order.get_status_display()}"
    if order.state == LocalState.NOT_PLACED:
        return "never placed"
    return "refused by the provider"
