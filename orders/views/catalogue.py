"""The catalogue: every provider's services, searchable; admins enable them and set markups."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from orders.models import Markup, Provider, Service
from orders.permissions import staff_required
from orders.selectors import catalogue as read
from orders.services.catalogue_admin import MarkupInvalid, service_enable, service_markup_set

PAGE_SIZE = 50
TRISTATE = [("", gettext_lazy("Any")), ("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
SINCE_SYNC = [
    ("", gettext_lazy("Any")),
    ("new", gettext_lazy("New at last sync")),
    ("changed", gettext_lazy("Changed at last sync")),
    ("removed", gettext_lazy("Removed at last sync")),
    ("gone", gettext_lazy("Removed (any time)")),
    ("current", gettext_lazy("Still offered")),
]
TEMPLATE = "orders/catalogue/service_list.html"
DETAIL = "orders/catalogue/service_detail.html"


class ServiceFilterForm(forms.Form):
    q = forms.CharField(required=False, label=gettext_lazy("Search"), max_length=200)
    provider = forms.ModelChoiceField(
        Provider.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All providers"),
        label=gettext_lazy("Provider"),
    )
    category = forms.ChoiceField(required=False, label=gettext_lazy("Category"))
    type = forms.ChoiceField(required=False, label=gettext_lazy("Type"))
    refill = forms.ChoiceField(choices=TRISTATE, required=False, label=gettext_lazy("Refill"))
    cancel = forms.ChoiceField(choices=TRISTATE, required=False, label=gettext_lazy("Cancel"))
    enabled = forms.ChoiceField(choices=TRISTATE, required=False, label=gettext_lazy("Enabled"))
    since_sync = forms.ChoiceField(
        choices=SINCE_SYNC, required=False, label=gettext_lazy("Since last sync")
    )

    def __init__(self, data, *, categories: list[str], types: list[str]):
        super().__init__(data)
        any_ = [("", _("Any"))]
        self.fields["category"].choices = any_ + [(c, c) for c in categories]  # type: ignore[attr-defined]
        self.fields["type"].choices = any_ + [(t, t) for t in types]  # type: ignore[attr-defined]

    def filters(self) -> read.ServiceFilter:
        """The valid filters; one that no longer fits (a stale link) is dropped, not fatal."""
        self.is_valid()
        data = {name: "" for name in self.fields} | {"provider": None} | self.cleaned_data
        tristate = {"yes": True, "no": False}
        return read.ServiceFilter(
            q=data["q"],
            provider=data["provider"],
            category=data["category"],
            type=data["type"],
            refill=tristate.get(data["refill"]),
            cancel=tristate.get(data["cancel"]),
            enabled=tristate.get(data["enabled"]),
            since_sync=data["since_sync"],
        )


class MarkupForm(forms.Form):
    markup_kind = forms.ChoiceField(
        choices=[("", gettext_lazy("Provider default")), *Markup.choices],
        required=False,
        label=gettext_lazy("Kind"),
    )
    markup_value = forms.CharField(required=False, label=gettext_lazy("Value"), max_length=30)


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
        "rate": read.price_text(service.rate),
        "selling": read.price_text(service.selling_rate()),
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
