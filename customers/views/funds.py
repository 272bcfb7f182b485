"""Adding funds to and correcting a customer's balance (through customers.services.account)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customers.forms.funds import CorrectionForm, FundsForm
from customers.models import Customer
from customers.services.account import AccountRefused, balance_correct, funds_add
from customers.views.customers import customer_page
from orders.money import money_text
from orders.permissions import staff_required

FUND = "customers.fund_customer"


@require_POST
@staff_required(perm=FUND)
def customer_funds(request: HttpRequest, pk: int) -> HttpResponse:
    form = FundsForm(request.POST, label_suffix="", prefix="funds")
    return _post(request, pk, form, "funds_form", funds_add, _("Added %(amount)s."))


@require_POST
@staff_required(perm=FUND)
def customer_correct(request: HttpRequest, pk: int) -> HttpResponse:
    form = CorrectionForm(request.POST, label_suffix="", prefix="correct")
    return _post(
        request, pk, form, "correction_form", balance_correct, _("Corrected by %(amount)s.")
    )


def _post(request: HttpRequest, pk: int, form, name: str, write, done: str) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    if form.is_valid():
        amount, reason = form.cleaned_data["amount"], form.cleaned_data["reason"]
        try:
            entry = write(customer=customer, amount=amount, reason=reason, actor=request.user)
        except AccountRefused as exc:
            form.add_error(None, str(exc))
        else:
            figures = {"amount": money_text(amount, entry.currency)}
            balance = money_text(entry.balance_after, entry.currency)
            messages.success(
                request, (done % figures) + " " + _("The balance is now %s.") % balance
            )
            return redirect("customer_detail", pk=pk)
    return customer_page(request, pk, **{name: form, "tab": "account"})


urlpatterns = [
    path("customers/<int:pk>/funds/", customer_funds, name="customer_funds"),
    path("customers/<int:pk>/correct/", customer_correct, name="customer_correct"),
]
