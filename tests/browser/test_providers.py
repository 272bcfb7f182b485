"""Providers in the browser: an admin adds one, tests the connection, fixes a wrong key."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from orders.models import ApiCall, Provider
from simulator.testing import API_URL, funded_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user, password):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def test_an_admin_adds_a_provider_and_tests_its_connection(page, live_server, admin_user, sim):
    key = funded_account(Decimal("250"))
    sign_in(page, live_server, admin_user, "admin-password-1")
    page.goto(f"{live_server.url}/providers/")
    page.get_by_role("link", name="Add a provider").first.click()

    page.get_by_role("button", name="Add provider").click()  # empty: every error beside its field
    expect(page.get_by_text("A new provider needs its API key.")).to_be_visible()
    page.screenshot(path="var/screenshots/providers-new-errors-1280.png", full_page=True)

    page.get_by_label("Name").fill("Sim panel")
    page.get_by_label("API URL").fill(API_URL)
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Add provider").click()
    expect(page.get_by_text("Provider saved. Test its connection now.")).to_be_visible()
    assert key not in page.content()

    page.get_by_role("button", name="Test connection").click()
    expect(page.get_by_text("Connected. The balance is 250.00 USD.")).to_be_visible()
    page.screenshot(path="var/screenshots/providers-edit-1280.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path="var/screenshots/providers-edit-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert key not in page.content()


def test_a_wrong_key_is_named_and_a_new_key_replaces_it(page, live_server, admin_user, provider):
    good_key = provider.api_key
    provider.api_key = "not-the-right-key-000"
    provider.save()
    sign_in(page, live_server, admin_user, "admin-password-1")
    page.goto(f"{live_server.url}/providers/{provider.pk}/edit/")
    page.get_by_role("button", name="Test connection").click()
    expect(page.get_by_text("the provider says the API key is invalid")).to_be_visible()

    page.get_by_label("New API key").fill(good_key)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Provider saved.")).to_be_visible()
    page.get_by_role("button", name="Test connection").click()
    expect(page.get_by_text("Connected. The balance is 5,000.00 USD.")).to_be_visible()
    assert good_key not in page.content()
    provider.refresh_from_db()
    assert provider.api_key == good_key


def test_the_provider_list_shows_health_on_desktop_and_phone(page, live_server, viewer, provider):
    ApiCall.objects.create(provider=provider, action="status", outcome="ok")
    ApiCall.objects.create(provider=provider, action="status", outcome="unavailable")
    Provider.objects.filter(pk=provider.pk).update(balance=Decimal("3.5"), currency="USD")
    sign_in(page, live_server, viewer, "viewer-password-1")
    page.goto(f"{live_server.url}/providers/")
    card = page.get_by_role("article", name=provider.name)
    expect(card).to_contain_text("low: under 10.00")
    expect(card).to_contain_text("50%")
    expect(page.get_by_role("link", name="Add a provider")).to_have_count(0)
    page.screenshot(path="var/screenshots/providers-list-1280.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path="var/screenshots/providers-list-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
