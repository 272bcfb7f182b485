"""`add` and `status`: orders taken through the same service as staff's, and read from our
own records only (a status never waits on the provider)."""

from typing import Any

from customers.api import errors
from customers.api.actions.add_errors import add_error_text, type_params
from customers.api.actions.common import Call
from customers.api.errors import ApiError
from customers.api.form import as_number, numbers, parse_ids
from customers.api.render import NOT_SOLD, count_text, money_text, order_status_text
from customers.selectors.offers import offer_for
from customers.services.account import NotEnoughFunds
from customers.services.ordering import customer_order
from orders.models import Order
from orders.services.placement import OrderInvalid
from orders.upstream import order_type_for


def add(call: Call) -> dict[str, int]:
    offer_id = as_number(call.form.get("service", ""))
    offer = offer_for(call.customer, offer_id) if offer_id else None
    spec = order_type_for(offer.service.type) if offer else None
    if offer is None or spec is None:
        raise ApiError(errors.INCORRECT_SERVICE)
    params = type_params(spec, call.form)
    try:
        order = customer_order(customer=call.customer, offer_id=offer.pk, params=params)
    except NotEnoughFunds as exc:
        raise ApiError(errors.NOT_ENOUGH_FUNDS) from exc
    except OrderInvalid as exc:
        text = add_error_text(
            exc.errors,
            params,
            type_name=offer.service.type,
            bounds=(offer.min_quantity, offer.max_quantity),
            dripfeed=offer.service.dripfeed,
        )
        raise ApiError(text) from exc
    return {"order": order.pk}


# What a status needs: one indexed query for 100 ids, no join, a few columns.
STATUS_COLUMNS = ("pk", "state", "status", "price", "start_count", "remains", "quantity")


def status(call: Call) -> dict[str, Any]:
    ids, many = parse_ids("status", call.form)
    wanted = numbers(ids)
    rows = {}
    if wanted:
        found = Order.objects.filter(customer_id=call.customer.pk, pk__in=set(wanted.values()))
        rows = {row[0]: row for row in found.values_list(*STATUS_COLUMNS)}
    answers: dict[str, Any] = {}
    for raw in ids:
        row = rows.get(wanted.get(raw, 0))
        if row is None:
            answers[raw] = errors.error(errors.INCORRECT_ORDER)
        else:
            answers[raw] = _status(row, call.customer.currency)
    return answers if many else answers[ids[0]]


def _status(row: tuple, currency: str) -> dict[str, str]:
    _pk, state, status, price, start_count, remains, quantity = row
    sold = state not in NOT_SOLD
    return {
        "charge": money_text(price if sold else None),
        "start_count": count_text(start_count),
        "status": order_status_text(state, status),
        "remains": count_text(quantity if remains is None or not sold else remains),
        "currency": currency,
    }
