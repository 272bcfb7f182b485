"""The refills list: newest first, filtered by status, keyset pages."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy

from orders.models import RefillStatus
from orders.permissions import staff_required
from orders.selectors.refills import refills_page


class RefillFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any")), *RefillStatus.choices],
    )


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
