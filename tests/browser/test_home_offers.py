"""Home in the browser: our services a sync took off sale, on a desktop and on a phone."""

import os
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from orders.services.catalogue import catalogue_sync
from simulator.models import SimService
from tests.browser.session import sign_in
from tests.customers.accounts import make_offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONG_NAME = "Instagram Followers | Real Mixed | Refill 30 Days | 20K/Day | Instant Start"
SHOTS = os.environ.get("SHOTS_DIR", "var/screenshots")


@pytest.mark.parametrize("width", [1366, 390])
def test_a_service_taken_off_sale_reads_on_the_home_page_and_opens_its_page(
    page, live_server, admin_user, provider, catalogue, width
):
    service = provider.services.get(upstream_id=1)
    offer = make_offer(service, name=LONG_NAME, rate=Decimal("1.80"))
    SimService.objects.filter(service_id=1).update(rate=Decimal("2.25"))
    catalogue_sync(provider=provider)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, admin_user)
    page.goto(f"{live_server.url}/")
    link = page.get_by_role("link", name=f"Our service #{offer.pk}")
    expect(link).to_be_visible()
    expect(page.get_by_text("2.25 against 1.8 USD per 1000")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/home-offers-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    link.click()
    page.wait_for_url(f"{live_server.url}/customers/services/{offer.pk}/")
