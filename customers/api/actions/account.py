"""`services` and `balance`."""

from typing import Any

from customers.api.actions.common import Call
from customers.api.render import balance_text, rate_text
from customers.selectors.account import customer_balance
from customers.selectors.offers import offers_on_sale

COLUMNS = (
    "pk",
    "name",
    "category",
    "description",
    "rate",
    "min_quantity",
    "max_quantity",
    "service__type",
    "service__refill",
    "service__cancel",
    "service__dripfeed",
)


def services(call: Call) -> list[dict[str, Any]]:
    """Our services this customer can order now: enabled, over a service still offered, in
    their currency; at their price."""
    customer = call.customer
    offers = offers_on_sale(customer.currency).order_by("pk")
    answer = []
    for row in offers.values(*COLUMNS):  # values(): thousands of services list fast
        item: dict[str, Any] = {
            "service": row["pk"],
            "name": row["name"],
            "type": row["service__type"],
            "category": row["category"],
            "rate": rate_text(customer.rate_for(row["rate"])),
            "min": str(row["min_quantity"]),
            "max": str(row["max_quantity"]),
            "refill": row["service__refill"],
            "cancel": row["service__cancel"],
            "dripfeed": row["service__dripfeed"],
        }
        if row["description"]:
            item["desc"] = row["description"]
        answer.append(item)
    return answer


def balance(call: Call) -> dict[str, str]:
    amount = customer_balance(call.customer.pk)
    return {"balance": balance_text(amount), "currency": call.customer.currency}
