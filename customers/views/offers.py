"""Our services: what customers can buy, each over one provider service."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from customers.forms.offers import OfferForm
from customers.models import Offer
from customers.selectors.offers import offers_list
from customers.services.offers import OfferRefused, offer_set_on_sale
from orders.models import Service
from orders.permissions import staff_required
from orders.selectors.placement import SEARCH_LIMIT, service_search
from orders.services.audit import audit_record

FORM = "customers/offer_form.html"


@staff_required(perm="customers.view_offer")
@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:200]
    return render(request, "customers/offers.html", {"rows": offers_list(search), "search": search})


@staff_required(perm="customers.add_offer")
def offer_new(request: HttpRequest) -> HttpResponse:
    picked = request.POST.get("service") or request.GET.get("service", "")
    service = _service(picked) if picked else None
    if service is None:  # first pick the provider service it sells
        query = request.GET.get("q", "").strip()[:200]
        results = service_search(query, limit=SEARCH_LIMIT) if query else None
        return render(request, FORM, {"query": query, "results": results, "offer": None})
    form = OfferForm(request.POST or None, service=service, label_suffix="")
    if request.method == "POST" and form.is_valid():
        offer = form.save()
        audit_record(actor=request.user, action="our service added", target=_target(offer))
        messages.success(request, _("%(offer)s is on sale.") % {"offer": offer})
        return redirect("offer_list")
    return render(request, FORM, {"form": form, "service": service, "offer": None})


@staff_required(perm="customers.change_offer")
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("service__provider"), pk=pk)
    form = OfferForm(request.POST or None, instance=offer, service=offer.service, label_suffix="")
    if request.method == "POST":
        if form.is_valid():
            form.save()
            audit_record(
                actor=request.user,
                action="our service changed",
                target=_target(offer),
                fields=", ".join(form.changed_data),
            )
            messages.success(request, _("Saved."))
            return redirect("offer_list")
        offer.refresh_from_db()
    return render(request, FORM, {"form": form, "service": offer.service, "offer": offer})


@require_POST
@staff_required(perm="customers.change_offer")
def offer_enabled(request: HttpRequest, pk: int) -> HttpResponse:
    """Set (not flip) what the button showed, so a double click cannot undo itself."""
    offer = get_object_or_404(Offer.objects.select_related("service__provider"), pk=pk)
    enable = request.POST.get("enabled") == "1"
    try:
        offer_set_on_sale(offer=offer, on_sale=enable, actor=request.user)
    except OfferRefused as refusal:
        messages.error(
            request, _("%(offer)s stays off: %(why)s") % {"offer": offer, "why": refusal}
        )
        return redirect("offer_list")
    state = _("on sale") if enable else _("off sale")
    messages.success(request, _("%(offer)s is now %(state)s.") % {"offer": offer, "state": state})
    return redirect("offer_list")


def _service(text: str) -> Service | None:
    if not text.isdigit() or len(text) > 18:
        raise Http404(_("No such service."))
    return get_object_or_404(Service.objects.select_related("provider"), pk=int(text))


def _target(offer: Offer) -> str:
    return f"our service #{offer.pk}"


urlpatterns = [
    path("customers/services/", offer_list, name="offer_list"),
    path("customers/services/new/", offer_new, name="offer_new"),
    path("customers/services/<int:pk>/", offer_edit, name="offer_edit"),
    path("customers/services/<int:pk>/enabled/", offer_enabled, name="offer_enabled"),
]
