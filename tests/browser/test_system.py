"""The system page in the browser: jobs, heartbeat, queue and the filtered call log."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from orders.models import ApiCall, JobRun
from tests.factories import make_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user, password):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def history():
    now = timezone.now()
    north, south = make_provider(name="North panel"), make_provider(name="South panel")
    for i in range(70):
        ApiCall.objects.create(
            provider=north if i % 2 else south,
            action="status" if i % 5 else "balance",
            ids=100 if i % 5 else 0,
            duration_ms=120 + i,
            outcome="ok" if i % 7 else "unavailable",
            reason="" if i % 7 else "read_timeout",
            http_status=200 if i % 7 else None,
        )
    for name in ("poll_orders", "sync_balance", "sweep_orders"):
        JobRun.objects.create(
            name=name,
            last_started_at=now - timedelta(seconds=20),
            last_finished_at=now - timedelta(seconds=19),
            last_ok=True,
            last_summary="2 providers",
        )
    JobRun.objects.create(
        name=f"poll_orders:{north.pk}",
        last_started_at=now - timedelta(seconds=20),
        last_finished_at=now - timedelta(seconds=18),
        last_ok=False,
        last_summary="ProviderUnavailable: status: the provider could not be reached",
    )
    five_ago = now - timedelta(minutes=5)
    JobRun.objects.create(
        name="heartbeat", last_started_at=five_ago, last_finished_at=five_ago, last_ok=True
    )
    return north


def test_the_system_page_shows_jobs_heartbeat_and_a_filtered_log(
    page, live_server, viewer, history
):
    sign_in(page, live_server, viewer, "viewer-password-1")
    page.goto(f"{live_server.url}/system/")
    expect(page.get_by_text("beat or the worker is not running")).to_be_visible()
    expect(page.locator("table.calls tbody tr")).to_have_count(50)
    page.screenshot(path="var/screenshots/system-1280.png", full_page=True)

    page.get_by_role("link", name="Older →").click()
    expect(page.locator("table.calls tbody tr")).to_have_count(20)

    page.get_by_label("Provider", exact=True).select_option(label="North panel")
    page.get_by_label("Outcome").select_option("unavailable")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table.calls tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("North panel")

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/system/")
    page.screenshot(path="var/screenshots/system-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
