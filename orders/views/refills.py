"""The refills list: newest first, filtered by status, keyset pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from orders.forms.refills import RefillFilterForm
from orders.permissions import staff_required
from orders.selectors.refills import refills_page


@staff_required
def refill_list(request: HttpRequest) -> HttpResponse:
    filters = RefillFilterForm(request.GET, label_suffix="")
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    page = refills_page(
        status=status,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    context = {"filters": filters, "page": page, "first_page": not page.prev_cursor}
    return render(request, "orders/refills/list.html", context)


urlpatterns = [path("refills/", refill_list, name="refill_list")]
