"""The orders list's rows, their live cells, and an order's timeline, written in Python.

These are the long, repeated parts of the two busiest pages: 50 rows of ~25 values each, up
to 200 timeline events. Through the template language each value cost microseconds and
each filter, `{% url %}` or `get_…_display` tens of them, which made them most of those
pages' time. Like the admin's changelist rows (`admin_list.items_for_result`), they are
written here instead, with the functions the filters use (intcomma, local time,
translations) and every value escaped, in the markup the templates had, byte for byte (the
odd "\n  " below is the templates' whitespace).
"""

from collections.abc import Iterable
from datetime import datetime
from functools import cached_property
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from orders.models import EventKind, LocalState, Order, Status
from orders.money import money_text
from orders.selectors.orders import EventLine, order_is_active

register = template.Library()

STATE_LABELS = dict(LocalState.choices)
STATUS_LABELS = dict(Status.choices)
KIND_LABELS = dict(EventKind.choices)
OOB = ' hx-swap-oob="true"'


@register.simple_tag
def order_rows(orders: Iterable[Order], can_act: bool) -> SafeString:
    """A <tr> for each order of the list; with `can_act`, a checkbox to pick it."""
    page = _Page()
    return mark_safe("".join(_row(order, page, can_act) for order in orders))


@register.simple_tag
def order_live_cells(orders: Iterable[Order]) -> SafeString:
    """The live cells (progress, status, charge) of each order, swapped in by id, out of
    band: the rest of the row, its checkbox included, stays as it is."""
    page = _Page()
    return mark_safe("".join("".join(_cells(order, page, OOB)) for order in orders))


@register.simple_tag
def order_timeline(events: Iterable[EventLine]) -> SafeString:
    """An <li> for each event, newest first."""
    page = _Page()
    return mark_safe("".join(_event(event, page) for event in events))


class _Page:
    """What one page's rows share, made once: the time zone, translations, the detail URL,
    and escaped names and labels and grouped numbers (they repeat from row to row)."""

    def __init__(self) -> None:
        self._escaped: dict[str, str] = {}
        self._grouped: dict[int, str] = {}
        self._labels: dict[tuple[int, str], str] = {}
        # What |date converts to (USE_TZ is on: every stored time is aware).
        self.zone = timezone.get_current_timezone()

    def escape(self, value: str) -> str:
        found = self._escaped.get(value)
        if found is None:
            found = self._escaped[value] = escape(value)
        return found

    def label(self, labels: dict, value: str) -> str:
        """get_…_display: the choice's label (translated), or the value itself."""
        key = (id(labels), value)
        found = self._labels.get(key)
        if found is None:
            found = self._labels[key] = escape(str(labels.get(value, value)))
        return found

    def grouped(self, number: int) -> str:
        """|intcomma: thousands grouped as the current language groups them."""
        found = self._grouped.get(number)
        if found is None:
            found = self._grouped[number] = escape(intcomma(number))
        return found

    def url(self, pk: int) -> str:
        head, tail = self._detail_url
        return escape(f"{head}{pk}{tail}")

    @cached_property
    def _detail_url(self) -> tuple[str, str]:
        """order_detail's URL around the id, from one reverse() (each costs ~45 µs)."""
        head, _, tail = reverse("order_detail", args=[0]).rpartition("/0/")
        return f"{head}/", f"/{tail}"

    # {% translate %} escapes the translation; {% blocktranslate %} escapes only the values.
    @cached_property
    def delivered(self) -> str:
        return escape(gettext("Delivered"))

    @cached_property
    def missing(self) -> str:
        return escape(gettext("Missing upstream"))

    @cached_property
    def pick(self) -> str:
        return gettext("Select order #%(pk)s")

    @cached_property
    def customer(self) -> str:
        return escape(gettext("for %(name)s"))

    @cached_property
    def ordered(self) -> str:
        return gettext("%(n)s ordered")


def _row(order: Any, page: _Page, can_act: bool) -> str:
    """`order` is one of orders_page's: an Order with LIST_NAMES' annotations."""
    pk = order.pk
    active = ' class="active"' if order_is_active(order) else ""
    pick = _pick(pk, page) if can_act else ""
    created = order.created_at.astimezone(page.zone)
    service, provider = page.escape(order.service_name), page.escape(order.provider_name)
    link = escape(order.link)
    quantity = "—" if order.quantity is None else page.grouped(order.quantity)
    progress, status, charge = _cells(order, page, "")
    return (
        f'\n<tr id="order-{pk}"{active}>\n'
        f"  {pick}\n"
        f'  <td class="c-id nowrap"><a href="{page.url(pk)}">#{pk}</a></td>\n'
        f'  <td class="c-created nowrap"><time datetime="{created.isoformat()}">'
        f"{_day(created)} {created:%H:%M}</time></td>\n"
        f'  <td class="c-service"><div class="truncate service-name" title="{service}">'
        f"{service}</div>\n"
        f'    <div class="muted small truncate service-meta">{provider} · '
        f'{page.escape(order.order_type)} · <span class="mono">{order.service_upstream_id}</span>'
        f"{_customer(order, page)}</div></td>\n"
        f'  <td class="c-link"><div class="truncate link-cell" title="{link}">{link or "—"}'
        f"</div></td>\n"
        f'  <td class="c-qty num">{quantity}</td>\n'
        f'  <td class="c-progress">{progress}</td>\n'
        f'  <td class="c-status">{status}</td>\n'
        f'  <td class="c-charge num">{charge}</td>\n'
        f"</tr>\n"
    )


def _customer(order: Any, page: _Page) -> str:
    """· for <customer>, on a customer's order (the list's rows only)."""
    name = getattr(order, "customer_name", None)
    if not name:
        return ""
    return f' · <span class="customer-name">{page.customer % {"name": page.escape(name)}}</span>'


def _pick(pk: int, page: _Page) -> str:
    label = page.pick % {"pk": pk}
    return (
        f'<td class="c-pick"><input type="checkbox" name="order" value="{pk}" form="bulk"'
        f' aria-label="{label}"></td>'
    )


def _cells(order: Order, page: _Page, oob: str) -> tuple[str, str, str]:
    """The progress, status and charge cells' contents, each a <div> with an id."""
    pk = order.pk
    missing = f'<span class="badge bad">{page.missing}</span>' if order.missing_upstream else ""
    charge = escape(money_text(order.charge, order.currency))
    return (
        f'\n<div id="order-{pk}-progress" class="order-progress"{oob}>\n'
        f"  {_progress(order, page)}\n</div>\n",
        f'\n<div id="order-{pk}-status" class="badges"{oob}>\n'
        f"  {_badge(order, page)}\n  {missing}\n</div>\n",
        f'\n<div id="order-{pk}-charge"{oob}>{charge}</div>\n',
    )


def _progress(order: Order, page: _Page) -> str:
    """A bar of delivered / ordered once started upstream, a dash while placed but not
    started, else what was ordered."""
    quantity = order.quantity
    if not quantity:
        return '<span class="muted">—</span>'
    grouped = page.grouped(quantity)
    if order.state != LocalState.PLACED:
        return f'<span class="progress-label">{page.ordered % {"n": grouped}}</span>\n  '
    delivered = order.delivered
    if delivered is None:
        return '<span class="muted">—</span>'
    done = ' class="done"' if delivered == quantity else ""
    return (
        f'\n    <progress max="{quantity}" value="{delivered}" aria-label="{page.delivered}"'
        f"{done}></progress>\n"
        f'    <span class="progress-label">{page.grouped(delivered)} / {grouped}</span>\n  '
    )


def _badge(order: Order, page: _Page) -> str:
    """The local state until the order is placed, then the upstream status (the state again
    while no status is known)."""
    state, status = order.state, order.status
    if state != LocalState.PLACED:
        label = page.label(STATE_LABELS, state)
        return f'<span class="badge {page.escape(state)}">{label}</span>\n  '
    if status:
        label = page.label(STATUS_LABELS, status)
        return f'<span class="badge {page.escape(status)}">{label}</span>\n  '
    return f'<span class="badge placed">{page.label(STATE_LABELS, state)}</span>'


def _event(event: EventLine, page: _Page) -> str:
    at = event.at.astimezone(page.zone)
    actor = f' <span class="muted">— {page.escape(event.actor)}</span>' if event.actor else ""
    return (
        f'\n        <li class="{page.escape(event.kind)}"><time datetime="{at.isoformat()}">'
        f"{_day(at)} {at:%H:%M:%S}</time>"
        f'<span class="badge">{page.label(KIND_LABELS, event.kind)}</span>'
        f" {escape(event.message)}{actor}</li>\n        "
    )


def _day(moment: datetime) -> str:
    """|date:"Y-m-d" (strftime's %Y does not pad years before 1000)."""
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
