"""A catalogue or balance sync fails like any call: its failure counts in the provider's
streak, and a Retry-After it gets is waited out by every later call, whoever makes it."""

from datetime import timedelta

import pytest
import responses
from django.utils import timezone

from orders.models import Provider, Status
from orders.services.actions import orders_cancel
from orders.services.balances import balance_sync
from orders.services.catalogue import catalogue_sync
from orders.services.providers import ProviderPaused
from orders.services.throttle import ProviderThrottled
from orders.upstream import ProviderError, ProviderUnavailable
from simulator import log
from tests.factories import make_order, make_provider, make_service

pytestmark = pytest.mark.django_db
SYNCS = pytest.mark.parametrize(
    ("sync", "action"),
    [(balance_sync, "balance"), (catalogue_sync, "services")],
    ids=["balance", "catalogue"],
)


@SYNCS
def test_syncs_wait_out_retry_after_instead_of_calling_again(sim, provider, sync, action):
    sim.set_faults(rate_limit_share=1, retry_after=7, actions=[action])
    with pytest.raises(ProviderUnavailable):
        sync(provider=provider)
    for _ in range(2):
        with pytest.raises((ProviderPaused, ProviderThrottled)):
            sync(provider=provider)
    assert log.calls(action).count() == 1
    provider.refresh_from_db()
    assert provider.consecutive_failures == 1
    assert provider.paused_until - timezone.now() > timedelta(seconds=5)


def test_a_staff_cancel_waits_out_the_retry_after_a_sync_was_given(sim, provider, staff_user):
    sim.set_faults(rate_limit_share=1, retry_after=60, actions=["balance"])
    with pytest.raises(ProviderUnavailable):
        balance_sync(provider=provider)
    order = make_order(make_service(provider=provider), status=Status.IN_PROGRESS)
    [outcome] = orders_cancel(orders=[order], user=staff_user)
    assert outcome.message.startswith("Not sent:")
    assert log.calls("cancel").count() == 0


URL = "https://provider.example/api/v2"
BROKEN = [
    {"body": "<html><body>Checking your browser</body></html>", "status": 200},
    {"body": "\x00\x01 not json", "status": 200},
    {"json": {"services": "all of them"}, "status": 200},
    {"body": "<html>502 Bad gateway</html>", "status": 502},
    {"json": {"message": "Internal"}, "status": 500},
]


@SYNCS
@pytest.mark.parametrize("answer", BROKEN, ids=["html", "garbage", "shape", "502", "500"])
def test_a_sync_that_gets_no_usable_answer_counts_in_the_streak(sync, action, answer):
    if action == "balance" and "json" in answer and answer["status"] == 200:
        answer = {"json": ["not", "a", "balance"], "status": 200}
    provider = make_provider(api_url=URL, rate_limit_per_minute=6000)
    with responses.RequestsMock() as upstream:
        for _ in range(3):
            upstream.post(URL, **answer)
        for count in (1, 2, 3):
            with pytest.raises(ProviderError):
                sync(provider=provider)
            assert Provider.objects.get(pk=provider.pk).consecutive_failures == count
    provider.refresh_from_db()
    assert provider.is_paused  # three failures in a row: the usual back-off
