"""The control endpoint (JSON, for tests and benchmarks) and the staff page to flip faults."""

import ipaddress
import json
from typing import Any

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from simulator import control, log
from simulator.config import ConfigError
from simulator.forms import ControlForm, MoneyForm

# Who may change the simulator: the admin role, which manages providers (the simulator is the
# demo provider), and superusers. Other staff may look.
CONTROL_PERMISSION = "orders.change_provider"


def _trusted(request: HttpRequest) -> bool:
    """Staff, or a process on this machine talking to it directly (not through a proxy)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_active and user.is_staff:
        return True
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _may_change(request: HttpRequest) -> bool:
    """A signed-in user needs the permission; a local process with no session (tests,
    benchmarks) steers it as before."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return True
    return user.has_perm(CONTROL_PERMISSION)


def apply(commands: dict[str, Any]) -> None:
    """Run the commands of a control request, in a fixed order."""
    if commands.get("reset"):
        control.reset()
    for name, setter in (
        ("faults", control.set_faults),
        ("dialect", control.set_dialect),
        ("behaviour", control.set_behaviour),
    ):
        if name in commands:
            setter(**(commands[name] or {}))
    if "speed" in commands:
        control.set_speed(float(commands["speed"]))
    if "advance_clock" in commands:
        control.advance_clock(float(commands["advance_clock"]))
    if "account" in commands:
        account = commands["account"]
        control.fund(str(account["key"]), account.get("balance"))
    if "top_up" in commands:
        payment = commands["top_up"]
        control.top_up(
            str(payment["key"]), str(payment["amount"]), str(payment.get("memo", "top-up"))
        )
    if "fee" in commands:
        fee = commands["fee"]
        control.take_fee(str(fee["key"]), str(fee["amount"]), str(fee.get("memo", "fee")))
    if "reprice" in commands:
        control.reprice(float(commands["reprice"]))
    if commands.get("clear_log"):
        log.clear()


# JSON from a browser page on another site needs a CORS preflight, which is never granted:
# requiring application/json is what keeps this exempt view safe from cross-site requests.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def control_endpoint(request: HttpRequest) -> HttpResponse:
    if not _trusted(request):
        return JsonResponse({"error": "Forbidden"}, status=403)
    if request.method == "POST":
        if not _may_change(request):
            return JsonResponse({"error": "Your role may not change the simulator"}, status=403)
        if request.content_type != "application/json":
            return JsonResponse({"error": "Send application/json"}, status=415)
        try:
            commands = json.loads(request.body or b"{}")
            if not isinstance(commands, dict):
                raise ValueError("a JSON object is expected")
            apply(commands)
        except (ConfigError, ValueError, KeyError, TypeError) as exc:
            return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse(control.state())


@require_http_methods(["GET"])
def control_log(request: HttpRequest) -> HttpResponse:
    if not _trusted(request):
        return JsonResponse({"error": "Forbidden"}, status=403)
    action = request.GET.get("action") or None
    since = int(request.GET.get("since") or 0)
    limit = min(int(request.GET.get("limit") or 1000), 10000)
    return JsonResponse({"summary": log.summary(), "entries": log.entries(action, since, limit)})


@staff_member_required
def control_page(request: HttpRequest) -> HttpResponse:
    may_change = _may_change(request)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("Your role may not change the simulator.")
        form = ControlForm(request.POST)
        if form.is_valid():
            try:
                form.save()
            except ConfigError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Simulator settings saved.")
                return redirect("simulator:control-page")
    else:
        form = ControlForm.from_state(control.state())
    for field in form.fields.values():
        field.disabled = not may_change
    context = {"form": form, "state": control.state(), "summary": log.summary()}
    context |= {"may_change": may_change, "money_form": MoneyForm()}
    return render(request, "simulator/control.html", context)


@staff_member_required
@require_http_methods(["POST"])
def control_money(request: HttpRequest) -> HttpResponse:
    """A top-up or a hidden fee on one account, from the staff page."""
    if not _may_change(request):
        raise PermissionDenied("Your role may not change the simulator.")
    form = MoneyForm(request.POST)
    if form.is_valid():
        try:
            balance = form.save()
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Done: the account's balance is {balance}.")
    else:
        messages.error(
            request, "; ".join(str(e) for errors in form.errors.values() for e in errors)
        )
    return redirect("simulator:control-page")
