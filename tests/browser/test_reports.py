"""The reports page in the browser: filters, the chart, the table and the CSV, desktop and
phone."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.session import sign_in
from tests.factories import make_order, make_provider, make_service
from tests.ledger_rows import booked, settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "var/screenshots"


@pytest.fixture
def two_months():
    """Sixty days of orders over two providers, some settled partly or canceled, and a few
    orders in a second currency."""
    now = timezone.now()
    services = [
        make_service(make_provider(name="Fastlikes"), name="Instagram Followers HQ"),
        make_service(make_provider(name="Viewmill"), name="YouTube Views", type="Package"),
    ]
    for n in range(60):
        service = services[n % 2]
        at = now - timedelta(days=n, hours=n % 5)
        cost = 2 + (n * 37) % 23
        order = make_order(service, currency="USD", quantity=1000)
        booked(order, at, f"{cost}.40", f"{cost * 1.3:.2f}")
        if n % 4 == 0:
            settled(order, at + timedelta(hours=6), refund=f"{cost / 3:.2f}", reversal="3.10")
    euro = make_service(make_provider(name="Eurosmm", currency="EUR"), name="TikTok Likes")
    for n in range(3):
        booked(make_order(euro, currency="EUR"), now - timedelta(days=n), "1.00", "1.50")


@pytest.mark.usefixtures("two_months")
def test_the_reports_page_at_desktop_and_phone_size(page, live_server, admin_user):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, admin_user)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Reports").first.click()
    page.wait_for_url("**/reports/")
    chart = page.get_by_role("img", name="Sales, net cost and profit by day")
    expect(chart).to_be_visible()
    assert chart.locator(".sales rect").count() == 30
    expect(page.locator("tfoot")).to_contain_text("Total")
    expect(page.get_by_text("Figures in USD")).to_be_visible()
    expect(page.get_by_label("Period")).to_have_value("30d")
    page.screenshot(path=f"{SHOTS}/reports-1366.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    page.get_by_label("Period").select_option("year")
    page.get_by_label("Group by").select_option("month")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**group=month**")
    expect(page.get_by_role("img", name="Sales, net cost and profit by month")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/reports-by-month-1366.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="EUR", exact=True).click()
    page.wait_for_url("**currency=EUR**")
    expect(page.get_by_text("Figures in EUR")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/reports-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.usefixtures("two_months")
def test_on_a_phone_the_table_scrolls_inside_its_frame_and_the_csv_downloads(
    page, live_server, admin_user
):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, admin_user)
    page.goto(f"{live_server.url}/reports/?group=service")
    page.screenshot(path=f"{SHOTS}/reports-by-service-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    frame = page.locator(".table-wrap")
    assert frame.evaluate("e => e.scrollWidth > e.clientWidth")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("Service,Currency,Orders,Spend")
    assert "Instagram Followers HQ (Fastlikes),USD,15," in text


@pytest.mark.usefixtures("two_months")
def test_dates_after_each_other_the_wrong_way_are_refused_on_the_page(
    page, live_server, admin_user
):
    sign_in(page, live_server, admin_user)
    page.goto(f"{live_server.url}/reports/")
    page.get_by_label("Period").select_option("custom")
    page.get_by_label("From").fill("2026-03-10")
    page.get_by_label("To").fill("2026-03-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("The first day comes after the last.")).to_be_visible()
