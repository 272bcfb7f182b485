"""`services` and `balance`."""

from typing import Any

from simulator import lifecycle, subscriptions
from simulator.actions.common import Call
from simulator.models import OrderKind, SimAccount, SimOrder, SimService


def services(call: Call) -> list[dict[str, Any]]:
    render = call.render
    rows = SimService.objects.filter(active=True).order_by("service_id").values()
    answer = []
    for row in rows:  # values(): 10,000 services must list fast
        item: dict[str, Any] = {
            "service": render.id(row["service_id"]),
            "name": row["name"],
            "type": row["type"],
            "category": row["category"],
            "rate": render.rate(row["rate"]),
            "min": render.count(row["min_quantity"]),
            "max": render.count(row["max_quantity"]),
        }
        for name in ("refill", "cancel", "dripfeed"):
            flag = render.flag(row[name])
            if flag is not None:
                item[name] = flag
        if row["desc"]:
            item["desc"] = row["desc"]
        answer.append(item)
    return answer


def balance(call: Call) -> dict[str, Any]:
    # Pay what is due first: a real panel refunds the moment an order ends.
    lifecycle.settle_account(call.account, call.now)
    subs = SimOrder.objects.filter(account=call.account, kind=OrderKind.SUBSCRIPTION).exclude(
        status__in=subscriptions.STOPPED
    )
    if subs.exists():
        subscriptions.observe(subs.select_related("service"), call.behaviour, call.now)
    account = SimAccount.objects.get(pk=call.account.pk)
    return {"balance": call.render.money(account.balance), "currency": account.currency}
