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


def last_balance() -> Subquery:
    """The balance after a customer's last account row, for a query over customers."""
    last = AccountEntry.objects.filter(customer_id=OuterRef("pk")).order_by("-seq")
    return Subquery(last.values("balance_after")[:1])


def with_balance(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """Annotate `balance` (None before the first movement: read it as zero)."""
    return customers.annotate(balance=last_balance())


def balances(customer_ids: Iterable[int]) -> dict[int, Decimal]:
    rows = (
        Customer.objects.filter(pk__in=list(customer_ids))
        .annotate(last_balance=last_balance())
        .values_list("pk", "last_balance")
    )
    return {pk: ZERO if balance is None else balance for pk, balance in rows}
