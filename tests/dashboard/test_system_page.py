"""The system page: jobs, heartbeat, who may see it, and a constant number of queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders import tasks
from orders.models import ApiCall, JobRun
from orders.services.jobs import job_run
from orders.services.polling import PollResult
from orders.services.recovery import SweepResult
from tests.factories import make_provider

pytestmark = pytest.mark.django_db


def page(client, query="") -> str:
    response = client.get(f"/system/{query}")
    assert response.status_code == 200
    return response.content.decode()


def run(name, *, seconds_ago=10, ok=True, summary="", running=False):
    now = timezone.now()
    return JobRun.objects.create(
        name=name,
        last_started_at=now - timedelta(seconds=seconds_ago),
        last_finished_at=None if running else now - timedelta(seconds=seconds_ago - 1),
        running_until=now + timedelta(minutes=5) if running else None,
        last_ok=None if running else ok,
        last_summary=summary,
    )


def test_every_scheduled_job_is_listed_even_one_that_never_ran(client_as, viewer):
    run("poll_orders", summary="3 providers")
    html = page(client_as(viewer))
    for name in ("poll_orders", "poll_refills", "sync_balance", "sync_catalogue", "heartbeat"):
        assert f'<td class="mono">{name}</td>' in html
    assert "3 providers" in html and "never" in html


def test_a_job_running_now_a_failed_one_and_a_late_one_are_marked(client_as, viewer):
    run("poll_orders", running=True)
    run("sweep_orders", ok=False, summary="OperationalError: database is locked")
    run("sync_balance", seconds_ago=3600)  # every minute, silent for an hour
    html = page(client_as(viewer))
    assert "running now" in html
    assert ">failed</span>" in html and "database is locked" in html
    assert ">late</span>" in html


def test_per_provider_runs_are_named_by_provider(client_as, viewer):
    provider = make_provider(name="North panel")
    run(f"poll_orders:{provider.pk}", summary="120 orders checked in 2 calls, 3 changed")
    html = page(client_as(viewer))
    assert "North panel" in html and "120 orders checked in 2 calls" in html


def test_a_fresh_heartbeat_says_both_are_alive(client_as, viewer):
    run("heartbeat", seconds_ago=20)
    html = page(client_as(viewer))
    assert "both are alive" in html and "not running" not in html


@pytest.mark.parametrize("seconds_ago", [None, 180])
def test_a_stale_or_missing_heartbeat_warns(client_as, viewer, seconds_ago):
    if seconds_ago:
        run("heartbeat", seconds_ago=seconds_ago)
    html = page(client_as(viewer))
    assert "No heartbeat for over 120 seconds: beat or the worker is not running." in html


def test_the_test_broker_has_no_depth_to_show(client_as, viewer):
    html = page(client_as(viewer))
    assert "not available" in html and "Broker: memory" in html


def test_a_staff_member_without_a_role_may_not_see_it(staff_client):
    assert staff_client.get("/system/").status_code == 403


def populate(calls: int, providers: int = 2) -> None:
    for _ in range(providers):
        provider = make_provider()
        run(f"poll_orders:{provider.pk}")
        run(f"sync_balance:{provider.pk}")
        ApiCall.objects.bulk_create(
            ApiCall(provider=provider, action="status", outcome="ok") for _ in range(calls)
        )
    for name in ("poll_orders", "sweep_orders", "heartbeat"):
        JobRun.objects.get_or_create(name=name)


@pytest.mark.parametrize("query", ["", "?outcome=ok&action=status"])
def test_the_page_costs_the_same_queries_with_more_calls_and_providers(
    client_as, viewer, django_assert_max_num_queries, query
):
    client = client_as(viewer)
    populate(20)
    with CaptureQueriesContext(connection) as small:
        page(client, query)
    populate(400, providers=6)
    with django_assert_max_num_queries(len(small)):
        page(client, query)
    assert len(small) <= 8


def test_job_summaries_say_one_of_a_thing_in_the_singular(client_as, viewer, monkeypatch):
    make_provider()
    monkeypatch.setattr(tasks.provider_job, "delay", lambda *args: None)
    tasks.for_each_provider("poll_orders")
    tasks.purge_api_calls()
    with job_run("poll_orders:1") as report:
        report.summary = str(PollResult(calls=1, orders=1, changed=1, failed_calls=1))
    with job_run("sweep_orders") as report:
        report.summary = str(SweepResult(resent=1, unverified=1))
    html = page(client_as(viewer))
    assert "1 provider<" in html
    assert "0 calls purged" in html
    assert "1 order checked in 1 call, 1 changed, 1 call failed" in html
    assert "1 queued order sent again, 1 marked unverified" in html
    assert not re.search(r"\b1 (providers|orders|calls)\b", html)
