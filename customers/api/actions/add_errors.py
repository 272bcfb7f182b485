"""Why an `add` was refused, in the words the seed and real panels use.

The order-type table's validation (orders.upstream.validate_order) words its errors for
staff, one list per field; a client of the protocol expects one short text such as
"Incorrect link" or "Quantity less than minimal 50". The first field in the type's own order
decides, as a panel checking the form top to bottom would.
"""

import re
from collections.abc import Mapping

from customers.api import errors
from orders.upstream import OrderTypeSpec, QuantityRule, order_type_for

_INT = re.compile(r"[+-]?\d{1,18}", re.ASCII)
# Errors about the order as a whole (the service gone, or its type not orderable).
WHOLE = ("service", "__all__")


def type_params(spec: OrderTypeSpec, form: Mapping[str, str]) -> dict[str, str]:
    """The fields of the form this type takes; the rest is ignored as real panels do (a
    client that always sends `quantity` may still order a package)."""
    return {f.name: form[f.name] for f in spec.fields if f.name in form}


def add_error_text(
    found: Mapping[str, list[str]],
    params: Mapping[str, str],
    *,
    type_name: str,
    bounds: tuple[int, int],
    dripfeed: bool,
) -> str:
    spec = order_type_for(type_name)
    if spec is None or any(name in found for name in WHOLE):
        return errors.INCORRECT_SERVICE
    order = [f.name for f in spec.fields]
    name = min(found, key=lambda n: order.index(n) if n in order else len(order))
    return _field_text(name, spec, params, bounds, dripfeed)


def _field_text(
    name: str,
    spec: OrderTypeSpec,
    params: Mapping[str, str],
    bounds: tuple[int, int],
    dripfeed: bool,
) -> str:
    low, high = bounds
    if name == "link":
        return errors.INCORRECT_LINK
    if name in ("runs", "interval") and not dripfeed:
        return errors.DRIPFEED_DISABLED
    if name == "runs":
        quantity, runs = _int(params.get("quantity")), _int(params.get("runs"))
        if quantity is not None and runs is not None and quantity * runs > high:
            return errors.MAX_QUANTITY.format(max=high)
    if name == "quantity":
        return _within(_int(params.get("quantity")), bounds)
    if spec.quantity_rule is QuantityRule.LINES and name == spec.count_field:
        count = len([line for line in str(params.get(name, "")).splitlines() if line.strip()])
        if count and not low <= count <= high:
            return _within(count, bounds)
    if spec.quantity_rule is QuantityRule.SUBSCRIPTION and name in ("min", "max"):
        return _within(_int(params.get(name)), bounds)
    return errors.incorrect(name)


def _within(value: int | None, bounds: tuple[int, int]) -> str:
    low, high = bounds
    if value is not None and value < low:
        return errors.MIN_QUANTITY.format(min=low)
    if value is not None and value > high:
        return errors.MAX_QUANTITY.format(max=high)
    return errors.INCORRECT_QUANTITY  # not a number, or min above max


def _int(raw: object) -> int | None:
    text = str(raw or "").strip()
    return int(text) if _INT.fullmatch(text) else None
