"""The orders list (filters, keyset pages, live rows, bulk refill/cancel, CSV) and one order."""

import csv
from collections.abc import Callable, Iterable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from customers.models import Customer
from orders.forms.orders import OrderFilterForm
from orders.forms.recovery import UpstreamIdForm
from orders.models import LocalState, Order
from orders.permissions import staff_required
from orders.selectors.actions import cancel_refusal, refill_refusal
from orders.selectors.orders import (
    PAGE_SIZE,
    order_detail,
    order_for_detail,
    order_is_active,
    orders_export_rows,
    orders_for_action,
    orders_page,
    orders_rows,
)
from orders.selectors.tab_counts import TabCounts, order_tab_counts, order_tab_counts_cached
from orders.selectors.tabs import TABS
from orders.services.actions import ActionOutcome, orders_cancel, orders_refill
from orders.services.recovery import (
    ActionRefused,
    NeedsConfirmation,
    order_candidates,
    order_confirm_not_placed,
    order_confirm_upstream,
)
from orders.spreadsheet import Echo, inert

MAX_SELECTED = 500
# Fields that do not narrow the list down as the filter box does (the tabs and the
# customer line say their own).
UNSHOWN = ("sort", "tab", "customer")
# Column → the sort its first click asks for; a second click reverses it.
SORTABLE = {"created": "-created", "charge": "-charge", "status": "status"}


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
        "filtered": any(filters.data.get(name) for name in filters.fields if name not in UNSHOWN),
        "page": page,
        "page_size": PAGE_SIZE,
        "first_page": not page.prev_cursor,
        "columns": _sort_columns(sort),
        "by_time": sort in ("-created", "created"),
        "newest_first": sort == "-created",
        "live_ids": _live_ids(page.rows),
        "can_act": _can_act(request),
        "for_customer": _customer(filters.rules().customer_id),
        # Counts kept from a moment ago come with the page; else the page asks for them.
        **_tabs(request, filters, order_tab_counts_cached(filters.rules())),
    }
    return render(request, "orders/orders/list.html", context)


@staff_required
def order_list_counts(request: HttpRequest) -> HttpResponse:
    """The tabs with their counts, for the list that asked (same query string)."""
    filters = _filters(request)
    context = _tabs(request, filters, order_tab_counts(filters.rules()))
    return render(request, "orders/orders/list.html#tabs", context)


def _tabs(request: HttpRequest, filters: OrderFilterForm, counts: TabCounts | None) -> dict:
    current = filters.rules().tab
    tabs = []
    for tab in TABS:
        query = request.GET.copy()
        for name in ("tab", "after", "before"):
            query.pop(name, None)
        if tab.key:
            query["tab"] = tab.key
        tabs.append(
            {
                "key": tab.key or "all",
                "label": tab.label,
                "help": tab.help,
                "query": query.urlencode(),
                "current": tab.key == current,
                "count": counts.counts[tab.key] if counts else None,
            }
        )
    return {
        "tabs": tabs,
        "tab_counts": counts,
        "current_tab": next(tab for tab in tabs if tab["current"]),
    }


def _customer(pk: int | None) -> Customer | None:
    return Customer.objects.only("pk", "name").filter(pk=pk).first() if pk else None


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


@staff_required
def order_export(request: HttpRequest) -> StreamingHttpResponse:
    filters = _filters(request)
    writer = csv.writer(Echo())
    lines = (
        writer.writerow([inert(cell) for cell in row])
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
    doubts=(),
) -> HttpResponse:
    """The order's page; `fragment` True for its live part, or a partial's name."""
    detail = order_detail(order)
    resolving = order.state == LocalState.UNVERIFIED and request.user.has_perm(
        "orders.resolve_order"
    )
    context = {
        "detail": detail,
        "order": order,
        "refill_refusal": refill_refusal(
            order, refilling=any(not refill.is_final for refill in detail.refills)
        ),
        "cancel_refusal": cancel_refusal(order),
        "cancel_asked": any(cancel.accepted for cancel in detail.cancels),
        "upstream_form": form or UpstreamIdForm(label_suffix=""),
        "candidates": order_candidates(order=order) if resolving and not fragment else None,
        "doubts": doubts,
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
    doubts: list[str] = []
    if form.is_valid():
        upstream_id = form.cleaned_data["upstream_id"]
        try:
            order_confirm_upstream(
                order=order,
                upstream_id=upstream_id,
                user=request.user,
                despite_doubts=form.despite_doubts(),
            )
        except NeedsConfirmation as exc:
            doubts = exc.doubts
        except ActionRefused as exc:
            form.add_error("upstream_id", str(exc))
        else:
            messages.success(request, _("Confirmed: tracking upstream order %s.") % upstream_id)
            return redirect("order_detail", pk=pk)
    return _detail(request, order, form, doubts=doubts)


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
    path("orders/counts/", order_list_counts, name="order_list_counts"),
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
