"""`cancel`: accepted requests take effect a little later, as on real panels."""

from typing import Any

from simulator import errors, lifecycle, subscriptions
from simulator.actions.common import Call
from simulator.errors import SimError
from simulator.models import FINAL, OrderKind, SimOrder, Status


def cancel(call: Call) -> list[dict[str, Any]]:
    numbers = call.numbers()
    orders = SimOrder.objects.filter(account=call.account, pk__in=numbers.values())
    by_id = {order.pk: order for order in orders.select_related("service")}
    results: list[dict[str, Any]] = []
    for raw in call.ids:
        order = by_id.get(numbers.get(raw, -1))
        try:
            if order is None:
                raise SimError(errors.INCORRECT_ORDER)
            _cancel(call, order)
            results.append({"order": call.id_out(raw), "cancel": 1})
        except SimError as error:
            results.append({"order": call.id_out(raw), "cancel": call.error(error.text)})
    return results


def _cancel(call: Call, order: SimOrder) -> None:
    if not order.service.cancel:
        raise SimError(errors.CANCEL_DISABLED)
    if order.kind == OrderKind.SUBSCRIPTION:
        subscriptions.observe([order], call.behaviour, call.now)  # posts seen before count
        _stop_subscription(order)
        return
    state = lifecycle.live(order, call.now)
    if state.status in FINAL or order.cancel_requested:
        raise SimError(errors.CANCEL_TOO_LATE)
    lifecycle.plan_cancel(order, call.now, call.behaviour.cancel_delay)
    taken = (
        SimOrder.objects.filter(pk=order.pk, cancel_requested=False)
        .exclude(status__in=FINAL)
        .update(
            starts_at=order.starts_at,
            ends_at=order.ends_at,
            outcome=order.outcome,
            final_delivered=order.final_delivered,
            cancel_requested=True,
        )
    )
    if not taken:  # it finished, or was cancelled, in the meantime
        raise SimError(errors.CANCEL_TOO_LATE)


def _stop_subscription(order: SimOrder) -> None:
    stopped = (
        SimOrder.objects.filter(pk=order.pk)
        .exclude(status__in=subscriptions.STOPPED)
        .update(status=Status.CANCELED)
    )
    if not stopped:
        raise SimError(errors.CANCEL_TOO_LATE)
