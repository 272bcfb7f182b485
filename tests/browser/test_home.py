"""Home in the browser: balances, problems and the server-drawn chart, desktop and phone."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from orders.models import LocalState, Order, Status
from tests.engine.helpers import placed
from tests.factories import make_order
from tests.ledger_rows import booked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user, password):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def busy_month(catalogue, provider):
    """A month of placed orders, one unverified, one rejected and one stuck."""
    orders = placed(catalogue["Default"], 12)
    now = timezone.now()
    for days, order in enumerate(orders):
        Order.objects.filter(pk=order.pk).update(
            created_at=now - timedelta(days=days * 2),
            charge=Decimal("0.45") * (days + 1),
            status=Status.COMPLETED if days % 3 else Status.IN_PROGRESS,
        )
        order.currency = order.currency or "USD"
        cost = Decimal("0.45") * (days + 1)
        booked(order, now - timedelta(days=days * 2), str(cost), str(cost * Decimal("1.3")))
    stuck = orders[3]
    Order.objects.filter(pk=stuck.pk).update(
        status=Status.IN_PROGRESS, submitted_at=now - timedelta(days=3)
    )
    Order.objects.filter(pk=orders[4].pk).update(state=LocalState.UNVERIFIED)
    Order.objects.filter(pk=orders[5].pk).update(
        state=LocalState.REJECTED, rejection_message="Link is invalid"
    )
    provider.balance, provider.low_balance_threshold = Decimal("4.20"), Decimal("10")
    provider.save()
    return orders


def test_home_shows_balances_problems_and_the_chart(page, live_server, admin_user, busy_month):
    sign_in(page, live_server, admin_user, "admin-password-1")
    assert page.get_by_role("heading", name="Needs a person").is_visible()
    assert page.get_by_text("Low: under 10.00").is_visible()
    assert page.get_by_role("heading", name="Unverified order").is_visible()
    assert page.get_by_role("heading", name="Stuck order").is_visible()
    chart = page.get_by_role("img", name="Orders and spend per day, last 30 days")
    assert chart.is_visible()
    assert chart.locator("rect.bar").count() == 30
    page.screenshot(path="var/screenshots/home-1280.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path="var/screenshots/home-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_home_switches_the_spend_line_to_another_currency(
    page, live_server, admin_user, busy_month
):
    euro = Order.objects.get(pk=busy_month[0].pk)
    euro.currency = "EUR"
    booked(euro, timezone.now(), "3.00", "4.00")
    sign_in(page, live_server, admin_user, "admin-password-1")
    page.get_by_role("link", name="EUR", exact=True).click()
    page.wait_for_url("**/?currency=EUR")
    assert page.get_by_text("Spend (EUR)").first.is_visible()


def test_on_a_phone_a_wide_money_table_scrolls_inside_its_card(
    page, live_server, admin_user, busy_month
):
    for order in busy_month[:3]:  # a reseller's month in a currency of big numbers
        order.currency = "IDR"
        booked(order, timezone.now(), "98765432109.12345", "123456789012.5")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, admin_user, "admin-password-1")
    page.screenshot(path="var/screenshots/home-390-wide-money.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    table = page.locator(".money", has_text="IDR")
    assert table.evaluate("e => e.scrollWidth > e.clientWidth")  # it scrolls, in its frame
    box, card = table.bounding_box(), page.locator("#money-title").locator("..").bounding_box()
    assert box["x"] + box["width"] <= card["x"] + card["width"]


def test_a_chart_without_a_currency_names_it(page, live_server, admin_user, catalogue):
    # Made directly (not placed through the engine): its ledger rows are these alone.
    booked(make_order(catalogue["Default"], currency=""), timezone.now(), "1.00", "1.30")
    sign_in(page, live_server, admin_user, "admin-password-1")
    legend = page.locator(".legend")
    expect(legend).to_contain_text("Spend (no currency)")
    expect(legend).not_to_contain_text("()")


def test_a_chart_without_spend_in_the_ledger_hides_the_line(
    page, live_server, admin_user, catalogue
):
    make_order(catalogue["Default"])  # an order placed, nothing in the ledger for it
    sign_in(page, live_server, admin_user, "admin-password-1")
    legend = page.locator(".legend")
    expect(legend).to_contain_text("Orders placed")
    expect(legend).not_to_contain_text("Spend")


LONG_NAME = "SuperLongProviderNameWithoutAnySpacesAtAll.example.com"


@pytest.mark.parametrize("path", ["/", "/providers/"])
def test_on_a_phone_a_long_provider_name_wraps_inside_its_card(
    page, live_server, admin_user, provider, path
):
    provider.name, provider.balance = LONG_NAME, Decimal("123.45")
    provider.save()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, admin_user, "admin-password-1")
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_text(LONG_NAME).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
