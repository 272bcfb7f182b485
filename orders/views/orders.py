"""The orders list (filters, keyset pages, live rows, bulk refill/cancel, CSV) and one order."""

import csv
import re
from collections.abc import Callable, Iterable

from django import forms
from django.contrib import messages
from django.forms.models import ModelChoiceIterator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from orders.models import LocalState, Order, Provider, Status
from orders.permissions import staff_required
from orders.selectors.orders import (
    DEFAULT_SORT,
    ORDER_SORTS,
    PAGE_SIZE,
    OrderFilter,
    order_detail,
    order_for_detail,
    order_is_active,
    orders_export_rows,
    orders_for_action,
    orders_page,
    orders_rows,
)
from orders.services.actions import (
    ActionOutcome,
    cancel_refusal,
    orders_cancel,
    orders_refill,
    refill_refusal,
)
from orders.services.recovery import (
    ActionRefused,
    order_confirm_not_placed,
    order_confirm_upstream,
)
from orders.upstream import ORDER_TYPES


def _any(choices: Iterable[tuple[str, object]]) -> list[tuple[str, object]]:
    return [("", gettext_lazy("Any")), *choices]


MAX_SELECTED = 500
# Column → the sort its first click asks for; a second click reverses it.
SORTABLE = {"created": "-created", "charge": "-charge", "status": "status"}


class DateInput(forms.DateInput):
    input_type = "date"


class FilterSelect(forms.Select):
    """Django's <select>, the same markup as its select.html and select_option.html, written
    here instead of through two template includes per option: the filter form's ~40 options
    took as long to render as the list's 50 rows."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group, options, _index in widget["optgroups"]:
            if group:
                html.append(f'\n  <optgroup label="{conditional_escape(group)}">')
            html.extend(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                for option in options
            )
            if group:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))


class ListedChoices(ModelChoiceIterator):
    """The choices read by one plain query. Django's iterator reads them with iterator(),
    which on PostgreSQL opens a server-side cursor: three round trips for a few rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:  # each form's own copy of the field's queryset
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoices


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, ` name` when True, none when False."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


class OrderFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Link or id"), required=False, max_length=300)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=_any(Status.choices),
        widget=FilterSelect,
    )
    state = forms.ChoiceField(
        label=gettext_lazy("Local state"),
        required=False,
        choices=_any(LocalState.choices),
        widget=FilterSelect,
    )
    provider = ListedModelChoiceField(
        Provider.objects.only("pk", "name"),
        label=gettext_lazy("Provider"),
        required=False,
        empty_label=gettext_lazy("Any"),
        widget=FilterSelect,
    )
    service = forms.CharField(label=gettext_lazy("Service"), required=False, max_length=200)
    type = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=_any((spec.name, spec.name) for spec in ORDER_TYPES),
        widget=FilterSelect,
    )
    created_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput)
    created_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DateInput)
    sort = forms.ChoiceField(
        required=False, choices=[(k, k) for k in ORDER_SORTS], widget=forms.HiddenInput
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and start > end:
            self.add_error("created_to", _("The end date is before the start date."))
        return data

    def rules(self) -> OrderFilter:
        """The filter from the fields that are valid; a wrong field is shown, not applied."""
        data = getattr(self, "cleaned_data", {})
        return OrderFilter(
            search=data.get("q", ""),
            status=data.get("status", ""),
            state=data.get("state", ""),
            provider=data.get("provider"),
            service=data.get("service", ""),
            order_type=data.get("type", ""),
            created_from=data.get("created_from"),
            created_to=data.get("created_to") if "created_to" not in self.errors else None,
        )

    def sorting(self) -> str:
        return getattr(self, "cleaned_data", {}).get("sort") or DEFAULT_SORT


class UpstreamIdForm(forms.Form):
    upstream_id = forms.IntegerField(
        label=gettext_lazy("Upstream order id"), min_value=1, max_value=2**63 - 1
    )


def _filters(request: HttpRequest) -> OrderFilterForm:
    form = OrderFilterForm(request.GET, label_suffix="")
    form.is_valid()
    return form


def _sort_columns(current: str) -> dict[str, dict[str, str]]:
    columns = {}
    for name, first in SORTABLE.items():
        opposite = first[1:] if first.startswith("-") else f"-{first}"
        active = current in (first, opposite)
        aria = ("descending" if current.startswith("-") else "ascending") if active else ""
        columns[name] = {"sort": opposite if current == first else first, "aria": aria}
    return columns


@staff_required
def order_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    sort = filters.sorting()
    page = orders_page(
        filters.rules(),
        sort=sort,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    context = {
        "filters": filters,
        "filtered": any(filters.data.get(name) for name in filters.fields if name != "sort"),
        "page": page,
        "page_size": PAGE_SIZE,
        "first_page": not page.prev_cursor,
        "columns": _sort_columns(sort),
        "by_time": sort in ("-created", "created"),
        "newest_first": sort == "-created",
        "live_ids": _live_ids(page.rows),
        "can_act": _can_act(request),
    }
    return render(request, "orders/orders/list.html", context)


def _live_ids(orders: list[Order]) -> list[int]:
    return [order.pk for order in orders if order_is_active(order)]


def _can_act(request: HttpRequest) -> bool:
    return request.user.has_perm("orders.refill_order") or request.user.has_perm(
        "orders.cancel_order"
    )


def _ids(values: Iterable[str]) -> list[int]:
    return [int(v) for v in values if v.strip().isdigit() and len(v.strip()) <= 18]


@staff_required
def order_list_live(request: HttpRequest) -> HttpResponse:
    """The live cells of the given rows (swapped in by id) and the poller for those still
    moving. Only cells are replaced, so checkboxes keep their state."""
    orders = orders_rows(_ids(request.GET.get("ids", "").split(","))[:PAGE_SIZE])
    context = {"orders": orders, "live_ids": _live_ids(orders)}
    return render(request, "orders/orders/list.html#live", context)


class Echo:
    """A file-like sink for csv.writer that hands each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


# A cell a spreadsheet would read as a formula (=HYPERLINK(…), +, -, @, a tab or a carriage
# return first) is written with a ' before it, as OWASP's CSV injection advice says; a real
# number such as -5 stays a number.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def _inert(cell: object) -> object:
    if isinstance(cell, str) and cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
        return f"'{cell}"
    return cell


@staff_required
def order_export(request: HttpRequest) -> StreamingHttpResponse:
    filters = _filters(request)
    writer = csv.writer(Echo())
    lines = (
        writer.writerow([_inert(cell) for cell in row])
        for row in orders_export_rows(filters.rules(), sort=filters.sorting())
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="orders-{stamp}.csv"'
    return response


Action = Callable[..., list[ActionOutcome]]


def _report(
    request: HttpRequest, outcomes: list[ActionOutcome], done: str | Callable[[int], str]
) -> None:
    """One message per order, then a summary, so staff see what happened to each (`done`
    may be a function of the number of orders, for the summary's plural)."""
    for outcome in outcomes:
        note = messages.success if outcome.ok else messages.error
        note(request, f"#{outcome.order.pk}: {outcome.message}")
    ok, total = sum(outcome.ok for outcome in outcomes), len(outcomes)
    summary = done(total) if callable(done) else done
    messages.info(request, summary.format(ok=ok, total=total))


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


def _bulk(request: HttpRequest, action: Action, done: Callable[[int], str]) -> HttpResponse:
    ids = _ids(request.POST.getlist("order"))[:MAX_SELECTED]
    if not ids:
        messages.warning(request, _("Select at least one order first."))
    else:
        outcomes = action(orders=orders_for_action(ids), user=request.user)
        _report(request, outcomes, done)
    return _back(request, reverse("order_list"))


@require_POST
@staff_required(perm="orders.refill_order")
def order_bulk_refill(request: HttpRequest) -> HttpResponse:
    return _bulk(request, orders_refill, _refill_summary)


def _refill_summary(total: int) -> str:
    return ngettext(
        "Refill requested for {ok} of {total} order.",
        "Refill requested for {ok} of {total} orders.",
        total,
    )


def _cancel_summary(total: int) -> str:
    return ngettext(
        "Cancel accepted for {ok} of {total} order.",
        "Cancel accepted for {ok} of {total} orders.",
        total,
    )


@require_POST
@staff_required(perm="orders.cancel_order")
def order_bulk_cancel(request: HttpRequest) -> HttpResponse:
    return _bulk(request, orders_cancel, _cancel_summary)


def _order(pk: int) -> Order:
    order = order_for_detail(pk)
    if order is None:
        raise Http404(_("No such order."))
    return order


def _detail(
    request: HttpRequest,
    order: Order,
    form=None,
    fragment: bool | str = False,
    outcomes: Iterable[ActionOutcome] = (),
):
    """The order's page; `fragment` True for its live part, or a partial's name."""
    detail = order_detail(order)
    context = {
        "detail": detail,
        "order": order,
        "refill_refusal": refill_refusal(
            order, refilling=any(not refill.is_final for refill in detail.refills)
        ),
        "cancel_refusal": cancel_refusal(order),
        "cancel_asked": any(cancel.accepted for cancel in detail.cancels),
        "upstream_form": form or UpstreamIdForm(label_suffix=""),
        "outcomes": outcomes,
    }
    part = "live" if fragment is True else fragment
    template = "orders/orders/detail.html" + (f"#{part}" if part else "")
    return render(request, template, context)


@staff_required
def order_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    fragment = request.GET.get("fragment") == "live"
    return _detail(request, _order(pk), fragment=fragment)


@require_POST
@staff_required(perm="orders.refill_order")
def order_refill(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(pk)
    _report(request, orders_refill(orders=[order], user=request.user), _("Refill: {ok} of 1."))
    return redirect("order_detail", pk=pk)


@require_POST
@staff_required(perm="orders.cancel_order")
def order_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(pk)
    outcomes = orders_cancel(orders=[order], user=request.user)
    if request.headers.get("HX-Request"):  # the page swaps its buttons in, with the outcome
        return _detail(request, _order(pk), fragment="actions", outcomes=outcomes)
    _report(request, outcomes, _("Cancel: {ok} of 1."))
    return redirect("order_detail", pk=pk)


@require_POST
@staff_required(perm="orders.resolve_order")
def order_confirm_upstream_view(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(pk)
    form = UpstreamIdForm(request.POST, label_suffix="")
    if form.is_valid():
        upstream_id = form.cleaned_data["upstream_id"]
        try:
            order_confirm_upstream(order=order, upstream_id=upstream_id, user=request.user)
        except ActionRefused as exc:
            form.add_error("upstream_id", str(exc))
        else:
            messages.success(request, _("Confirmed: tracking upstream order %s.") % upstream_id)
            return redirect("order_detail", pk=pk)
    return _detail(request, order, form)


@require_POST
@staff_required(perm="orders.resolve_order")
def order_confirm_not_placed_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        order_confirm_not_placed(order=_order(pk), user=request.user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Marked as not placed: nothing was bought."))
    return redirect("order_detail", pk=pk)


urlpatterns = [
    path("orders/", order_list, name="order_list"),
    path("orders/live/", order_list_live, name="order_list_live"),
    path("orders/export.csv", order_export, name="order_export"),
    path("orders/bulk/refill/", order_bulk_refill, name="order_bulk_refill"),
    path("orders/bulk/cancel/", order_bulk_cancel, name="order_bulk_cancel"),
    path("orders/<int:pk>/", order_detail_page, name="order_detail"),
    path("orders/<int:pk>/refill/", order_refill, name="order_refill"),
    path("orders/<int:pk>/cancel/", order_cancel, name="order_cancel"),
    path(
        "orders/<int:pk>/confirm-upstream/",
        order_confirm_upstream_view,
        name="order_confirm_upstream",
    ),
    path(
        "orders/<int:pk>/confirm-not-placed/",
        order_confirm_not_placed_view,
        name="order_confirm_not_placed",
    ),
]
