import logging
from datetime import timedelta

import pytest
import responses
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from orders.models import ApiCall
from orders.services.balances import balance_sync
from orders.services.placement import order_place, order_submit
from orders.services.polling import orders_poll
from orders.services.providers import api_calls_purge, provider_client
from orders.upstream import Failure, ProviderUnavailable
from tests.engine.helpers import make_all_due, placed
from tests.factories import make_order, make_provider, make_service
from tests.upstream import network

pytestmark = pytest.mark.django_db


def test_every_upstream_call_is_logged_without_the_key(sim, provider, caplog):
    caplog.set_level(logging.DEBUG)
    sim.set_faults(error_5xx_share=1, actions=["balance"])
    with pytest.raises(Exception):  # noqa: B017 - the point is what was logged
        balance_sync(provider=provider)
    sim.reset_faults()
    balance_sync(provider=provider)
    calls = list(ApiCall.objects.order_by("pk").values("action", "outcome", "http_status"))
    assert calls == [
        {"action": "balance", "outcome": "unavailable", "http_status": calls[0]["http_status"]},
        {"action": "balance", "outcome": "ok", "http_status": 200},
    ]
    assert calls[0]["http_status"] >= 500
    everything = " ".join(str(v) for v in ApiCall.objects.values_list()) + caplog.text
    assert provider.api_key not in everything


def test_old_calls_are_purged_after_the_configured_days(provider, settings):
    settings.API_CALL_LOG_DAYS = 7
    old = ApiCall.objects.create(provider=provider, action="status", outcome="ok")
    ApiCall.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=8))
    ApiCall.objects.create(provider=provider, action="status", outcome="ok")
    assert api_calls_purge() == 1
    assert ApiCall.objects.count() == 1


def test_the_key_is_stored_encrypted_and_shown_masked(provider):
    raw = type(provider).objects.values_list("api_key_encrypted", flat=True).get(pk=provider.pk)
    assert provider.api_key not in raw
    assert provider.api_key_hint.endswith(provider.api_key[-4:])
    assert provider.api_key not in provider.api_key_hint


def test_a_providers_client_keeps_to_the_providers_call_deadline():
    sent = network.Sent()
    with network.local_server(network.drips(b'{"balance": "1", "currency": "USD"}', sent)) as url:
        provider = make_provider(api_url=url, read_timeout=5, call_deadline=0.3)
        client = provider_client(provider, transport=network.direct_session())
        with pytest.raises(ProviderUnavailable) as caught:
            client.balance()
    assert caught.value.reason == Failure.DEADLINE


URL = "https://provider.example/api/v2"


def cut_short(request):
    raise SoftTimeLimitExceeded()  # the task's time limit, while the answer is awaited


def test_a_call_is_in_the_log_before_it_is_sent():
    provider = make_provider(api_url=URL)
    seen = []

    def answer(request):
        seen.extend(ApiCall.objects.values_list("action", "outcome"))
        return 200, {}, '{"balance": "10.00", "currency": "USD"}'

    with responses.RequestsMock() as upstream:
        upstream.add_callback(responses.POST, URL, callback=answer)
        balance_sync(provider=provider)
    assert seen == [("balance", "pending")]
    [call] = ApiCall.objects.all()  # the same line, completed: not a second one
    assert (call.outcome, call.http_status) == ("ok", 200)


def test_a_call_cut_short_by_a_time_limit_stays_in_the_log():
    provider = make_provider(api_url=URL)
    with responses.RequestsMock() as upstream:
        upstream.add_callback(responses.POST, URL, callback=cut_short)
        with pytest.raises(SoftTimeLimitExceeded):
            balance_sync(provider=provider)
    [call] = ApiCall.objects.all()
    assert (call.action, call.outcome) == ("balance", "pending")


def test_a_status_call_cut_short_mid_round_stays_in_the_log():
    provider = make_provider(api_url=URL, rate_limit_per_minute=6000)
    make_order(make_service(provider=provider))
    with responses.RequestsMock() as upstream:
        upstream.add_callback(responses.POST, URL, callback=cut_short)
        with pytest.raises(SoftTimeLimitExceeded):
            orders_poll(provider=provider)
    [call] = ApiCall.objects.all()
    assert (call.action, call.ids, call.outcome) == ("status", 1, "pending")


def test_a_polling_round_logs_each_call_once(sim, provider, default_service):
    placed(default_service, 150)
    make_all_due()
    orders_poll(provider=provider)
    calls = ApiCall.objects.filter(action="status").order_by("pk")
    assert [(c.ids, c.outcome) for c in calls] == [(100, "ok"), (50, "ok")]


def test_a_placement_logs_its_call_once(sim, provider, default_service):
    order = order_place(
        service=default_service, params={"link": "https://instagram.com/p/a", "quantity": 100}
    )
    order_submit(order.pk)
    assert list(ApiCall.objects.filter(action="add").values_list("outcome", flat=True)) == ["ok"]
