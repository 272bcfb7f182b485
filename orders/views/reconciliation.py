"""A provider's reconciliation: its balance checks against the ledger, and for admins the
actions that explain a difference (acknowledge, top-up, correction)."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from orders.forms.reconciliation import AcknowledgeForm, CorrectionForm, TopUpForm
from orders.models import BalanceCheck, Movement, Provider
from orders.money import money_text
from orders.permissions import staff_required
from orders.selectors import reconciliation as read
from orders.services.reconciliation import (
    Funding,
    ReconcileRefused,
    drift_acknowledge,
    provider_fund,
)

PAGE = "orders/providers/reconciliation.html"
RECONCILE = "orders.reconcile_provider"


def _page(
    request: HttpRequest,
    provider: Provider,
    *,
    chosen: str = "",
    status: int = 200,
    bound: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    bound = bound or {}
    checks = read.provider_checks(provider)
    selected = next((c for c in checks if str(c.pk) == chosen), None)
    if selected is None and chosen.isdigit():
        selected = BalanceCheck.objects.filter(provider=provider, pk=int(chosen)).first()
    selected = selected or read.check_needing_a_look(checks)
    context = {
        "provider": provider,
        "checks": checks,
        "selected": selected,
        "period": read.check_period(selected) if selected and selected.compared_with else None,
        "ledger": read.provider_ledger(provider),
        "acknowledge_form": bound.get("acknowledge_form") or AcknowledgeForm(),
        "top_up_form": bound.get("top_up_form") or TopUpForm(),
        "correction_form": bound.get("correction_form") or CorrectionForm(),
    }
    return render(request, PAGE, context, status=status)


@staff_required(perm="orders.view_provider")
@require_GET
def reconciliation(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(Provider, pk=pk)
    return _page(request, provider, chosen=request.GET.get("check", ""))


@staff_required(perm=RECONCILE)
@require_POST
def check_acknowledge(request: HttpRequest, pk: int, check_id: int) -> HttpResponse:
    check = get_object_or_404(
        BalanceCheck.objects.select_related("provider"), pk=check_id, provider_id=pk
    )
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return _page(
            request,
            check.provider,
            chosen=str(check.pk),
            status=400,
            bound={"acknowledge_form": form},
        )
    try:
        drift_acknowledge(check=check, note=form.cleaned_data["note"], user=request.user)
    except ReconcileRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Drift acknowledged: later checks compare from this balance."))
    return redirect(f"{reverse('provider_reconciliation', args=[pk])}?check={check.pk}")


def _fund(request: HttpRequest, pk: int, kind: Movement, form_class, name: str) -> HttpResponse:
    provider = get_object_or_404(Provider, pk=pk)
    form: forms.Form = form_class(request.POST)
    if not form.is_valid():
        return _page(request, provider, status=400, bound={name: form})
    funding = Funding(kind, form.cleaned_data["amount"], form.cleaned_data["reason"])
    try:
        provider_fund(provider=provider, funding=funding, user=request.user)
    except ReconcileRefused as exc:
        messages.error(request, str(exc))
    else:
        what = _("Top-up") if kind == Movement.TOP_UP else _("Correction")
        amount = money_text(funding.amount, provider.currency)
        messages.success(
            request,
            _("%(what)s of %(amount)s recorded; the next balance check counts it.")
            % {"what": what, "amount": amount},
        )
    return redirect("provider_reconciliation", pk=pk)


@staff_required(perm=RECONCILE)
@require_POST
def provider_top_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _fund(request, pk, Movement.TOP_UP, TopUpForm, "top_up_form")


@staff_required(perm=RECONCILE)
@require_POST
def provider_correction(request: HttpRequest, pk: int) -> HttpResponse:
    return _fund(request, pk, Movement.CORRECTION, CorrectionForm, "correction_form")


urlpatterns = [
    path("providers/<int:pk>/reconciliation/", reconciliation, name="provider_reconciliation"),
    path(
        "providers/<int:pk>/reconciliation/checks/<int:check_id>/acknowledge/",
        check_acknowledge,
        name="check_acknowledge",
    ),
    path("providers/<int:pk>/reconciliation/top-up/", provider_top_up, name="provider_top_up"),
    path(
        "providers/<int:pk>/reconciliation/correction/",
        provider_correction,
        name="provider_correction",
    ),
]
