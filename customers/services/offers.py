"""Our services follow the provider's catalogue: one whose provider service disappears
upstream, is disabled here or costs more than we sell it for is taken away from customers,
with the reason, until staff look (the home page lists it under "Needs a person").

Only offers on sale are reviewed: one already off sale keeps the reason and time it was
taken off, however many syncs follow. Staff put it back on sale once the cause is gone
(customers/views/offers.py refuses while it stands); from then on it stays on sale until a
sync finds a problem again.
"""

import logging
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from customers.models import Offer
from orders.models import Provider
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
    In the sync's transaction (orders.signals.catalogue_synced)."""
    now = timezone.now()
    on_sale = Offer.objects.filter(service__provider=provider, enabled=True)
    found: dict[int, str] = {}  # offer id → why, the first cause found
    for pk in on_sale.filter(service__removed_at__isnull=False).values_list("pk", flat=True):
        found.setdefault(pk, GONE)
    for pk in on_sale.filter(service__enabled=False).values_list("pk", flat=True):
        found.setdefault(pk, DISABLED)
    losing = on_sale.filter(rate__lt=F("service__rate")).values_list("pk", "service__rate", "rate")
    for pk, cost, rate in losing:
        found.setdefault(pk, losing_reason(cost, rate, provider.currency))
    for pk, reason in found.items():
        Offer.objects.filter(pk=pk).update(enabled=False, disabled_at=now, disabled_reason=reason)
        audit_record(
            actor=None, action="our service off sale", target=f"our service #{pk}", reason=reason
        )
        log.info("offer=%s taken off sale: %s", pk, reason)
    return len(found)


def _plain(amount: Decimal) -> str:
    return format(amount.normalize(), "f")
