"""Every call to a provider counts against its published request limit, whoever makes it.

The poller and the refill poller take a token from the provider's bucket before each call;
the chaos round checks that no rolling minute of theirs goes over the limit. The periodic
balance and catalogue syncs take one too, and skip a run when none is free.
"""

import pytest

from orders.models import ApiCall, JobRun, Provider, Status
from orders.services import actions
from orders.services.actions import orders_refill
from orders.services.balances import balance_sync
from orders.services.catalogue import catalogue_sync
from orders.services.providers import providers_due
from orders.services.throttle import throttle_take
from orders.tasks import STALENESS, provider_job
from tests.factories import make_order, make_service

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sync", [balance_sync, catalogue_sync], ids=["balance", "catalogue"])
def test_a_periodic_sync_takes_its_call_from_the_providers_bucket(sync, sim, provider, clock):
    throttle_take(provider.pk)  # the bucket as the poller leaves it; the clock stands still
    before = Provider.objects.get(pk=provider.pk).throttle_tokens
    sync(provider=provider)
    assert Provider.objects.get(pk=provider.pk).throttle_tokens == before - 1


def drain(provider: Provider) -> None:
    """The poller took the last call of this minute; the clock stands still."""
    while throttle_take(provider.pk) == 0.0:
        pass


@pytest.mark.parametrize("job", ["sync_balance", "sync_catalogue"])
def test_with_the_limit_reached_a_periodic_sync_skips_its_run_and_stays_due(
    job, sim, provider, clock
):
    drain(provider)
    provider_job(job, provider.pk)
    run = JobRun.objects.get(name=f"{job}:{provider.pk}")
    assert run.last_ok
    assert "request limit is reached" in run.last_summary
    assert not ApiCall.objects.filter(provider=provider).exists()
    assert providers_due(*STALENESS[job]).filter(pk=provider.pk).exists()


def test_with_the_limit_reached_a_staff_refill_says_why_it_was_not_sent(
    sim, provider, clock, monkeypatch
):
    monkeypatch.setattr(actions, "STAFF_WAIT_SECONDS", 0.0)
    service = make_service(provider=provider, refill=True)
    order = make_order(service, upstream_id=7, status=Status.COMPLETED)
    drain(provider)
    [outcome] = orders_refill(orders=[order], user=None)
    assert not outcome.ok
    assert outcome.message.startswith(f"Not sent: {provider.name}'s request limit is reached")
    assert not ApiCall.objects.filter(provider=provider).exists()
