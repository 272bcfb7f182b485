"""`refill` and `refill_status`."""

from collections import defaultdict
from typing import Any

from simulator import errors, lifecycle, refills
from simulator.actions.common import Call
from simulator.errors import SimError
from simulator.lifecycle import Live
from simulator.models import OrderKind, SimOrder, SimRefill, Status


def refill(call: Call) -> Any:
    numbers = call.numbers()
    orders = SimOrder.objects.filter(account=call.account, pk__in=numbers.values())
    by_id = {order.pk: order for order in orders.select_related("service")}
    plain = [order for order in by_id.values() if order.kind != OrderKind.SUBSCRIPTION]
    states = lifecycle.observe(plain, call.now)
    earlier: dict[int, list[SimRefill]] = defaultdict(list)
    for existing in SimRefill.objects.filter(order__in=list(by_id)):
        earlier[existing.order_id].append(existing)
    outcomes: list[int | dict[str, Any]] = []
    for raw in call.ids:
        order = by_id.get(numbers.get(raw, -1))
        try:
            if order is None:
                raise SimError(errors.INCORRECT_ORDER)
            state = states.get(order.pk) or Live(Status.CANCELED, 0, 0)
            refills.check_refillable(order, state, earlier[order.pk], call.behaviour, call.now)
            created = refills.create(order, call.behaviour, call.now)
            earlier[order.pk].append(created)
            outcomes.append(created.pk)
        except SimError as error:
            outcomes.append(call.error(error.text))
    if not call.many:  # the seed spells a single refill id as a string
        only = outcomes[0]
        return only if isinstance(only, dict) else {"refill": call.render.id(only, "string")}
    return [
        {"order": call.id_out(raw), "refill": o if isinstance(o, dict) else call.render.id(o)}
        for raw, o in zip(call.ids, outcomes, strict=True)
    ]


def refill_status(call: Call) -> Any:
    numbers = call.numbers()
    found = SimRefill.objects.filter(account=call.account, pk__in=numbers.values())
    states = refills.observe(found, call.now)
    results: list[dict[str, Any]] = []
    for raw in call.ids:
        status = states.get(numbers.get(raw, -1))
        shown: Any = call.render.status(status) if status else call.error(errors.REFILL_NOT_FOUND)
        results.append({"refill": call.id_out(raw), "status": shown})
    if call.many:
        return results
    shown = results[0]["status"]
    return shown if isinstance(shown, dict) else {"status": shown}
