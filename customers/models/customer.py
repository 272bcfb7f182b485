from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

RATE_PLACES = Decimal("0.00001")


class PriceGroup(models.Model):
    """A markup (positive) or discount (negative) in percent on top of our selling rate."""

    name = models.CharField(max_length=100, unique=True)
    adjustment_percent = models.DecimalField(
        max_digits=7,
        decimal_places=3,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(-99)), MaxValueValidator(Decimal(1000))],
        help_text="+10 sells 10% above our selling rate, -5 gives 5% off.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.adjustment_percent:+}%)"

    def apply(self, rate: Decimal) -> Decimal:
        return (rate * (1 + self.adjustment_percent / 100)).quantize(RATE_PLACES)


class Customer(models.Model):
    """Someone we sell to, through our API v2 or through staff. Their balance is a sum over
    `AccountEntry`, never a column of this row."""

    name = models.CharField(max_length=200)
    contact = models.CharField(max_length=300, blank=True, help_text="E-mail, Telegram, …")
    active = models.BooleanField(default=True, help_text="Inactive customers' keys are refused.")
    currency = models.CharField(max_length=8, default="USD")
    price_group = models.ForeignKey(
        PriceGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="customers"
    )
    notes = models.TextField(blank=True)
    rate_limit_per_minute = models.PositiveIntegerField(
        default=120, help_text="API requests a minute, per key."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        permissions = [("fund_customer", "Can add funds to and correct customer balances")]

    def __str__(self) -> str:
        return self.name

    def rate_for(self, selling_rate: Decimal) -> Decimal:
        """What this customer pays per 1000 for a service we sell at `selling_rate`."""
        if self.price_group is None:
            return selling_rate
        return self.price_group.apply(selling_rate)
