from django.core.exceptions import ValidationError
from django.db import models

from orders.models import Service
from orders.models.fields import money_field


class Offer(models.Model):
    """One of our services as customers see it: our own id (never reused: ids come from a
    sequence, and offers are disabled, never deleted), mapped to one provider service."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="offers")
    name = models.CharField(max_length=500)
    category = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    enabled = models.BooleanField(default=True)
    rate = money_field(help_text="Our selling rate per 1000, in the provider's currency.")
    min_quantity = models.BigIntegerField()
    max_quantity = models.BigIntegerField()
    # Why the catalogue sync took it away from customers; cleared when staff enable it again.
    disabled_reason = models.CharField(max_length=300, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "id"]
        verbose_name = "our service"
        verbose_name_plural = "our services"

    def __str__(self) -> str:
        return f"{self.pk} · {self.name}"

    def clean(self) -> None:
        service = self.service
        errors = {}
        if self.min_quantity is not None and self.min_quantity < service.min_quantity:
            errors["min_quantity"] = f"At least the provider's minimum, {service.min_quantity}."
        if self.max_quantity is not None and self.max_quantity > service.max_quantity:
            errors["max_quantity"] = f"At most the provider's maximum, {service.max_quantity}."
        if (
            self.min_quantity is not None
            and self.max_quantity is not None
            and self.min_quantity > self.max_quantity
        ):
            errors["max_quantity"] = "Must not be below the minimum."
        if errors:
            raise ValidationError(errors)

    @property
    def currency(self) -> str:
        return self.service.provider.currency
