"""Our services follow the provider's catalogue: one whose provider service disappears
upstream, is disabled here or costs more than we sell it for is taken away from customers,
with the reason, until staff look (the home page lists it under "Needs a person").

Only offers on sale are reviewed: one already off sale keeps the reason and time it was
taken off, however many syncs follow. Staff put it back on sale once the cause is gone
(offer_set_on_sale refuses while it stands); from then on it stays on sale until a
sync finds a problem again.
"""

import logging
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone

from customers.models import Offer
from orders.models import Provider
from orders.selectors.placement import service_unavailable
from orders.services.audit import audit_record

log = logging.getLogger(__name__)

GONE = "The provider no longer lists this service."
DISABLED = "Its provider service is disabled for ordering."
LOSING = "Its cost rose above our selling rate"


def losing_reason(cost: Decimal, rate: Decimal, currency: str) -> str:
    """'Its cost rose above our selling rate (2.5 against 2 USD per 1000).'"""
    return f"{LOSING} ({_plain(cost)} against {_plain(rate)} {currency} per 1000)."


def offers_review(*, provider: Provider) -> int:
    """Take off sale the provider's offers that can no longer be sold; returns how many.
    In the sync's transaction (orders.signals.catalogue_synced): one query when all is well.
    """
    now = timezone.now()
    wrong = Offer.objects.filter(service__provider=provider, enabled=True).filter(
        Q(service__removed_at__isnull=False)
        | Q(service__enabled=False)
        | Q(rate__lt=F("service__rate"))
    )
    found = list(
        wrong.values_list("pk", "rate", "service__rate", "service__removed_at", "service__enabled")
    )
    for pk, rate, cost, removed_at, service_enabled in found:
        reason = _reason(rate, cost, removed_at is not None, service_enabled, provider.currency)
        Offer.objects.filter(pk=pk).update(enabled=False, disabled_at=now, disabled_reason=reason)
        audit_record(
            actor=None, action="our service off sale", target=f"our service #{pk}", reason=reason
        )
        log.info("offer=%s taken off sale: %s", pk, reason)
    return len(found)


def _reason(rate: Decimal, cost: Decimal, removed: bool, enabled: bool, currency: str) -> str:
    """The first cause that stands: withdrawn upstream, disabled here, sold below its cost."""
    if removed:
        return GONE
    if not enabled:
        return DISABLED
    return losing_reason(cost, rate, currency)


def _plain(amount: Decimal) -> str:
    return format(amount.normalize(), "f")


class OfferRefused(ValueError):
    """Staff asked for what cannot be: the message says why."""


def offer_set_on_sale(*, offer: Offer, on_sale: bool, actor) -> None:
    """Put an offer on sale (refused while a cause the next sync would act on stands) or take
    it off by hand; either way staff have looked, so no sync reason is left to show."""
    if on_sale:
        if gone := service_unavailable(offer.service):
            raise OfferRefused(f"the provider service is {gone}.")
        if offer.rate < offer.service.rate:
            raise OfferRefused("its rate is below the provider's; raise it first.")
    off_at = None if on_sale else timezone.now()
    Offer.objects.filter(pk=offer.pk).update(
        enabled=on_sale, disabled_reason="", disabled_at=off_at
    )
    state = "on sale" if on_sale else "off sale"
    audit_record(actor=actor, action=f"our service {state}", target=f"our service #{offer.pk}")
