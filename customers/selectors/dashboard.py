"""Reads for the staff customer pages: the list with balances and this month's spend, one
customer's orders, ledger and keys."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from customers.models import AccountEntry, ApiKey, Customer, EntryKind
from customers.selectors.account import with_balance
from orders.keyset import Key, Page, Sort, keyset_page
from orders.models import LocalState, Order
from orders.models.order import FINAL_STATUSES

ZERO = Decimal(0)
PAGE_SIZE = 50
LEDGER_PAGE = 50
LATEST_ORDERS = 10
BY_NAME = Sort((Key("name", False, str), Key("id", False, int)))
NEWEST_ENTRY = Sort((Key("seq", True, int),))

# Still moving: not sent yet, or placed and without a final status upstream.
ACTIVE_ORDER = Q(state__in=[LocalState.QUEUED, LocalState.SUBMITTING]) | (
    Q(state=LocalState.PLACED) & ~Q(status__in=FINAL_STATUSES)
)


@dataclass(frozen=True)
class CustomerRow:
    customer: Customer
    balance: Decimal
    spend_month: Decimal
    active_orders: int


def month_start(now: datetime | None = None) -> datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def customers_page(*, search: str = "", after: str = "", before: str = "") -> Page[CustomerRow]:
    """A page of customers by name, each with its balance, spend this month and active
    orders (two grouped reads for the page's rows, not one per row)."""
    rows = with_balance(Customer.objects.select_related("price_group"))
    if search.strip():
        rows = rows.filter(name__icontains=search.strip())
    page = keyset_page(rows, BY_NAME, after=after, before=before, size=PAGE_SIZE)
    ids = [customer.pk for customer in page.rows]
    spend, active = spend_this_month(ids), active_orders(ids)
    found = [
        CustomerRow(
            customer=c,
            balance=c.balance or ZERO,  # type: ignore[attr-defined]
            spend_month=spend.get(c.pk, ZERO),
            active_orders=active.get(c.pk, 0),
        )
        for c in page.rows
    ]
    return Page(found, page.next_cursor, page.prev_cursor)


def spend_this_month(
    customer_ids: Sequence[int], now: datetime | None = None
) -> dict[int, Decimal]:
    """What each customer's orders cost them since the month began: charges less refunds."""
    rows = (
        AccountEntry.objects.filter(
            customer_id__in=list(customer_ids),
            kind__in=[EntryKind.CHARGE, EntryKind.REFUND],
            at__gte=month_start(now),
        )
        .values("customer_id")
        .annotate(total=Sum("amount"))
    )
    return {row["customer_id"]: -row["total"] for row in rows}


def active_orders(customer_ids: Sequence[int]) -> dict[int, int]:
    rows = (
        Order.objects.filter(ACTIVE_ORDER, customer_id__in=list(customer_ids))
        .values("customer_id")
        .annotate(n=Count("id"))
    )
    return {row["customer_id"]: row["n"] for row in rows}


def customer_for_page(pk: int) -> Customer | None:
    return with_balance(Customer.objects.select_related("price_group")).filter(pk=pk).first()


def customer_has_entries(customer_id: int) -> bool:
    return AccountEntry.objects.filter(customer_id=customer_id).exists()


def customer_orders(customer: Customer, limit: int = LATEST_ORDERS) -> list[Order]:
    rows = Order.objects.filter(customer=customer).select_related("service", "provider")
    rows = rows.defer("params", "upstream_extra", "service__raw", "service__description")
    return list(rows.order_by("-created_at", "-id")[:limit])


def customer_ledger(customer: Customer, *, after: str = "", before: str = "") -> Page:
    rows: QuerySet[AccountEntry] = AccountEntry.objects.filter(customer=customer).select_related(
        "actor"
    )
    return keyset_page(rows, NEWEST_ENTRY, after=after, before=before, size=LEDGER_PAGE)


def customer_keys(customer: Customer) -> list[ApiKey]:
    return list(ApiKey.objects.filter(customer=customer).select_related("created_by"))
