"""POST /api/v2: the provider's one endpoint, with its faults and request log around it."""

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt

from simulator import errors, faults
from simulator.actions import ACTIONS, Call, parse_ids
from simulator.actions.common import as_number
from simulator.config import Behaviour, Dialect, Faults
from simulator.dialects import Renderer
from simulator.errors import SimError
from simulator.faults import FaultPlan
from simulator.models import SimAccount, SimConfig, SimRequest

# Set in the WSGI environ by simulator.testing's adapter: report delays instead of sleeping.
IN_PROCESS = "simulator.in_process"
DELAY_HEADER = "X-Simulator-Delay"


@dataclass
class Incoming:
    """One request as read: the form, its action and ids, and why it is refused if it is."""

    form: Mapping[str, str]
    action: str
    ids: list[str] = field(default_factory=list)
    many: bool = False
    refusal: SimError | None = None  # e.g. too many ids: answered once the key is checked
    posted: bool = True


@csrf_exempt
def endpoint(request: HttpRequest) -> HttpResponse:
    started = time.monotonic()
    config = SimConfig.load()
    switches = Faults.parse(config.faults)
    incoming = _read(request)
    entry = _entry(incoming)
    plan = faults.plan(switches, incoming.action, incoming.ids)
    if plan.stops_action(switches.timeout_mode):
        response = _fault_response(plan, switches)
    else:
        try:
            response = _answer(incoming, config, plan, entry)
        except Exception:  # a bug of the simulator: still logged, then Django's 500
            entry.detail, entry.http_status = "server error", 500
            entry.duration_ms = (time.monotonic() - started) * 1000
            entry.save()
            raise
    _log(entry, plan, response, started)
    delay = plan.latency + (switches.timeout_seconds if plan.kind == "timeout" else 0)
    return _delayed(request, response, delay)


def _read(request: HttpRequest) -> Incoming:
    form = request.POST if request.method == "POST" else QueryDict()
    incoming = Incoming(form, form.get("action", "").strip(), posted=request.method == "POST")
    if not incoming.posted:
        return incoming
    try:
        incoming.ids, incoming.many = parse_ids(incoming.action, form)
    except SimError as error:
        incoming.refusal = error
    return incoming


def _answer(
    incoming: Incoming, config: SimConfig, plan: FaultPlan, entry: SimRequest
) -> HttpResponse:
    dialect = Dialect.parse(config.dialect)
    render = Renderer(dialect)
    try:
        call = _call(incoming, config, render, plan)
        payload = ACTIONS[incoming.action](call)
        entry.account_id, entry.order_id = call.account.pk, call.record.get("order_id")
        entry.outcome = SimRequest.Outcome.OK
    except SimError as error:
        payload, entry.detail = render.error(error.text), error.text
    body = json.dumps(payload, separators=(",", ":")).encode()
    if plan.kind == "malformed":
        body = faults.garble(body, plan.variant)
    return HttpResponse(body, content_type=dialect.content_type)


def _call(incoming: Incoming, config: SimConfig, render: Renderer, plan: FaultPlan) -> Call:
    if not incoming.posted:  # real panels take POST only
        raise SimError(errors.INCORRECT_REQUEST)
    key = incoming.form.get("key", "").strip()
    account = SimAccount.objects.filter(api_key=key).first() if key else None
    if account is None:
        raise SimError(errors.INVALID_KEY)
    if account.suspended:
        raise SimError(errors.ACCOUNT_DISABLED)
    if incoming.action not in ACTIONS:
        raise SimError(errors.INCORRECT_REQUEST)
    if incoming.refusal:
        raise incoming.refusal
    behaviour = Behaviour.parse(config.behaviour)
    return Call(
        incoming.form,
        account,
        behaviour,
        render,
        now=config.now(),
        ids=incoming.ids,
        many=incoming.many,
        failing=plan.failing,
    )


def _entry(incoming: Incoming) -> SimRequest:
    form = incoming.form
    entry = SimRequest(action=incoming.action[:32], outcome=SimRequest.Outcome.ERROR)
    if incoming.action == "add":  # what the client sent, to tell retries of one order apart
        entry.service_id = as_number(form.get("service", ""))
        entry.link = (form.get("link") or form.get("username") or "")[:500]
        entry.quantity = as_number(form.get("quantity", ""))
    if incoming.ids:
        entry.ids_count, entry.ids = len(incoming.ids), ",".join(incoming.ids)[:4000]
    else:  # refused before parsing (e.g. too many ids): still say how many were sent
        sent = form.get("orders") or form.get("refills") or ""
        entry.ids_count = len([part for part in sent.split(",") if part.strip()])
    return entry


def _fault_response(plan: FaultPlan, switches: Faults) -> HttpResponse:
    if plan.kind == "rate_limit":
        return faults.rate_limited(switches.retry_after)
    return faults.html_error(504 if plan.kind == "timeout" else plan.status)


def _log(entry: SimRequest, plan: FaultPlan, response: HttpResponse, started: float) -> None:
    if plan.kind:
        entry.outcome, entry.detail = SimRequest.Outcome.FAULT, plan.name
    elif plan.failing and entry.outcome == SimRequest.Outcome.OK:
        entry.detail = plan.name
    entry.http_status = response.status_code
    entry.duration_ms = (time.monotonic() - started) * 1000
    entry.save()


def _delayed(request: HttpRequest, response: HttpResponse, delay: float) -> HttpResponse:
    if delay > 0:
        if request.META.get(IN_PROCESS):
            response[DELAY_HEADER] = f"{delay:.3f}"  # the adapter decides: wait, or time out
        else:
            time.sleep(delay)
    return response
