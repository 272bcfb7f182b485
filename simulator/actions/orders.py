"""`add` and `status`."""

from typing import Any

from django.db import transaction
from django.db.models import F

from simulator import errors, lifecycle, subscriptions
from simulator.actions.common import Call, as_number
from simulator.errors import SimError
from simulator.ledger import ledger_append
from simulator.lifecycle import Live
from simulator.models import (
    FINAL,
    OrderKind,
    SimAccount,
    SimMove,
    SimOrder,
    SimService,
    Status,
)
from simulator.subscriptions import FOREVER, SubscriptionState
from simulator.validation import Placement, normalise_type, validate_add


def add(call: Call) -> dict[str, Any]:
    service = _service(call.form.get("service", ""))
    placement = validate_add(service, call.form, call.now)
    with transaction.atomic():  # SQLite serialises these: two adds never both pass the checks
        if placement.link and _has_active_order(call, service, placement.link):
            raise SimError(errors.ACTIVE_ORDER)
        if not _debit(call.account, placement):
            # Refunds that fell due but nobody looked at yet count towards the funds.
            lifecycle.settle_account(call.account, call.now)
            if not _debit(call.account, placement):
                raise SimError(errors.NOT_ENOUGH_FUNDS)
        order = _create(call, service, placement)
        ledger_append(call.account.pk, SimMove.CHARGE, -placement.charge, order_id=order.pk)
    call.record["order_id"] = order.pk
    return {"order": call.render.id(order.pk)}


def _service(raw: str) -> SimService:
    number = as_number(raw)
    service = SimService.objects.filter(service_id=number, active=True).first() if number else None
    if service is None:
        raise SimError(errors.INCORRECT_SERVICE)
    return service


def _has_active_order(call: Call, service: SimService, link: str) -> bool:
    open_orders = SimOrder.objects.filter(account=call.account, service=service, link=link).exclude(
        status__in=FINAL
    )
    states = lifecycle.observe(open_orders, call.now)
    return any(state.status not in FINAL for state in states.values())


def _debit(account: SimAccount, placement: Placement) -> bool:
    """Take the charge if the balance covers what the order needs; one conditional UPDATE."""
    paid = SimAccount.objects.filter(pk=account.pk, balance__gte=placement.funds_needed).update(
        balance=F("balance") - placement.charge
    )
    return bool(paid)


def _create(call: Call, service: SimService, placement: Placement) -> SimOrder:
    subscription = normalise_type(service.type) == "subscriptions"
    order = SimOrder.objects.create(
        account=call.account,
        service=service,
        kind=OrderKind.SUBSCRIPTION if subscription else OrderKind.ORDER,
        link=placement.link,
        quantity=placement.quantity,
        runs=placement.runs,
        interval_minutes=placement.interval,
        params=placement.params,
        price=placement.charge,
        charge=placement.charge,
        created_at=call.now,
        starts_at=call.now,
        ends_at=placement.params.get("expiry") or call.now + FOREVER,
        status=Status.ACTIVE if subscription else Status.PENDING,
    )
    if not subscription:
        lifecycle.plan(order, call.behaviour, service.units_per_hour)
        order.save()
    return order


def status(call: Call) -> dict[str, Any]:
    numbers = call.numbers()
    orders = SimOrder.objects.filter(account=call.account, pk__in=numbers.values())
    # The hot path of benchmarks: one query, no join (only subscriptions need their service).
    by_id = {order.pk: order for order in orders}
    plain = [order for order in by_id.values() if order.kind != OrderKind.SUBSCRIPTION]
    subs = [order.pk for order in by_id.values() if order.kind == OrderKind.SUBSCRIPTION]
    states = lifecycle.observe(plain, call.now)
    sub_states = {}
    if subs:
        full = SimOrder.objects.filter(pk__in=subs).select_related("service")
        sub_states = subscriptions.observe(full, call.behaviour, call.now)
    answers = {}
    for raw in call.ids:
        order = by_id.get(numbers.get(raw, -1))
        if order is None:
            answers[raw] = call.error(errors.INCORRECT_ORDER)
        elif order.pk in sub_states:
            answers[raw] = _subscription_answer(call, sub_states[order.pk])
        else:
            answers[raw] = _order_answer(call, order, states[order.pk])
    return answers if call.many else answers[call.ids[0]]


def _order_answer(call: Call, order: SimOrder, state: Live) -> dict[str, Any]:
    render = call.render
    answer: dict[str, Any] = {
        "charge": render.money(order.charge),
        "start_count": render.count(state.start_count),
        "status": render.status(state.status),
        "remains": render.count(state.remains),
        "currency": call.account.currency,
    }
    if order.runs > 1:  # drip-feed: how far through its runs it is
        answer["runs"] = render.count(order.runs)
        answer["runs_done"] = render.count(state.runs_done)
        answer["interval"] = render.count(order.interval_minutes)
    return answer


def _subscription_answer(call: Call, state: SubscriptionState) -> dict[str, Any]:
    render = call.render
    return {
        "charge": render.money(state.charge),
        "start_count": render.count(0),
        "status": render.status(state.status),
        "remains": render.count(0),
        "currency": call.account.currency,
        "posts": render.count(state.posts),
        "orders": [render.id(pk) for pk in state.orders],
    }
