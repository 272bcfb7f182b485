"""The providers list: balance, health and error rates for every role; buttons for admins."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.models import ApiCall
from orders.selectors.providers import provider_health_list
from tests.factories import make_provider

pytestmark = pytest.mark.django_db


def calls(provider, outcomes, minutes_ago=1):
    for outcome in outcomes:
        call = ApiCall.objects.create(provider=provider, action="status", outcome=outcome)
        ApiCall.objects.filter(pk=call.pk).update(
            at=timezone.now() - timedelta(minutes=minutes_ago)
        )


def test_error_rates_count_failures_over_the_last_hour_and_day():
    provider = make_provider()
    calls(provider, ["ok", "ok", "rejected", "unavailable"])  # a refusal is an answer
    calls(provider, ["invalid", "ok"], minutes_ago=120)
    calls(provider, ["unavailable"] * 5, minutes_ago=60 * 30)  # older than a day
    [health] = provider_health_list()
    assert (health.hour.calls, health.hour.failed, health.hour.percent) == (4, 1, "25%")
    assert (health.day.calls, health.day.failed, health.day.percent) == (6, 2, "33%")


def test_a_refused_key_counts_as_an_error_not_as_an_answer():
    provider = make_provider()
    calls(provider, ["key_refused"] * 3 + ["ok"])
    [health] = provider_health_list()
    assert (health.hour.calls, health.hour.failed, health.hour.percent) == (4, 3, "75%")


def test_a_call_still_in_flight_is_not_judged_but_one_cut_short_is_a_failure():
    provider = make_provider()
    calls(provider, ["pending"], minutes_ago=0)
    calls(provider, ["pending", "ok"], minutes_ago=30)
    [health] = provider_health_list()
    assert (health.hour.calls, health.hour.failed) == (2, 1)


def test_the_page_says_key_refused_instead_of_healthy(client_as, viewer):
    make_provider(
        name="Locked panel",
        last_success_at=timezone.now(),
        key_refused_at=timezone.now(),
        last_error="status: the provider refused (bad_key): Invalid API key",
    )
    html = client_as(viewer).get("/providers/").content.decode()
    assert "key refused" in html and "healthy" not in html
    assert "until the key is changed or a connection test succeeds" in html


def test_a_provider_with_no_calls_has_no_rate_rather_than_zero():
    make_provider()
    [health] = provider_health_list()
    assert health.hour.error_rate is None and health.hour.percent == "–"


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({"is_active": False}, "inactive"),
        ({"key_refused_at": "now", "last_success_at": "now"}, "key_refused"),
        ({"key_refused_at": "now", "paused_until": "soon"}, "key_refused"),
        ({"paused_until": "soon"}, "paused"),
        ({"consecutive_failures": 2, "last_success_at": "now"}, "failing"),
        ({}, "unchecked"),
        ({"last_success_at": "now"}, "ok"),
    ],
)
def test_each_provider_gets_one_health_word(fields, state):
    now = timezone.now()
    values = {"now": now, "soon": now + timedelta(minutes=3)}
    make_provider(**{k: values.get(v, v) for k, v in fields.items()})
    assert provider_health_list()[0].state == state


def test_the_page_shows_balance_low_warning_sync_times_and_pause(client_as, viewer):
    make_provider(
        name="Low panel",
        balance=Decimal("2"),
        low_balance_threshold=Decimal("10"),
        catalogue_synced_at=timezone.now() - timedelta(hours=2),
        paused_until=timezone.now() + timedelta(minutes=10),
        consecutive_failures=4,
        last_error="status: the provider could not be reached (refused)",
    )
    html = client_as(viewer).get("/providers/").content.decode()
    assert "Low panel" in html and "2.00" in html and "low: under 10.00" in html
    assert "paused until" in html
    assert "2\xa0hours ago" in html
    assert "the provider could not be reached (refused)" in html


def test_viewers_and_operators_see_no_admin_buttons(client_as, viewer, operator):
    make_provider()
    for user in (viewer, operator):
        html = client_as(user).get("/providers/").content.decode()
        assert (
            "Add a provider" not in html and "/edit/" not in html and "Sync catalogue" not in html
        )


def test_admins_get_add_edit_and_sync_buttons(client_as, admin_user):
    provider = make_provider()
    html = client_as(admin_user).get("/providers/").content.decode()
    assert "Add a provider" in html and f"/providers/{provider.pk}/edit/" in html
    assert 'value="sync_catalogue"' in html and 'value="sync_balance"' in html


def test_the_api_key_is_never_on_the_list(client_as, admin_user):
    make_provider(api_key="sk-live-abcdefghijklmnop-1234")
    html = client_as(admin_user).get("/providers/").content.decode()
    assert "abcdefghijklmnop" not in html


def test_a_staff_member_without_a_role_cannot_see_providers(staff_client):
    assert staff_client.get("/providers/").status_code == 403


def populate(providers: int, calls_each: int) -> None:
    for _ in range(providers):
        provider = make_provider(balance=Decimal(3))
        ApiCall.objects.bulk_create(
            ApiCall(provider=provider, action="status", outcome="ok" if i % 4 else "invalid")
            for i in range(calls_each)
        )


def test_the_page_costs_the_same_queries_with_more_providers_and_calls(
    client_as, admin_user, django_assert_max_num_queries
):
    client = client_as(admin_user)
    populate(2, 10)
    with CaptureQueriesContext(connection) as small:
        client.get("/providers/")
    populate(8, 300)
    with django_assert_max_num_queries(len(small)):
        client.get("/providers/")
    assert len(small) <= 7


def test_one_call_is_counted_in_the_singular(client_as, viewer):
    calls(make_provider(), ["ok"])
    html = client_as(viewer).get("/providers/").content.decode()
    assert "(0 of 1 call)" in html
    assert "1 calls" not in html
