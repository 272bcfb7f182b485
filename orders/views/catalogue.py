"""The catalogue: every provider's services, searchable; admins enable them and set markups."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from orders.forms.catalogue import MarkupForm, ServiceFilterForm
from orders.models import Service
from orders.money import money_text
from orders.permissions import staff_required
from orders.selectors import catalogue as read
from orders.services.catalogue_admin import MarkupInvalid, service_enable, service_markup_set

PAGE_SIZE = 50
TEMPLATE = "orders/catalogue/service_list.html"
DETAIL = "orders/catalogue/service_detail.html"


@staff_required(perm="orders.view_service")
@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    form = ServiceFilterForm(
        request.GET, categories=read.service_categories(), types=read.service_types()
    )
    page = Paginator(read.service_search(form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    active = sum(1 for name in form.fields if name != "q" and request.GET.get(name))
    context = {
        "form": form,
        "page": page,
        "rows": [_row(s) for s in page.object_list],
        "active_filters": active,
    }
    if request.headers.get("HX-Target") == "catalogue-results":
        return render(request, f"{TEMPLATE}#results", context)
    return render(request, TEMPLATE, context)


@staff_required(perm="orders.view_service")
@require_GET
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("provider"), pk=pk)
    if request.GET.get("collapsed"):
        return render(request, f"{TEMPLATE}#detail_placeholder", {"service": service})
    initial = {"markup_kind": service.markup_kind, "markup_value": service.markup_value or ""}
    return _render_detail(request, service, MarkupForm(initial=initial))


@staff_required(perm="orders.change_service")
@require_POST
def service_markup(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("provider"), pk=pk)
    form = MarkupForm(request.POST)
    if form.is_valid():
        try:
            service_markup_set(
                service=service,
                kind=form.cleaned_data["markup_kind"],
                value=form.cleaned_data["markup_value"],
                user=request.user,
            )
        except MarkupInvalid as exc:
            for name, errors in exc.errors.items():
                for error in errors:
                    form.add_error(name, error)
    if form.errors:
        return _render_detail(request, service, form)
    if not _htmx(request):
        messages.success(request, _("Markup saved."))
        return redirect("service_detail", pk=service.pk)
    return _render_detail(request, service, MarkupForm(initial=form.cleaned_data), saved=True)


@staff_required(perm="orders.change_service")
@require_POST
def service_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Set (not flip) the flag the button showed, so a double click cannot undo itself."""
    service = get_object_or_404(Service.objects.select_related("provider"), pk=pk)
    service_enable(service=service, enabled=request.POST.get("enabled") == "1", user=request.user)
    if _htmx(request):
        return render(request, f"{TEMPLATE}#row", {"row": _row(service)})
    state = _("enabled") if service.enabled else _("disabled")
    messages.success(request, _("%(name)s is now %(state)s.") % {"name": service, "state": state})
    return redirect(_back(request))


def _render_detail(request, service: Service, form: MarkupForm, saved: bool = False):
    context = {
        "row": _row(service),
        "service": service,
        "history": read.service_history(service),
        "markup_form": form,
        "saved": saved,
    }
    if _htmx(request):
        return render(request, f"{TEMPLATE}#detail", context | {"inline": True})
    return render(request, DETAIL, context)


def _row(service: Service) -> dict:
    return {
        "service": service,
        "rate": money_text(service.rate),
        "selling": money_text(service.selling_rate()),
        "markup": read.markup_text(service),
        "type_known": read.type_is_known(service.type),
        "mark": read.sync_mark(service),
    }


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("service_list")


urlpatterns = [
    path("catalogue/", service_list, name="service_list"),
    path("catalogue/<int:pk>/", service_detail, name="service_detail"),
    path("catalogue/<int:pk>/markup/", service_markup, name="service_markup"),
    path("catalogue/<int:pk>/enabled/", service_toggle, name="service_toggle"),
]
