"""Customers' balances: the running sum kept on their last account row."""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from customers.models import AccountEntry, Customer

ZERO = Decimal(0)


def customer_balance(customer_id: int) -> Decimal:
    balance = (
        AccountEntry.objects.filter(customer_id=customer_id)
        .order_by("-seq")
        .values_list("balance_after", flat=True)
        .first()
    )
    return ZERO if balance is None else balance


def with_balance(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """Annotate `balance` (None before the first movement: read it as zero)."""
    last = AccountEntry.objects.filter(customer_id=OuterRef("pk")).order_by("-seq")
    return customers.annotate(balance=Subquery(last.values("balance_after")[:1]))


def balances(customer_ids: Iterable[int]) -> dict[int, Decimal]:
    last = AccountEntry.objects.filter(customer_id=OuterRef("pk")).order_by("-seq")
    rows = (
        Customer.objects.filter(pk__in=list(customer_ids))
        .annotate(last_balance=Subquery(last.values("balance_after")[:1]))
        .values_list("pk", "last_balance")
    )
    return {pk: ZERO if balance is None else balance for pk, balance in rows}
