"""Why an order cannot be refilled or cancelled now: read by the order page to show or
explain its buttons, and by the refill and cancel services before they call the provider."""

from collections.abc import Iterable

from orders.models import FINAL_REFILL_STATUSES, LocalState, Order, Refill, Status

REFILLABLE = {Status.COMPLETED, Status.PARTIAL}


def refill_refusal(order: Order, *, refilling: bool | None = None) -> str:
    """Why this order cannot be refilled now; empty when it can.

    `refilling` says whether a refill of it is still under way (asked when not given).
    """
    if not order.service.refill:
        return "The service does not offer refills."
    if order.state != LocalState.PLACED:
        return "Only a placed order can be refilled."
    if order.status not in REFILLABLE:
        return "Refills are possible once the order is completed."
    if refilling is None:
        refilling = bool(orders_refilling([order.pk]))
    if refilling:
        return "A refill of this order is still under way."
    return ""


def orders_refilling(order_ids: Iterable[int]) -> set[int]:
    """Which of these orders have a refill the provider has not finished."""
    active = Refill.objects.filter(order_id__in=list(order_ids)).exclude(
        status__in=FINAL_REFILL_STATUSES
    )
    return set(active.values_list("order_id", flat=True))


def cancel_refusal(order: Order) -> str:
    """Why this order cannot be cancelled now; empty when it can."""
    if not order.service.cancel:
        return "The service does not allow cancelling."
    if order.state != LocalState.PLACED:
        return "Only a placed order can be cancelled."
    if order.is_final:
        return f"The order is already {order.get_status_display().lower()}."
    return ""
