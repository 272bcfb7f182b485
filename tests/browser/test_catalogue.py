"""The catalogue in the browser: search, the on/off switch and the markup, without reloads."""

import pytest
from playwright.sync_api import expect

from orders.models import Service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user, password):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def test_an_admin_searches_switches_a_service_off_and_sets_its_markup(
    page, live_server, admin_user, catalogue
):
    service = catalogue["Default"]
    sign_in(page, live_server, admin_user, "admin-password-1")
    page.goto(f"{live_server.url}/catalogue/")
    page.screenshot(path="var/screenshots/catalogue-list-1280.png", full_page=True)

    page.get_by_role("searchbox", name="Search").fill(service.name)
    row = page.locator(f"#service-{service.pk}")
    expect(page.locator("tr.service-row")).to_have_count(1)
    assert "q=" in page.url  # the search is in the address, so it can be shared

    switch = row.get_by_role("switch")
    expect(switch).to_have_attribute("aria-checked", "true")
    switch.click()
    expect(row.get_by_role("switch")).to_have_attribute("aria-checked", "false")
    service.refresh_from_db()
    assert not service.enabled

    row.get_by_role("link", name="Details").click()
    detail = page.locator(f"#service-{service.pk}-detail")
    expect(detail.get_by_role("heading", name="Rate history")).to_be_visible()
    detail.get_by_label("Kind").select_option("percent")
    detail.get_by_label("Value").fill("-5")
    detail.get_by_role("button", name="Save markup").click()
    expect(detail.get_by_text("A markup cannot be negative.")).to_be_visible()

    detail.get_by_label("Value").fill("50")
    detail.get_by_role("button", name="Save markup").click()
    expect(detail.get_by_text("Markup saved.")).to_be_visible()
    service.refresh_from_db()
    expect(row.get_by_text("+50%", exact=True)).to_be_visible()
    expect(row).to_contain_text(f"{service.selling_rate():.2f}")
    page.screenshot(path="var/screenshots/catalogue-detail-1280.png", full_page=True)
    detail.screenshot(path="var/screenshots/catalogue-detail-row-1280.png")

    detail.get_by_role("button", name="Close").click()
    expect(page.locator(f"#service-{service.pk}-detail")).to_be_hidden()

    page.set_viewport_size({"width": 375, "height": 800})
    page.get_by_role("link", name="Clear").click()
    page.screenshot(path="var/screenshots/catalogue-admin-375.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_catalogue_reads_well_on_a_phone(page, live_server, viewer, catalogue):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server, viewer, "viewer-password-1")
    page.goto(f"{live_server.url}/catalogue/")
    expect(page.get_by_role("switch")).to_have_count(0)  # a viewer sees, never switches
    page.screenshot(path="var/screenshots/catalogue-list-375.png", full_page=True)
    first = Service.objects.order_by("provider__name", "category", "upstream_id").first()
    page.locator(f"#service-{first.pk}").get_by_role("link", name="Details").click()
    expect(page.locator(f"#service-{first.pk}-detail")).to_be_visible()
    page.screenshot(path="var/screenshots/catalogue-detail-375.png", full_page=True)
    page.locator(f"#service-{first.pk}-detail").screenshot(
        path="var/screenshots/catalogue-detail-row-375.png"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
