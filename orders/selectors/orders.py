"""Reads for the orders pages: the filtered list, keyset pages, one order in full, the export.

Pages are cut by keyset (orders.keyset): the last row's sort key, never OFFSET or COUNT.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import DecimalField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from orders.keyset import ID, Key, Page, Sort, keyset_page, ordered, parse_moment
from orders.models import CancelRequest, LocalState, Movement, Order, Provider, Refill
from orders.money import money_text
from orders.selectors.tabs import tab_filter, tab_parts
from orders.upstream import QuantityRule, order_type_for

PAGE_SIZE = 50
TIMELINE_LIMIT = 200
MAX_DIGITS = 18  # beyond a bigint: searched as text, never as an id
NOT_SENT = frozenset({LocalState.QUEUED, LocalState.SUBMITTING})
NOT_BOUGHT = frozenset({LocalState.REJECTED, LocalState.NOT_PLACED})
FINEST = Decimal("0.00001")  # what an order's cost is rounded to (Service.cost_of)

# ---- Sorts ----

CHARGE_OR_NONE = Coalesce(
    "charge", Value(Decimal("-1")), output_field=DecimalField(max_digits=24, decimal_places=8)
)
CREATED = Sort((Key("created_at", True, parse_moment), ID))
# Status sorts within itself by newest first: the order_status_idx (status, -created_at).
STATUS = Sort((Key("status", False, str), Key("created_at", True, parse_moment), ID))
# Orders with no charge yet sort below every charge (a NULL cannot be compared in a keyset).
CHARGE = Sort((Key("charge_sort", True, Decimal), ID), {"charge_sort": CHARGE_OR_NONE})
ORDER_SORTS = {
    "-created": CREATED,
    "created": CREATED.reversed(),
    "-charge": CHARGE,
    "charge": CHARGE.reversed(),
    "status": STATUS,
    "-status": STATUS.reversed(),
}
DEFAULT_SORT = "-created"


# ---- The list ----


@dataclass(frozen=True)
class OrderFilter:
    search: str = ""
    tab: str = ""  # a key of orders.selectors.tabs.TABS; "" for every order
    status: str = ""
    state: str = ""
    provider: Provider | None = None
    service: str = ""
    order_type: str = ""
    created_from: date | None = None
    created_to: date | None = None
    customer_id: int | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _search(text: str) -> Q:
    text = text.strip().lstrip("#")
    if text.isdigit() and len(text) <= MAX_DIGITS:
        number = int(text)
        # Through the provider, so (provider, upstream_id) serves the upstream id as an index.
        upstream = Q(provider__in=Provider.objects.values("pk"), upstream_id=number)
        return Q(pk=number) | upstream
    return Q(link__icontains=text)


def _service(text: str) -> Q:
    text = text.strip()
    if text.isdigit() and len(text) <= MAX_DIGITS:
        return Q(service__upstream_id=int(text))
    return Q(service__name__icontains=text)


def orders_filtered(rules: OrderFilter) -> QuerySet[Order]:
    """Every order matching the filter, unordered; the list and the export both start here."""
    rows = Order.objects.all()
    if rules.search.strip():
        rows = rows.filter(_search(rules.search))
    if rules.tab:
        rows = rows.filter(tab_filter(rules.tab))
    if rules.status:
        rows = rows.filter(status=rules.status)
    if rules.state:
        rows = rows.filter(state=rules.state)
    if rules.provider:
        rows = rows.filter(provider=rules.provider)
    if rules.service.strip():
        rows = rows.filter(_service(rules.service))
    if rules.order_type:
        rows = rows.filter(order_type__iexact=rules.order_type)
    if rules.customer_id is not None:
        rows = rows.filter(customer_id=rules.customer_id)
    if rules.created_from:
        rows = rows.filter(created_at__gte=_day_start(rules.created_from))
    if rules.created_to:
        rows = rows.filter(created_at__lt=_day_start(rules.created_to + timedelta(days=1)))
    return rows


def order_is_active(order: Order) -> bool:
    """Still moving: not sent yet, or placed and not final. Its page and row refresh."""
    if order.state in NOT_SENT:
        return True
    return order.state == LocalState.PLACED and not order.is_final


def _for_rows(rows: QuerySet[Order]) -> QuerySet[Order]:
    # The export never writes params or upstream extras, which can be long (comments, children).
    return rows.select_related("provider", "service").defer(
        "params", "upstream_extra", "service__raw", "service__description"
    )


# What a row of the list shows (the order_rows tags read nothing else): a row costs the
# columns it loads. The provider's and service's names come as annotations, not as model
# instances: three instances a row were a tenth of the page's time.
LIST_FIELDS = (
    "created_at",
    "order_type",
    "link",
    "quantity",
    "state",
    "status",
    "charge",
    "currency",
    "remains",
    "missing_upstream",
)
LIST_NAMES = {
    "provider_name": F("provider__name"),
    "service_name": F("service__name"),
    "service_upstream_id": F("service__upstream_id"),
    "customer_name": F("customer__name"),
}


def _for_list(rows: QuerySet[Order]) -> QuerySet[Order]:
    return rows.only(*LIST_FIELDS).annotate(**LIST_NAMES)


def orders_page(rules: OrderFilter, *, sort: str, after: str = "", before: str = "") -> Page[Order]:
    """A page of orders: LIST_FIELDS and LIST_NAMES loaded, nothing else."""
    # Ids first, then their rows: a status tab is then read off the status index alone.
    return keyset_page(
        orders_filtered(replace(rules, tab="")),
        ORDER_SORTS[sort],
        after=after,
        before=before,
        size=PAGE_SIZE,
        load=_listed,
        parts=tab_parts(rules.tab),
    )


def _listed(ids: list[int]) -> QuerySet[Order]:
    return _for_list(Order.objects.filter(pk__in=ids))


def orders_rows(ids: Sequence[int]) -> list[Order]:
    """The given orders, for refreshing their rows in place."""
    return list(_for_list(Order.objects.filter(pk__in=ids)).order_by("-pk"))


def orders_for_action(ids: Sequence[int]) -> list[Order]:
    """Orders a bulk refill or cancel is about; the services read service and provider."""
    return list(Order.objects.filter(pk__in=ids).select_related("service", "provider"))


# ---- One order in full ----


class EventLine(NamedTuple):
    """One event of an order's timeline, as shown (no model instance: a page shows 200)."""

    kind: str
    at: datetime
    message: str
    actor: str | None  # the actor's username


class MoneyLine(NamedTuple):
    """One ledger row of the order, as its page lists it."""

    at: datetime
    kind: str
    amount: Decimal
    currency: str
    memo: str

    @property
    def movement(self) -> str:
        return str(Movement(self.kind).label)


@dataclass
class OrderDetail:
    order: Order
    events: list[EventLine]
    more_events: bool
    refills: list[Refill]
    cancels: list[CancelRequest]
    money: list[MoneyLine]

    @property
    def active(self) -> bool:
        return order_is_active(self.order)

    @property
    def being_sent(self) -> bool:
        return self.order.state in NOT_SENT

    def per_post(self) -> "PerPost | None":
        """Subscriptions: what each new post costs and fetches at the rates per 1000 it was
        placed at, and the most the posts limit allows."""
        order = self.order
        spec = order_type_for(order.order_type)
        if spec is None or spec.quantity_rule is not QuantityRule.SUBSCRIPTION:
            return None
        low, high, posts = (order.params.get(name) for name in ("min", "max", "posts"))
        if not isinstance(low, int) or order.rate is None:
            return None
        high = high if isinstance(high, int) else low
        posts = posts if isinstance(posts, int) and posts > 0 else None
        rate, selling = order.rate, order.selling_rate
        return PerPost(
            cost=_units_text(rate, low, high),
            price=_units_text(selling, low, high),
            posts=posts,
            cost_total=_units_text(rate, low * (posts or 0), high * (posts or 0)),
            price_total=_units_text(selling, low * (posts or 0), high * (posts or 0)),
        )

    @property
    def money_basis(self) -> str:
        """What the order's cost and price are: "settled", "so far" (a running subscription,
        at what it was charged), "estimate", or "not placed" (nothing was bought)."""
        order = self.order
        if order.settled_at is not None:
            return "settled"
        if order.state in NOT_BOUGHT:
            return "not placed"
        spec = order_type_for(order.order_type)
        if spec is not None and spec.quantity_rule is QuantityRule.SUBSCRIPTION:
            return "so far"
        return "estimate"

    def params(self) -> list[tuple[str, str, bool]]:
        """(name, value, spans lines) for every parameter sent."""
        return [(k, str(v), "\n" in str(v)) for k, v in self.order.params.items()]

    def runs(self) -> dict[str, Any] | None:
        """Drip-feed progress: runs done of runs, minutes between runs."""
        extra, params = self.order.upstream_extra, self.order.params
        total = extra.get("runs") or params.get("runs")
        if not total:
            return None
        interval = extra.get("interval") or params.get("interval")
        return {"done": extra.get("runs_done") or 0, "total": total, "interval": interval}

    def posts(self) -> int | None:
        """Subscriptions: posts seen upstream so far (None when the provider says nothing)."""
        posts = self.order.upstream_extra.get("posts")
        return posts if isinstance(posts, int) else None

    def children(self) -> list:
        """Child order ids upstream (subscriptions: one per post)."""
        found = self.order.upstream_extra.get("orders")
        return list(found) if isinstance(found, list) else []

    def other_extra(self) -> dict[str, Any]:
        known = {"orders", "posts", "runs", "runs_done", "interval"}
        return {k: v for k, v in self.order.upstream_extra.items() if k not in known}


@dataclass(frozen=True)
class PerPost:
    """A subscription's money per new post, as "low–high" texts (one figure when equal)."""

    cost: str
    price: str
    posts: int | None  # the limit on new posts; None: no limit
    cost_total: str  # for every post the limit allows
    price_total: str


def _units_text(rate: Decimal | None, low: int, high: int) -> str:
    """What `low` to `high` units cost at `rate` per 1000, rounded as orders are charged."""
    if rate is None:
        return ""
    low_text, high_text = (money_text((rate * n / 1000).quantize(FINEST)) for n in (low, high))
    return low_text if low_text == high_text else f"{low_text}–{high_text}"


def order_for_detail(pk: int) -> Order | None:
    rows = Order.objects.select_related("provider", "service", "placed_by", "customer")
    # The service's raw catalogue entry and description can be long; the page shows neither.
    return rows.defer("service__raw", "service__description").filter(pk=pk).first()


def order_detail(order: Order) -> OrderDetail:
    username = f"actor__{get_user_model().USERNAME_FIELD}"
    lines = order.events.values_list("kind", "at", "message", username)
    events = [EventLine(*line) for line in lines[: TIMELINE_LIMIT + 1]]
    return OrderDetail(
        order=order,
        events=events[:TIMELINE_LIMIT],
        more_events=len(events) > TIMELINE_LIMIT,
        refills=list(order.refills.select_related("requested_by")),
        cancels=list(order.cancel_requests.select_related("requested_by")),
        money=[
            MoneyLine(*row)
            for row in order.ledger.order_by("at", "id").values_list(
                "at", "kind", "amount", "currency", "memo"
            )
        ],
    )


# ---- The export ----

EXPORT_HEADER = (
    "id",
    "created_at",
    "provider",
    "service_id",
    "service",
    "type",
    "link",
    "quantity",
    "delivered",
    "start_count",
    "remains",
    "state",
    "status",
    "status_raw",
    "upstream_id",
    "charge",
    "currency",
    "cost",
    "price",
    "settled",
    "placed_by",
)


def orders_export_rows(rules: OrderFilter, *, sort: str) -> Iterator[tuple]:
    """The header, then one tuple per matching order, read in chunks (any number of rows)."""
    yield EXPORT_HEADER
    rows = ordered(_for_rows(orders_filtered(rules)), ORDER_SORTS[sort])
    rows = rows.select_related("placed_by")
    for order in rows.iterator(chunk_size=2000):
        yield _export_row(order)


def _export_row(order: Order) -> tuple:
    return (
        order.pk,
        timezone.localtime(order.created_at).isoformat(),
        order.provider.name,
        order.service.upstream_id,
        order.service.name,
        order.order_type,
        order.link,
        _blank(order.quantity),
        _blank(order.delivered),
        _blank(order.start_count),
        _blank(order.remains),
        order.state,
        order.status,
        order.status_raw,
        _blank(order.upstream_id),
        _amount(order.charge),
        order.currency,
        _amount(order.cost),
        _amount(order.price),
        timezone.localtime(order.settled_at).isoformat() if order.settled_at else "",
        order.placed_by.get_username() if order.placed_by else "",
    )


def _blank(value: int | None) -> str:
    return "" if value is None else str(value)


def _amount(value: Decimal | None) -> str:
    """Plain decimal text for a spreadsheet: no grouping, no exponent, at least two decimals
    (1.5 → "1.50", 0.0045 stays). Pages show money through orders.money instead."""
    if value is None:
        return ""
    whole, _, fraction = format(value.normalize(), "f").partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"
