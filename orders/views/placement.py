"""Placing orders: one order built from its type's fields, or many pasted as lines."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from customers.forms.ordering import CustomerChoiceForm, no_offer_text, short_text
from customers.selectors.offers import offer_for_service
from customers.services.account import NotEnoughFunds
from customers.services.ordering import customer_order
from orders.forms.mass_order import MassOrderForm, type_formats
from orders.forms.placement import CARRIED, OrderForm, new_token, token_ok
from orders.models import Order
from orders.permissions import staff_required
from orders.selectors.placement import (
    SEARCH_LIMIT,
    ServiceOption,
    order_by_idempotency_key,
    orders_for_results,
    providers_for_mass_order,
    service_for_order,
    service_search,
)
from orders.services.mass_order import (
    MAX_LINES,
    LineResult,
    mass_order_check,
    mass_order_place,
)
from orders.services.placement import OrderInvalid, order_place
from orders.services.placement_estimate import order_estimate

PLACE = "orders.place_order"
NEW = "orders/placement/new.html"
MASS = "orders/placement/mass.html"
RESULTS = "orders/placement/mass_results.html"
KEPT_BATCHES = 3  # mass-order results kept in the session for their page


@staff_required(perm=PLACE)
def order_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _order_submit(request)
    option = service_for_order(request.GET["service"]) if request.GET.get("service") else None
    chooser = CustomerChoiceForm(initial={"customer": request.GET.get("customer", "")})
    context = _order_area(option, initial=_carried(request)) | _search(request)
    return render(request, NEW, context | {"customer_form": chooser})


@staff_required(perm=PLACE)
def order_new_services(request: HttpRequest) -> HttpResponse:
    return render(request, f"{NEW}#service_results", _search(request))


@staff_required(perm=PLACE)
def order_new_fields(request: HttpRequest) -> HttpResponse:
    option = service_for_order(request.GET.get("pick", ""))
    if option is None:
        raise Http404(_("No such service."))
    context = _order_area(option, initial=_carried(request), autofocus=True) | {"swapped": True}
    return render(request, f"{NEW}#order_area", context)


@staff_required(perm=PLACE)
def order_new_estimate(request: HttpRequest) -> HttpResponse:
    option = service_for_order(request.POST.get("service", ""))
    if option is None or option.spec is None:
        raise Http404(_("No such service."))
    form = OrderForm(request.POST, service=option.service, spec=option.spec)
    rate = _customer_rate(request, option)
    estimate = order_estimate(service=option.service, params=form.params(), rate=rate)
    context = {"option": option, "estimate": estimate, "for_customer": rate is not None}
    return render(request, f"{NEW}#estimate", context)


def _customer_rate(request: HttpRequest, option: ServiceOption):
    """What the chosen customer pays per 1000 for this service, if one is chosen and may buy
    it; None prices the order at our own selling rate."""
    chooser = CustomerChoiceForm(request.POST)
    customer = chooser.cleaned_data["customer"] if chooser.is_valid() else None
    offer = offer_for_service(option.service, customer.currency) if customer else None
    return customer.rate_for(offer.rate) if customer and offer else None


def _order_submit(request: HttpRequest) -> HttpResponse:
    option = service_for_order(request.POST.get("service", ""))
    if option is None:
        raise Http404(_("No such service."))
    chooser = CustomerChoiceForm(request.POST)
    page = {"customer_form": chooser}
    if option.spec is None or option.unavailable:
        return render(request, NEW, _order_area(option) | page)  # says why it cannot be ordered
    form, token = _posted_form(request, option)
    if not token:
        form.show_errors({"__all__": [_("The form was incomplete: check it and place again.")]})
        return render(request, NEW, _order_area(option, form=form) | page)
    key = f"new:{request.user.pk}:{token}"
    if placed := order_by_idempotency_key(key):
        messages.info(request, _("This form was already sent: here is the order it placed."))
        return redirect(order_url(placed.pk))
    if not chooser.is_valid():
        form.show_errors({"__all__": [str(e) for e in chooser.errors["customer"]]})
        return render(request, NEW, _order_area(option, form=form) | page)
    customer = chooser.cleaned_data["customer"]
    try:
        order = _place(option, form, request, key, customer)
    except OrderInvalid as invalid:
        form.show_errors(invalid.errors)
        return render(request, NEW, _order_area(option, form=form) | page)
    except NotEnoughFunds as short:
        form.show_errors({"__all__": [short_text(short, customer)]})
        return render(request, NEW, _order_area(option, form=form) | page)
    queued = _("Order #%(id)s is queued for %(provider)s.")
    messages.success(request, queued % {"id": order.pk, "provider": option.service.provider})
    return redirect(order_url(order.pk))


def _place(
    option: ServiceOption, form: OrderForm, request: HttpRequest, key: str, customer
) -> Order:
    """A staff order, or with `customer` theirs: through our service over the picked one,
    charged to their account."""
    if customer is None:
        return order_place(
            service=option.service, params=form.params(), user=request.user, idempotency_key=key
        )
    offer = offer_for_service(option.service, customer.currency)
    if offer is None:
        raise OrderInvalid({"__all__": [no_offer_text(option.service, customer)]})
    return customer_order(
        customer=customer,
        offer_id=offer.pk,
        params=form.params(),
        user=request.user,
        idempotency_key=key,
    )


def _posted_form(request: HttpRequest, option: ServiceOption) -> tuple[OrderForm, str]:
    """The posted form and its one-time token; a form without one gets a new token."""
    assert option.spec is not None
    data, token = request.POST.copy(), request.POST.get("token", "")
    if not token_ok(token):
        data["token"], token = new_token(), ""
    return OrderForm(data, service=option.service, spec=option.spec), token


def _order_area(option: ServiceOption | None, *, form=None, initial=None, autofocus=False) -> dict:
    """The picked service, and its form and estimate when it can be ordered."""
    if option is None or option.spec is None or option.unavailable:
        return {"option": option}
    form = form or OrderForm(
        service=option.service, spec=option.spec, initial=initial, autofocus=autofocus
    )
    estimate = order_estimate(service=option.service, params=form.params())
    return {"option": option, "form": form, "estimate": estimate}


def _search(request: HttpRequest) -> dict:
    query = request.GET.get("q", "").strip()
    results = service_search(query, limit=SEARCH_LIMIT) if query else None
    return {"query": query, "results": results, "limit": SEARCH_LIMIT}


def _carried(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET[name] for name in CARRIED if request.GET.get(name)}


def order_url(pk: int) -> str:
    return reverse("order_detail", args=[pk])


@staff_required(perm=PLACE)
def mass_order(request: HttpRequest) -> HttpResponse:
    form = MassOrderForm(request.POST or None, providers=providers_for_mass_order())
    context = {"form": form, "formats": type_formats(), "max_lines": MAX_LINES}
    if request.method != "POST" or not form.is_valid():
        return render(request, MASS, context)
    text, provider = form.cleaned_data["lines"], form.cleaned_data["provider"]
    preview = mass_order_check(text, provider=provider)
    token = form.cleaned_data["token"]
    if request.POST.get("step") == "place" and token:
        results = mass_order_place(preview=preview, token=token, user=request.user)
        _remember(request, token, results)
        return redirect("mass_order_results", token=token)
    context |= {"preview": preview, "token": new_token()}
    return render(request, MASS, context)


@staff_required(perm=PLACE)
def mass_order_results(request: HttpRequest, token: str) -> HttpResponse:
    rows = request.session.get("mass_orders", {}).get(token)
    if rows is None:
        messages.info(request, _("Those results are gone; the orders are in the orders list."))
        return redirect("mass_order")
    results = [LineResult.from_list(row) for row in rows]
    orders = orders_for_results(r.order_id for r in results if r.order_id)
    lines = [(r, orders.get(r.order_id or 0)) for r in results]
    placed = sum(1 for r in results if r.order_id)
    context = {"lines": lines, "placed": placed, "failed": len(results) - placed}
    return render(request, RESULTS, context)


def _remember(request: HttpRequest, token: str, results: list[LineResult]) -> None:
    """Keep a batch's results for its page (PRG: a refresh shows them, never re-places)."""
    batches = request.session.get("mass_orders", {})
    batches.pop(token, None)
    batches[token] = [result.as_list() for result in results]
    request.session["mass_orders"] = dict(list(batches.items())[-KEPT_BATCHES:])


urlpatterns = [
    path("orders/new/", order_new, name="order_new"),
    path("orders/new/services/", order_new_services, name="order_new_services"),
    path("orders/new/fields/", order_new_fields, name="order_new_fields"),
    path("orders/new/estimate/", order_new_estimate, name="order_new_estimate"),
    path("orders/mass/", mass_order, name="mass_order"),
    path("orders/mass/<str:token>/", mass_order_results, name="mass_order_results"),
]
