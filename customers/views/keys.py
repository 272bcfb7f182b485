"""A customer's API keys: issued (the key shown once, on the next page), revoked."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from customers.forms.keys import KeyIssueForm
from customers.models import ApiKey, Customer
from customers.services.keys import key_issue, key_revoke
from customers.views.customers import customer_page
from orders.permissions import staff_required

# The raw key waits in the session for the one page that shows it (the next request), then
# is gone: shown after a redirect, so reloading that page cannot issue a second key.
SHOWN_ONCE = "issued_key"


@require_POST
@staff_required(perm="customers.add_apikey")
def customer_key_issue(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    form = KeyIssueForm(request.POST, label_suffix="")
    if not form.is_valid():
        return customer_page(request, pk, key_form=form, tab="keys")
    key, raw = key_issue(customer=customer, label=form.cleaned_data["label"], actor=request.user)
    request.session[SHOWN_ONCE] = {"id": key.pk, "raw": raw}
    return redirect("customer_key_new", pk=pk, key_id=key.pk)


@never_cache
@staff_required(perm="customers.add_apikey")
@require_GET
def customer_key_new(request: HttpRequest, pk: int, key_id: int) -> HttpResponse:
    # The customer is compared here, not in the query: a foreign key's lookup does not take
    # an id too big for the database as "no such row" the way the primary key's does.
    key = get_object_or_404(ApiKey.objects.select_related("customer"), pk=key_id)
    if key.customer_id != pk:
        raise Http404("No such key.")
    waiting = request.session.get(SHOWN_ONCE) or {}
    raw = waiting.get("raw") if waiting.get("id") == key.pk else None
    if raw:
        del request.session[SHOWN_ONCE]
    return render(request, "customers/key_new.html", {"key": key, "raw": raw})


@require_POST
@staff_required(perm="customers.change_apikey")
def customer_key_revoke(request: HttpRequest, pk: int, key_id: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, pk=key_id)
    if key.customer_id != pk:
        raise Http404("No such key.")
    if key_revoke(key=key, actor=request.user):
        messages.success(
            request, _("Key %(key)s revoked: it is refused from now on.") % {"key": key}
        )
    else:
        messages.info(request, _("Key %(key)s was already revoked.") % {"key": key})
    return redirect(reverse("customer_detail", args=[pk]) + "?tab=keys")


urlpatterns = [
    path("customers/<int:pk>/keys/", customer_key_issue, name="customer_key_issue"),
    path("customers/<int:pk>/keys/<int:key_id>/new/", customer_key_new, name="customer_key_new"),
    path(
        "customers/<int:pk>/keys/<int:key_id>/revoke/",
        customer_key_revoke,
        name="customer_key_revoke",
    ),
]
