"""Customers, our services and funded accounts for tests."""

from decimal import Decimal

from customers.models import Customer, Offer, PriceGroup
from customers.services.account import funds_add
from orders.models import Service


def make_customer(funds: str | Decimal = "0", **fields) -> Customer:
    customer = Customer.objects.create(**({"name": "Acme Boosts", "currency": "USD"} | fields))
    if Decimal(funds):
        funds_add(customer=customer, amount=Decimal(funds), reason="opening funds", actor=None)
    return customer


def make_offer(service: Service, **fields) -> Offer:
    defaults = {
        "name": f"Ours: {service.name}",
        "category": service.category,
        "rate": (service.rate * Decimal("1.5")).quantize(Decimal("0.00001")),
        "min_quantity": service.min_quantity,
        "max_quantity": service.max_quantity,
    }
    return Offer.objects.create(service=service, **(defaults | fields))


def make_group(percent: str, name: str = "") -> PriceGroup:
    return PriceGroup.objects.create(
        name=name or f"{percent}%", adjustment_percent=Decimal(percent)
    )
