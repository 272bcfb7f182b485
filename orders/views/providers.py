"""Providers: health for everyone; add, edit, test and sync for admins."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from orders.models import Provider
from orders.permissions import staff_required
from orders.selectors import providers as read
from orders.services.catalogue_admin import MarkupInvalid, markup_clean
from orders.services.provider_admin import (
    SYNC_JOBS,
    provider_save,
    provider_sync_now,
    provider_test_connection,
)

FORM = "orders/providers/provider_form.html"
# (field, lowest, highest): beyond these a value is a typo, not a setting.
BOUNDS = (
    ("rate_limit_per_minute", 1, 100_000),
    ("connect_timeout", 0.5, 60),
    ("read_timeout", 1, 300),
    ("call_deadline", 5, 600),
)


class ProviderForm(forms.ModelForm):
    new_api_key = forms.CharField(
        required=False,
        max_length=500,
        label=gettext_lazy("API key"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = Provider
        fields = (
            "name",
            "api_url",
            "new_api_key",
            "currency",
            "low_balance_threshold",
            "rate_limit_per_minute",
            "connect_timeout",
            "read_timeout",
            "call_deadline",
            "default_markup_kind",
            "default_markup_value",
            "is_active",
        )
        labels = {
            "api_url": gettext_lazy("API URL"),
            "is_active": gettext_lazy("Active (orders, polling and syncs run)"),
            "connect_timeout": gettext_lazy("Connect timeout (seconds)"),
            "read_timeout": gettext_lazy("Read timeout (seconds)"),
            "call_deadline": gettext_lazy("Call deadline (seconds)"),
            "default_markup_kind": gettext_lazy("Default markup"),
            "default_markup_value": gettext_lazy("Default markup value"),
        }
        help_texts = {
            "api_url": gettext_lazy(
                "The panel's API v2 address, e.g. https://panel.example/api/v2"
            ),
            "currency": gettext_lazy("Filled in from the balance answer when left blank."),
            "low_balance_threshold": gettext_lazy("Warn when the balance falls under this."),
            "default_markup_value": gettext_lazy("Percent, or an amount per 1000 for fixed."),
            "call_deadline": gettext_lazy("A call whose whole answer is not in by then is cut."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("low_balance_threshold", "default_markup_value"):
            value = self.initial.get(name)
            if isinstance(value, Decimal):  # 10, not the column's 10.00000000
                self.initial[name] = format(value.normalize(), "f")
        key = self.fields["new_api_key"]
        if self.instance.pk:
            key.label = _("New API key")
            key.help_text = _(
                "Stored key: %(hint)s. Leave blank to keep it; type a key only to replace it."
            ) % {"hint": self.instance.api_key_hint or "–"}
        else:
            key.required = True
            key.error_messages["required"] = _("A new provider needs its API key.")
            key.help_text = _("From the provider's API page. Stored encrypted, never shown again.")

    def clean_api_url(self) -> str:
        url = self.cleaned_data["api_url"]
        if not url.lower().startswith(("http://", "https://")):
            raise ValidationError(_("Use an http:// or https:// address."))
        return url

    def clean_low_balance_threshold(self) -> Decimal:
        value = self.cleaned_data["low_balance_threshold"]
        if value < 0:
            raise ValidationError(_("The threshold cannot be negative."))
        return value

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        for name, low, high in BOUNDS:
            value = cleaned.get(name)
            if value is not None and not low <= value <= high:
                self.add_error(
                    name, _("Between %(low)s and %(high)s.") % {"low": low, "high": high}
                )
        kind, value = cleaned.get("default_markup_kind"), cleaned.get("default_markup_value")
        if kind and value is not None:
            try:
                markup_clean(kind, value)
            except MarkupInvalid as exc:
                self.add_error("default_markup_value", exc.errors["markup_value"])
        return cleaned


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
