from decimal import Decimal

from django.db import models

from orders.models.fields import Markup, money_field
from orders.models.provider import Provider

PER = Decimal(1000)


class Service(models.Model):
    """One provider's service as last seen upstream; never deleted, marked when removed."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="services")
    upstream_id = models.BigIntegerField()
    name = models.CharField(max_length=500)
    type = models.CharField(max_length=100)
    category = models.CharField(max_length=300, blank=True)
    rate = money_field()
    min_quantity = models.BigIntegerField()
    max_quantity = models.BigIntegerField()
    refill = models.BooleanField(default=False)
    cancel = models.BooleanField(default=False)
    dripfeed = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    raw = models.JSONField(default=dict)

    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    changed_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    enabled = models.BooleanField(default=True, help_text="Staff may place orders for it.")
    markup_kind = models.CharField(max_length=8, choices=Markup.choices, blank=True)
    markup_value = money_field(null=True, blank=True)

    class Meta:
        ordering = ["provider_id", "category", "upstream_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "upstream_id"], name="service_unique_upstream_id"
            )
        ]
        indexes = [models.Index(fields=["provider", "type"])]

    def __str__(self) -> str:
        return f"{self.upstream_id} · {self.name}"

    def selling_rate(self) -> Decimal:
        """The reseller's price per 1000, from this service's markup or the provider's."""
        kind, value = self.markup_kind, self.markup_value
        if not kind or value is None:
            kind, value = self.provider.default_markup_kind, self.provider.default_markup_value
        if kind == Markup.FIXED:
            return self.rate + value
        return (self.rate * (1 + value / 100)).quantize(Decimal("0.00001"))

    def cost_of(self, quantity: int) -> Decimal:
        return (self.rate * quantity / PER).quantize(Decimal("0.00001"))

    def price_of(self, quantity: int, rate: Decimal | None = None) -> Decimal:
        """At our selling rate, or at `rate` (what a customer pays per 1000)."""
        rate = self.selling_rate() if rate is None else rate
        return (rate * quantity / PER).quantize(Decimal("0.00001"))


class ServiceChange(models.Model):
    """History of rate and bounds seen upstream, one row per sync that changed them."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="changes")
    seen_at = models.DateTimeField()
    old_rate = money_field(null=True)
    new_rate = money_field(null=True)
    old_min = models.BigIntegerField(null=True)
    new_min = models.BigIntegerField(null=True)
    old_max = models.BigIntegerField(null=True)
    new_max = models.BigIntegerField(null=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.service_id} changed at {self.seen_at:%Y-%m-%d %H:%M}"
