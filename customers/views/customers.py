"""The customers list, one customer's page (orders, account, API keys) and its edit form."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from customers.forms.customers import CustomerForm
from customers.forms.funds import CorrectionForm, FundsForm
from customers.forms.keys import KeyIssueForm
from customers.models import Customer
from customers.selectors import dashboard as read
from orders.permissions import staff_required
from orders.services.audit import audit_record

VIEW = "customers.view_customer"
TABS = ("orders", "account", "keys")


@staff_required(perm=VIEW)
@require_GET
def customer_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:200]
    page = read.customers_page(
        search=search, after=request.GET.get("after", ""), before=request.GET.get("before", "")
    )
    context = {"page": page, "search": search, "first_page": not page.prev_cursor}
    return render(request, "customers/list.html", context)


@staff_required(perm="customers.add_customer")
def customer_new(request: HttpRequest) -> HttpResponse:
    form = CustomerForm(request.POST or None, label_suffix="")
    if request.method == "POST" and form.is_valid():
        customer = form.save()
        audit_record(actor=request.user, action="customer added", target=_target(customer))
        messages.success(request, _("%(name)s added.") % {"name": customer.name})
        return redirect("customer_detail", pk=customer.pk)
    return render(request, "customers/form.html", {"form": form, "customer": None})


@staff_required(perm="customers.change_customer")
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    locked = read.customer_has_entries(customer.pk)
    form = CustomerForm(
        request.POST or None, instance=customer, locked_currency=locked, label_suffix=""
    )
    if request.method == "POST":
        if form.is_valid():
            form.save()
            audit_record(
                actor=request.user,
                action="customer changed",
                target=_target(customer),
                fields=", ".join(form.changed_data),
            )
            messages.success(request, _("Saved."))
            return redirect("customer_detail", pk=customer.pk)
        customer.refresh_from_db()  # the header shows what is saved, not what was refused
    return render(request, "customers/form.html", {"form": form, "customer": customer})


@staff_required(perm=VIEW)
@require_GET
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return customer_page(request, pk)


def customer_page(request: HttpRequest, pk: int, **forms) -> HttpResponse:
    """The customer's page; a refused form comes back in `forms` with its errors."""
    customer = read.customer_for_page(pk)
    if customer is None:
        raise Http404(_("No such customer."))
    tab = forms.pop("tab", None) or request.GET.get("tab", "")
    tab = tab if tab in TABS else TABS[0]
    context = {
        "customer": customer,
        "balance": customer.balance or read.ZERO,  # type: ignore[attr-defined]
        "tab": tab,
        "funds_form": FundsForm(label_suffix="", prefix="funds"),
        "correction_form": CorrectionForm(label_suffix="", prefix="correct"),
        "key_form": KeyIssueForm(label_suffix=""),
        **forms,
    }
    if tab == "orders":
        context["orders"] = read.customer_orders(customer)
    elif tab == "account":
        context["ledger"] = read.customer_ledger(
            customer, after=request.GET.get("after", ""), before=request.GET.get("before", "")
        )
    else:
        context["keys"] = read.customer_keys(customer)
    status = 400 if forms else 200
    return render(request, "customers/detail.html", context, status=status)


def _target(customer: Customer) -> str:
    return f"customer #{customer.pk}"


urlpatterns = [
    path("customers/", customer_list, name="customer_list"),
    path("customers/new/", customer_new, name="customer_new"),
    path("customers/<int:pk>/", customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit/", customer_edit, name="customer_edit"),
]
