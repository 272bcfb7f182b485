"""'Test connection' against the simulator: what happened, in plain words, never the key."""

import logging
from datetime import timedelta
from decimal import Decimal

import pytest
import responses
from django.utils import timezone

from orders.models import ApiCall, Provider
from simulator.testing import BASE_URL

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def test_connection(client_as, admin_user):
    client = client_as(admin_user)

    def run(provider: Provider) -> str:
        response = client.post(f"/providers/{provider.pk}/test/", headers=HTMX)
        assert response.status_code == 200
        return response.content.decode()

    return run


def test_a_good_key_shows_the_balance_and_records_it(test_connection, provider):
    html = test_connection(provider)
    assert "Connected. The balance is 5,000.00 USD." in html
    assert 'class="alert ok"' in html
    provider.refresh_from_db()
    assert (provider.balance, provider.currency) == (Decimal("5000"), "USD")
    assert provider.balance_checked_at is not None
    assert ApiCall.objects.filter(provider=provider, action="balance", outcome="ok").exists()


def test_the_health_card_is_refreshed_beside_the_result(test_connection, provider):
    html = test_connection(provider)
    assert 'id="provider-health"' in html and 'hx-swap-oob="true"' in html


def test_a_wrong_key_is_named_as_such(test_connection, provider):
    provider.api_key = "this-key-does-not-exist-123"
    provider.save()
    html = test_connection(provider)
    assert "the provider says the API key is invalid" in html
    assert 'class="alert error"' in html
    assert "this-key-does-not-exist-123" not in html


def test_an_unreachable_address_is_said_in_plain_words(test_connection, provider):
    Provider.objects.filter(pk=provider.pk).update(api_url="http://127.0.0.1:9/api/v2")
    html = test_connection(Provider.objects.get(pk=provider.pk))
    assert "the provider is unreachable: the connection was refused." in html


def test_a_timeout_says_how_long_it_waited(test_connection, provider, sim):
    sim.set_faults(timeout_share=1.0)
    assert "did not answer within 30.0 seconds (timeout)" in test_connection(provider)


def test_a_rate_limit_says_so_and_how_long_to_wait(test_connection, provider, sim):
    sim.set_faults(rate_limit_share=1.0, retry_after=45)
    html = test_connection(provider)
    assert "the provider is limiting requests right now (HTTP 429)." in html
    assert "It asks to wait 45 seconds." in html


def test_a_server_error_says_to_try_later(test_connection, provider, sim):
    sim.set_faults(error_5xx_share=1.0, error_5xx_codes=(502,))
    assert "the provider&#x27;s server had an error (HTTP 502)" in test_connection(provider)


def test_a_web_page_instead_of_the_api_points_at_the_url(test_connection, provider):
    Provider.objects.filter(pk=provider.pk).update(api_url=f"{BASE_URL}/panel/login")
    html = test_connection(Provider.objects.get(pk=provider.pk))
    assert "answered with a web page, not an API v2 answer. Check the API URL" in html


@responses.activate
def test_an_answer_that_is_not_json_is_not_an_api_v2_answer(test_connection, provider):
    responses.post("https://text.example/api/v2", body="Service temporarily OK", status=200)
    Provider.objects.filter(pk=provider.pk).update(api_url="https://text.example/api/v2")
    html = test_connection(Provider.objects.get(pk=provider.pk))
    assert "the address answered, but not with an API v2 answer (not JSON)" in html


def test_a_failed_test_does_not_count_against_the_providers_health(test_connection, provider):
    Provider.objects.filter(pk=provider.pk).update(api_url="http://127.0.0.1:9/api/v2")
    for _ in range(4):
        test_connection(Provider.objects.get(pk=provider.pk))
    provider.refresh_from_db()
    assert (provider.consecutive_failures, provider.paused_until) == (0, None)


def test_a_paused_provider_can_still_be_tested_and_an_answer_lifts_the_pause(
    test_connection, provider
):
    Provider.objects.filter(pk=provider.pk).update(
        paused_until=timezone.now() + timedelta(minutes=20), consecutive_failures=6
    )
    html = test_connection(Provider.objects.get(pk=provider.pk))
    assert "Connected." in html
    provider.refresh_from_db()
    assert provider.paused_until is None


def test_a_test_waits_out_the_retry_after_the_provider_asked_for(test_connection, provider, sim):
    sim.set_faults(rate_limit_share=1, retry_after=120, actions=["balance"])
    first = test_connection(provider)
    assert "It asks to wait 120 seconds." in first
    sim.reset_faults()
    second = test_connection(Provider.objects.get(pk=provider.pk))
    assert "Not tried" in second
    assert ApiCall.objects.filter(provider=provider).count() == 1
    assert Provider.objects.get(pk=provider.pk).consecutive_failures == 0  # a probe: not counted


def test_a_successful_test_lifts_a_hold_for_a_refused_key(test_connection, provider):
    Provider.objects.filter(pk=provider.pk).update(key_refused_at=timezone.now())
    assert "Connected." in test_connection(Provider.objects.get(pk=provider.pk))
    assert not Provider.objects.get(pk=provider.pk).key_refused


def test_the_key_is_in_no_message_and_no_log_line(test_connection, provider, caplog):
    caplog.set_level(logging.DEBUG)
    key = "sk-wrong-but-secret-abcdef0123456789"
    provider.api_key = key
    provider.save()
    html = test_connection(provider)
    Provider.objects.filter(pk=provider.pk).update(api_url="http://127.0.0.1:9/api/v2")
    html += test_connection(Provider.objects.get(pk=provider.pk))
    assert key not in html and key not in caplog.text


def test_without_htmx_the_result_comes_back_as_a_message(client_as, admin_user, provider):
    response = client_as(admin_user).post(f"/providers/{provider.pk}/test/", follow=True)
    assert response.redirect_chain[-1][0] == f"/providers/{provider.pk}/edit/"
    assert "Connected. The balance is 5,000.00 USD." in response.content.decode()


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_only_admins_test_connections(client_as, request, role, provider):
    client = client_as(request.getfixturevalue(role))
    assert client.post(f"/providers/{provider.pk}/test/").status_code == 403
    assert not ApiCall.objects.exists()


def test_testing_needs_a_post(client_as, admin_user, provider):
    assert client_as(admin_user).get(f"/providers/{provider.pk}/test/").status_code == 405
