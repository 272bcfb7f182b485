"""Reads for "Our services": each offer beside the provider service it sells."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from customers.models import Customer, Offer
from orders.models import Service

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class OfferRow:
    offer: Offer

    @property
    def cost(self) -> Decimal:
        return self.offer.service.rate

    @property
    def margin_percent(self) -> Decimal | None:
        """Our rate over the provider's, in percent of our rate (None when we sell at 0)."""
        rate = self.offer.rate
        if not rate:
            return None
        return ((rate - self.cost) / rate * HUNDRED).quantize(Decimal("0.1"))

    @property
    def losing(self) -> bool:
        return self.offer.rate < self.cost


def offers_list(search: str = "") -> list[OfferRow]:
    rows = Offer.objects.select_related("service__provider").defer(
        "service__raw", "service__description"
    )
    text = search.strip()
    if text.isdigit() and len(text) <= 18:
        rows = rows.filter(Q(pk=int(text)) | Q(service__upstream_id=int(text)))
    elif text:
        rows = rows.filter(Q(name__icontains=text) | Q(category__icontains=text))
    return [OfferRow(offer) for offer in rows.order_by("category", "id")]


def offers_on_sale(currency: str) -> QuerySet[Offer]:
    """Our services a customer paying in `currency` can order now: on sale, over a provider
    service still offered and enabled, priced in their currency."""
    return Offer.objects.filter(
        enabled=True,
        service__enabled=True,
        service__removed_at=None,
        service__provider__currency=currency,
    )


def offer_for(customer: Customer, offer_id: int) -> Offer | None:
    """Our service `offer_id` as this customer may order it now, or None."""
    return (
        offers_on_sale(customer.currency)
        .select_related("service__provider")
        .filter(pk=offer_id)
        .first()
    )


def offer_for_service(service: Service, currency: str) -> Offer | None:
    """Our enabled service that sells this provider service, when a customer paying in
    `currency` can buy it (offers are priced in the provider's currency)."""
    if service.provider.currency != currency:
        return None
    return Offer.objects.filter(service=service, enabled=True).order_by("id").first()


def offers_taken_off_sale() -> QuerySet[Offer]:
    """Our services a catalogue sync took off sale, with its reason, that no one has acted on
    yet: staff putting one back on sale, or taking it off by hand, clears the reason.
    Newest first."""
    return (
        Offer.objects.filter(enabled=False)
        .exclude(disabled_reason="")
        .order_by("-disabled_at", "-pk")
    )
