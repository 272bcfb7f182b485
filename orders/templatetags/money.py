"""`{{ amount|money }}` and `{{ amount|money:currency }}`: orders.money.money_text in templates."""

from decimal import Decimal

from django import template

from orders.money import money_text

register = template.Library()


@register.filter
def money(amount: Decimal | int | None, currency: str | None = None) -> str:
    return money_text(None if amount is None else Decimal(amount), currency)
