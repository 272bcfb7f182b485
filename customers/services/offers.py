"""Our services follow the provider's catalogue: one that disappears upstream, is disabled
there or costs more than we sell it for is taken away from customers until staff look."""

from django.db.models import F, Q
from django.utils import timezone

from customers.models import Offer
from orders.models import Provider

GONE = "The provider no longer offers this service."
LOSING = "Its cost rose above our selling rate."


def offers_review(*, provider: Provider) -> int:
    """Disable the provider's offers that can no longer be sold; returns how many."""
    now = timezone.now()
    live = Offer.objects.filter(service__provider=provider, enabled=True)
    gone = live.filter(Q(service__removed_at__isnull=False) | Q(service__enabled=False))
    count = gone.update(enabled=False, disabled_at=now, disabled_reason=GONE)
    losing = live.filter(rate__lt=F("service__rate"))
    count += losing.update(enabled=False, disabled_at=now, disabled_reason=LOSING)
    return count
