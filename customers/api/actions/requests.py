"""`refill`, `refill_status` and `cancel`: the customer's own orders go through the same
refill and cancel services as staff's (batched upstream, the provider's request limit kept),
and each order is answered on its own."""

from typing import Any

from customers.api import errors
from customers.api.actions.common import Call
from customers.api.form import id_out, numbers, parse_ids
from customers.api.render import refill_status_text
from orders.models import Order, Refill
from orders.services.actions import ActionOutcome, orders_cancel, orders_refill

# Why staff's services refused (by how their message starts), in the words panels use.
REFILL_REFUSALS = {
    "The service does not offer refills.": errors.REFILL_DISABLED,
    "Only a placed order can be refilled.": errors.NOT_REFILLABLE,
    "Refills are possible once the order is completed.": errors.REFILL_NOT_COMPLETED,
    "A refill of this order is still under way.": errors.REFILL_RUNNING,
}
CANCEL_REFUSALS = {
    "The service does not allow cancelling.": errors.CANCEL_DISABLED,
    "Only a placed order can be cancelled.": errors.CANCEL_TOO_LATE,
    "The order is already ": errors.CANCEL_TOO_LATE,  # completed, canceled...
}
# The call did not reach the provider, or its answer did not come back: worth a later try.
# (orders.services.actions: throttled, not sent, no usable answer, asked to slow down.)
UNANSWERED = ("Not sent", "Sent, but", "Not done")
# Anything else, such as the provider's own refusal ("Refused: ..."), reads as the generic
# refusal: the provider's words stay ours, a customer never learns whom we buy from.


def refill(call: Call) -> Any:
    ids, many = parse_ids("refill", call.form)
    wanted, orders = _owned(call, ids)
    outcomes = orders_refill(orders=orders.values(), user=None, actor_label=call.actor_label)
    by_order = {outcome.order.pk: outcome for outcome in outcomes}
    answers: list[tuple[str, int | dict[str, str]]] = []
    for raw in ids:
        order = orders.get(wanted.get(raw, 0))
        if order is None:
            answers.append((raw, errors.error(errors.INCORRECT_ORDER)))
            continue
        outcome = by_order[order.pk]
        if outcome.ok and outcome.refill is not None:
            answers.append((raw, outcome.refill.pk))
        else:
            text = refusal_text(outcome, REFILL_REFUSALS, errors.NOT_REFILLABLE)
            answers.append((raw, errors.error(text)))
    if not many:  # the seed spells a single refill id as a string
        only = answers[0][1]
        return only if isinstance(only, dict) else {"refill": str(only)}
    return [{"order": id_out(raw), "refill": answer} for raw, answer in answers]


def cancel(call: Call) -> list[dict[str, Any]]:
    """Always a list, even for one order (`order=`), as panels answer it."""
    ids, _many = parse_ids("cancel", call.form)
    wanted, orders = _owned(call, ids)
    outcomes = orders_cancel(orders=orders.values(), user=None, actor_label=call.actor_label)
    by_order = {outcome.order.pk: outcome for outcome in outcomes}
    answers: list[dict[str, Any]] = []
    for raw in ids:
        order = orders.get(wanted.get(raw, 0))
        if order is None:
            result: int | dict[str, str] = errors.error(errors.INCORRECT_ORDER)
        elif by_order[order.pk].ok:
            result = 1
        else:
            text = refusal_text(by_order[order.pk], CANCEL_REFUSALS, errors.CANCEL_TOO_LATE)
            result = errors.error(text)
        answers.append({"order": id_out(raw), "cancel": result})
    return answers


def refill_status(call: Call) -> Any:
    ids, many = parse_ids("refill_status", call.form)
    wanted = numbers(ids)
    found = Refill.objects.filter(
        pk__in=set(wanted.values()), order__customer_id=call.customer.pk
    ).values_list("pk", "status")
    statuses = dict(found) if wanted else {}
    answers = []
    for raw in ids:
        status = statuses.get(wanted.get(raw, 0))
        shown: Any = refill_status_text(status) if status else errors.error(errors.REFILL_NOT_FOUND)
        answers.append({"refill": id_out(raw), "status": shown})
    if many:
        return answers
    shown = answers[0]["status"]
    return shown if isinstance(shown, dict) else {"status": shown}


def _owned(call: Call, ids: list[str]) -> tuple[dict[str, int], dict[int, Order]]:
    """The ids that are numbers, and which of them are this customer's orders."""
    wanted = numbers(ids)
    if not wanted:
        return wanted, {}
    found = Order.objects.filter(customer_id=call.customer.pk, pk__in=set(wanted.values()))
    return wanted, {order.pk: order for order in found.select_related("service", "provider")}


def refusal_text(outcome: ActionOutcome, known: dict[str, str], refused: str) -> str:
    for start, text in known.items():
        if outcome.message.startswith(start):
            return text
    return errors.TRY_LATER if outcome.message.startswith(UNANSWERED) else refused
