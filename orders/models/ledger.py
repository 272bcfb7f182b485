"""Money movements: an append-only ledger, a daily roll-up of it, and balance checks.

Every money figure the product shows is a sum over `LedgerEntry`. Rows are only ever added:
a correction is a new row, never an edit (PostgreSQL refuses UPDATE and DELETE on the table).
Amounts are signed within their kind's group: the spend kinds sum to what the provider was
paid, the sale kinds to what was sold; a refund is a negative spend row.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.models.fields import money_field
from orders.models.order import Order
from orders.models.provider import Provider
from orders.models.service import Service


class Movement(models.TextChoices):
    SPEND = "spend", _("Spend")  # an order placed: what we expect the provider to charge
    SPEND_ADJUSTMENT = "spend_adj", _("Spend adjustment")  # settled charge ≠ the estimate
    REFUND = "refund", _("Provider refund")  # undelivered part given back by the provider
    SALE = "sale", _("Sale")  # an order placed: its selling price
    SALE_ADJUSTMENT = "sale_adj", _("Sale adjustment")
    SALE_REVERSAL = "sale_rev", _("Sale reversal")  # the undelivered part is not sold
    TOP_UP = "top_up", _("Provider top-up")  # money paid into a provider account
    CORRECTION = "correction", _("Balance correction")  # staff: a fee, a refund seen upstream


SPEND_KINDS = (Movement.SPEND, Movement.SPEND_ADJUSTMENT, Movement.REFUND)
SALE_KINDS = (Movement.SALE, Movement.SALE_ADJUSTMENT, Movement.SALE_REVERSAL)
# What moves a provider's balance up, besides spend moving it down.
FUNDING_KINDS = (Movement.TOP_UP, Movement.CORRECTION)


def ledger_day(at: datetime) -> date:
    """The business day of a moment, in the product's timezone whoever is looking: the day a
    movement is booked to, and "today" for the pages that read them."""
    return at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


class LedgerEntry(models.Model):
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=12, choices=Movement.choices)
    amount = money_field()
    currency = models.CharField(max_length=8, blank=True)
    # No index of their own on the foreign keys: (order, kind) and (provider, at) below serve
    # those lookups, and services and users are never deleted in practice, so every row
    # written updates three indexes instead of seven.
    provider = models.ForeignKey(
        Provider,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    order = models.ForeignKey(
        Order,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger",
        db_index=False,
    )
    # The order's service and type, copied so reports group without joining orders.
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    order_type = models.CharField(max_length=100, blank=True)
    memo = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "ledger entries"
        indexes = [
            models.Index(fields=["order", "kind"], name="ledger_order_idx"),
            models.Index(fields=["provider", "at"], name="ledger_provider_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.amount} {self.currency}".strip()


class LedgerDay(models.Model):
    """The ledger summed per day (in TIME_ZONE), service and order type, kept as rows are
    added: what reports by service read. Keys are plain integers (0 for none) so that a
    unique key can be upserted on every database."""

    day = models.DateField()
    currency = models.CharField(max_length=8, blank=True)
    kind = models.CharField(max_length=12, choices=Movement.choices)
    provider_key = models.BigIntegerField(default=0)
    service_key = models.BigIntegerField(default=0)
    order_type = models.CharField(max_length=100, blank=True)
    amount = money_field()
    entries = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "currency", "kind", "provider_key", "service_key", "order_type"],
                name="ledger_day_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.amount} {self.currency}".strip()


class LedgerDayTotal(models.Model):
    """The same sums without the service: a few rows a day whatever the catalogue's size,
    read by every report over time, by provider or by order type, and by reconciliation.
    (Keyed by service, a million orders over 10,000 services made ~880,000 day rows.)"""

    day = models.DateField()
    currency = models.CharField(max_length=8, blank=True)
    kind = models.CharField(max_length=12, choices=Movement.choices)
    provider_key = models.BigIntegerField(default=0)
    order_type = models.CharField(max_length=100, blank=True)
    amount = money_field()
    entries = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "currency", "kind", "provider_key", "order_type"],
                name="ledger_day_total_key",
            )
        ]
        indexes = [models.Index(fields=["provider_key", "currency"], name="ledger_total_provider")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.amount} {self.currency}".strip()


class BalanceCheck(models.Model):
    """One balance sync held against the ledger: what the provider says, what we expected."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="balance_checks")
    at = models.DateTimeField(db_index=True)
    currency = models.CharField(max_length=8, blank=True)
    balance = money_field()
    # NULL for the first check (nothing to compare with) or after a currency change.
    expected = money_field(null=True, blank=True)
    drift = money_field(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    # An order of the provider was being submitted while the balance was read: it may be
    # charged upstream and not booked yet, so the check is shown but neither flagged nor
    # compared from.
    in_flight = models.BooleanField(default=False)
    # The provider's ledger (funding minus spend, this currency) as this check saw it: the
    # next check's expected is this check's balance plus what the ledger moved since. A
    # running total, not a time window, so a row committed late is still counted once.
    ledger_net = money_field(null=True, blank=True)
    # The check this one was compared from (its period starts there); NULL with no expected.
    compared_with = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when staff have looked at a flagged drift (with a correction or a note).
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["provider", "-at"], name="balance_check_idx")]
        permissions = [
            ("reconcile_provider", "Can acknowledge drifts and record top-ups and corrections")
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.at:%Y-%m-%d %H:%M} {self.balance} {self.currency}"
