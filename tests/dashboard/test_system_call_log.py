"""The API call log: filters, and keyset pages (no OFFSET, no COUNT; see test_keyset)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import ApiCall
from orders.selectors.system import CallFilter, api_call_page
from tests.factories import make_provider

pytestmark = pytest.mark.django_db


def call(provider, minutes_ago=0, **fields):
    made = ApiCall.objects.create(
        provider=provider, **({"action": "status", "outcome": "ok"} | fields)
    )
    ApiCall.objects.filter(pk=made.pk).update(at=timezone.now() - timedelta(minutes=minutes_ago))
    made.refresh_from_db()
    return made


def test_pages_walk_the_whole_log_newest_first_without_repeats():
    provider = make_provider()
    made = [call(provider, minutes_ago=i) for i in range(23)]
    seen, cursor = [], ""
    while True:
        page = api_call_page(CallFilter(), cursor, size=10)
        seen += [c.pk for c in page.rows]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == [c.pk for c in made]


def test_calls_at_the_same_instant_are_split_by_id_not_lost():
    provider = make_provider()
    made = [call(provider) for _ in range(5)]
    ApiCall.objects.update(at=made[0].at)
    first = api_call_page(CallFilter(), size=2)
    rest = api_call_page(CallFilter(), first.next_cursor, size=10)
    assert sorted(c.pk for c in first.rows + rest.rows) == sorted(c.pk for c in made)


def test_filters_by_provider_action_outcome_and_day():
    north, south = make_provider(), make_provider()
    wanted = call(north, action="balance", outcome="unavailable", reason="refused")
    call(north, action="status")
    call(south, action="balance", outcome="unavailable")
    call(north, minutes_ago=60 * 48, action="balance", outcome="unavailable")
    page = api_call_page(
        CallFilter(
            provider=north, action="balance", outcome="unavailable", day=timezone.localdate()
        )
    )
    assert [c.pk for c in page.rows] == [wanted.pk]


def test_the_page_filters_and_links_to_older_calls(client_as, viewer):
    provider = make_provider(name="North panel")
    for i in range(60):
        call(provider, minutes_ago=i, outcome="ok" if i % 2 else "invalid")
    client = client_as(viewer)
    html = client.get(f"/system/?provider={provider.pk}&outcome=invalid").content.decode()
    assert html.count(">invalid</span>") == 30
    assert "Older" not in html
    html = client.get("/system/").content.decode()
    assert html.count("<time datetime=") >= 50 and "Older" in html


def test_a_wrong_filter_value_is_shown_and_ignored(client_as, viewer):
    call(make_provider())
    html = client_as(viewer).get("/system/?outcome=exploded&day=yesterday").content.decode()
    assert "Select a valid choice." in html and "Enter a valid date." in html
    assert html.count(">ok</span>") >= 1


def test_a_call_left_pending_reads_as_cut_short_and_one_in_flight_as_such(client_as, viewer):
    provider = make_provider()
    call(provider, minutes_ago=10, action="balance", outcome="pending")
    call(provider, action="services", outcome="pending")
    html = client_as(viewer).get("/system/").content.decode()
    assert html.count("no answer recorded (cut short)") == 1
    assert html.count("in flight") == 1


def test_not_sent_is_said_only_of_calls_that_never_left(client_as, viewer):
    provider = make_provider()
    call(provider, outcome="unavailable", reason="dns")
    call(provider, outcome="unavailable", reason="server_error", http_status=502)
    call(provider, outcome="invalid", reason="bad_shape", http_status=200)
    html = client_as(viewer).get("/system/").content.decode()
    assert html.count("not sent") == 1


def test_a_refused_key_is_named_in_the_log(client_as, viewer):
    call(make_provider(), action="balance", outcome="key_refused", reason="bad_key")
    html = client_as(viewer).get("/system/?outcome=key_refused").content.decode()
    assert ">key_refused</span>" in html
    assert "the provider refused the key or account" in html
