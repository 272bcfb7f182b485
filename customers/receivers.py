from django.dispatch import receiver

from customers.services.offers import offers_review
from customers.services.refunds import refund_closed
from orders.signals import catalogue_synced, orders_closed


@receiver(orders_closed)
def refund_undelivered(sender, orders, **kwargs) -> None:
    refund_closed(orders)


@receiver(catalogue_synced)
def review_offers(sender, provider, **kwargs) -> None:
    offers_review(provider=provider)
