"""Home in the browser: balances, problems and the server-drawn chart, desktop and phone."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import LocalState, Order, Status
from tests.engine.helpers import placed

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
    assert page.get_by_role("heading", name="Unverified orders").is_visible()
    assert page.get_by_role("heading", name="Stuck orders").is_visible()
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
    Order.objects.filter(pk=busy_month[0].pk).update(currency="EUR")
    sign_in(page, live_server, admin_user, "admin-password-1")
    page.get_by_role("link", name="EUR", exact=True).click()
    page.wait_for_url("**/?currency=EUR")
    assert page.get_by_text("Spend (EUR)").first.is_visible()
