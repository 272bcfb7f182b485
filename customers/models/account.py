from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customers.models.customer import Customer
from orders.models import Order
from orders.models.fields import money_field


class EntryKind(models.TextChoices):
    FUNDS = "funds", _("Funds added")
    CORRECTION = "correction", _("Correction")
    CHARGE = "charge", _("Order charge")
    REFUND = "refund", _("Refund")  # the undelivered part of an order, or all of a refused one


# Where an order may appear at most once each.
ORDER_KINDS = (EntryKind.CHARGE, EntryKind.REFUND)


class AccountEntry(models.Model):
    """A customer's account: one row per movement, appended, never changed (PostgreSQL
    refuses UPDATE and DELETE). `seq` numbers a customer's rows 1, 2, 3…, and `balance_after`
    is the running sum of `amount` up to its row: the balance is read from the last row, and
    the database refuses a row that would take it below zero or skip a number."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    seq = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    amount = money_field()
    currency = models.CharField(max_length=8)
    balance_after = money_field()
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    memo = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="+",
    )

    class Meta:
        ordering = ["customer_id", "-seq"]
        verbose_name_plural = "account entries"
        constraints = [
            models.UniqueConstraint(fields=["customer", "seq"], name="account_entry_seq"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="account_never_below_zero"
            ),
            models.UniqueConstraint(
                fields=["order", "kind"],
                condition=Q(kind__in=ORDER_KINDS),
                name="account_order_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}#{self.seq} {self.kind} {self.amount} {self.currency}"
