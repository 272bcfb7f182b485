"""Customers ordering our services over the in-process simulator, and what their accounts say."""

from decimal import Decimal

from django.utils import timezone

from customers.models import AccountEntry, Customer, EntryKind, Offer
from customers.selectors.account import customer_balance
from customers.services.ordering import customer_order
from orders.models import Order, Provider
from orders.services.placement import order_submit
from orders.services.polling import orders_poll

TEN_DAYS = 10 * 24 * 3600


def ordered(customer: Customer, offer: Offer, **params) -> Order:
    """A customer's order, charged, then sent upstream as its task would send it."""
    order = customer_order(customer=customer, offer_id=offer.pk, params=params)
    order_submit(order.pk)
    order.refresh_from_db()
    return order


def run_to_the_end(sim, provider: Provider) -> None:
    """The provider's clock runs ten days on, and a polling round asks for every order."""
    sim.advance_clock(TEN_DAYS)
    Order.objects.filter(next_check_at__isnull=False).update(next_check_at=timezone.now())
    orders_poll(provider=Provider.objects.get(pk=provider.pk))


def entries(customer: Customer, kind: EntryKind | None = None) -> list[AccountEntry]:
    rows = AccountEntry.objects.filter(customer=customer).order_by("seq")
    return list(rows.filter(kind=kind) if kind else rows)


def charged(order: Order) -> Decimal:
    return -AccountEntry.objects.get(order=order, kind=EntryKind.CHARGE).amount


def refunded(order: Order) -> list[Decimal]:
    return list(
        AccountEntry.objects.filter(order=order, kind=EntryKind.REFUND).values_list(
            "amount", flat=True
        )
    )


def account_holds_together(customer: Customer) -> bool:
    """Rows numbered 1, 2, 3… with no gap, each balance the running sum up to its row, and
    the balance read from the last row equal to the sum of every amount."""
    rows = entries(customer)
    running = Decimal(0)
    for seq, row in enumerate(rows, start=1):
        running += row.amount
        if row.seq != seq or row.balance_after != running or row.balance_after < 0:
            return False
    # Summed here, exactly: SQLite's SUM() adds decimals as floating point.
    total = sum(AccountEntry.objects.filter(customer=customer).values_list("amount", flat=True))
    return customer_balance(customer.pk) == total == running
