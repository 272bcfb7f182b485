"""Providers: health for everyone; add, edit, test and sync for admins."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from orders.forms.providers import ProviderForm
from orders.models import Provider
from orders.permissions import staff_required
from orders.selectors import providers as read
from orders.services.provider_admin import (
    SYNC_JOBS,
    provider_save,
    provider_sync_now,
    provider_test_connection,
)

FORM = "orders/providers/provider_form.html"


@staff_required(perm="orders.view_provider")
@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "orders/providers/provider_list.html", {"rows": read.provider_health_list()}
    )


@staff_required(perm="orders.add_provider")
def provider_new(request: HttpRequest) -> HttpResponse:
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provider = provider_save(
            provider=form.save(commit=False),
            api_key=form.cleaned_data["new_api_key"],
            user=request.user,
        )
        messages.success(request, _("Provider saved. Test its connection now."))
        return redirect("provider_edit", pk=provider.pk)
    return render(request, FORM, {"form": form, "provider": None})


@staff_required(perm="orders.change_provider")
def provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(Provider, pk=pk)
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST":
        if form.is_valid():
            provider_save(
                provider=form.save(commit=False),
                api_key=form.cleaned_data["new_api_key"],
                user=request.user,
            )
            messages.success(request, _("Provider saved."))
            return redirect("provider_edit", pk=provider.pk)
        provider.refresh_from_db()  # a refused form must not show its values as saved
    health = read.provider_health(provider)
    return render(request, FORM, {"form": form, "provider": provider, "health": health})


@staff_required(perm="orders.change_provider")
@require_POST
def provider_test(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(Provider, pk=pk)
    check = provider_test_connection(provider=provider)
    if request.headers.get("HX-Request") == "true":
        provider.refresh_from_db()  # the call also moved its health fields
        context = {"check": check, "provider": provider, "health": read.provider_health(provider)}
        return render(request, f"{FORM}#test_result", context)
    (messages.success if check.ok else messages.error)(request, check.message)
    return redirect("provider_edit", pk=provider.pk)


@staff_required(perm="orders.change_provider")
@require_POST
def provider_sync(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(Provider, pk=pk)
    job = request.POST.get("job", "")
    if job not in SYNC_JOBS:
        messages.error(request, _("Unknown sync."))
    elif provider_sync_now(provider=provider, job=job):
        what = _("Catalogue sync") if job == "sync_catalogue" else _("Balance check")
        messages.success(
            request,
            _("%(what)s for %(name)s is queued; a worker runs it within moments.")
            % {"what": what, "name": provider.name},
        )
    else:
        messages.error(request, _("The task queue cannot be reached: is the broker running?"))
    return redirect(_back(request, reverse("provider_list")))


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


urlpatterns = [
    path("providers/", provider_list, name="provider_list"),
    path("providers/new/", provider_new, name="provider_new"),
    path("providers/<int:pk>/edit/", provider_edit, name="provider_edit"),
    path("providers/<int:pk>/test/", provider_test, name="provider_test"),
    path("providers/<int:pk>/sync/", provider_sync, name="provider_sync"),
]
