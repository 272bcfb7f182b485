"""Every call to a provider counts against its published request limit, whoever makes it.

The poller and the refill poller take a token from the provider's bucket before each call;
the chaos round checks that no rolling minute of theirs goes over the limit. The periodic
balance and catalogue syncs call without one.
"""

import pytest

from orders.models import Provider
from orders.services.balances import balance_sync
from orders.services.catalogue import catalogue_sync
from orders.services.throttle import throttle_take

pytestmark = pytest.mark.django_db


@pytest.mark.xfail(
    strict=True,
    reason="balance_sync and catalogue_sync (orders/services/balances.py, catalogue.py) call "
    "the provider without taking a token, so a minute the poller fills to the limit gets one "
    "call more. Fix: take a token first (throttle_take) and, when none is free, skip the run: "
    "the job stays due and beat tries again at its next tick.",
)
@pytest.mark.parametrize("sync", [balance_sync, catalogue_sync], ids=["balance", "catalogue"])
def test_a_periodic_sync_takes_its_call_from_the_providers_bucket(sync, sim, provider, clock):
    throttle_take(provider.pk)  # the bucket as the poller leaves it; the clock stands still
    before = Provider.objects.get(pk=provider.pk).throttle_tokens
    sync(provider=provider)
    assert Provider.objects.get(pk=provider.pk).throttle_tokens == before - 1
