"""Reconciliation in the browser: a flagged drift found from home, acknowledged, a top-up."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from orders.models import LedgerEntry, Movement, Provider
from orders.services.ledger import ledger_post, order_posting
from orders.services.reconciliation import balance_check_record
from tests.browser.session import sign_in
from tests.factories import make_order, make_provider, make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "var/screenshots"


def a_drift():
    provider = make_provider(name="Fast panel", currency="USD")

    def check(balance):
        return balance_check_record(
            provider=provider, balance=Decimal(balance), currency="USD", read_from=timezone.now()
        )

    check("100")
    for cost in ("4.20", "5.80"):
        order = make_order(make_service(provider), submitted_at=timezone.now(), cost=Decimal(cost))
        ledger_post([order_posting(order, Movement.SPEND, Decimal(cost), "USD")])
    later = timezone.now() + timedelta(seconds=1)
    balance_check_record(
        provider=provider, balance=Decimal("87.50"), currency="USD", read_from=later
    )
    Provider.objects.filter(pk=provider.pk).update(
        balance=Decimal("87.50"), balance_checked_at=later
    )
    return provider


def fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_an_admin_finds_a_drift_on_home_acknowledges_it_and_records_a_top_up(
    page, live_server, admin_user
):
    provider = a_drift()
    sign_in(page, live_server, admin_user)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/")
    problem = page.locator(".problem.drifts")
    expect(problem).to_contain_text("1 Balance drift")
    expect(problem).to_contain_text("-2.50 USD")
    page.screenshot(path=f"{SHOTS}/home-drift-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/home-drift-390.png", full_page=True)
    assert fits(page, 390)
    page.set_viewport_size({"width": 1366, "height": 900})
    problem.get_by_role("link", name="Fast panel").click()

    detail = page.locator("#check")
    expect(detail).to_contain_text("-2.50 USD")
    expect(detail).to_contain_text("2 ledger rows in this period")
    expect(detail).to_contain_text("2 orders placed or settled in this period")
    page.screenshot(path=f"{SHOTS}/reconciliation-drift-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/reconciliation-drift-390.png", full_page=True)
    assert fits(page, 390)
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_role("button", name="Acknowledge drift").click()
    expect(page.locator("#id_note_error")).to_contain_text("This field is required.")
    page.get_by_label("Note").fill("Monthly API fee, see statement 12/2026")
    page.get_by_role("button", name="Acknowledge drift").click()
    expect(page.get_by_text("Drift acknowledged")).to_be_visible()
    expect(page.locator("#check")).to_contain_text("Monthly API fee, see statement 12/2026")

    top_up = page.locator("#top-up")
    top_up.get_by_label("Amount paid in").fill("1,500")
    top_up.get_by_label("Reason").fill("wire 7781")
    top_up.get_by_role("button").click()
    expect(page.locator("#top-up")).to_contain_text("Use a point for decimals")
    page.locator("#top-up").get_by_label("Amount paid in").fill("1500")
    page.locator("#top-up").get_by_role("button").click()
    expect(page.get_by_text("Top-up of 1,500.00 USD recorded")).to_be_visible()
    ledger = page.locator("table.ledger").last
    expect(ledger).to_contain_text("Provider top-up")
    expect(ledger).to_contain_text("wire 7781")
    page.screenshot(path=f"{SHOTS}/reconciliation-acknowledged-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/reconciliation-acknowledged-390.png", full_page=True)
    assert fits(page, 390)
    assert LedgerEntry.objects.get(kind=Movement.TOP_UP).amount == Decimal(1500)

    page.goto(f"{live_server.url}/")
    expect(page.locator(".problem.drifts")).to_have_count(0)
    page.goto(f"{live_server.url}/providers/")
    card = page.get_by_role("article", name=provider.name)
    expect(card).to_contain_text("drift -2.50 USD acknowledged")
    page.screenshot(path=f"{SHOTS}/providers-last-check-390.png", full_page=True)
    assert fits(page, 390)
