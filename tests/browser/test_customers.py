"""Customers in the browser against the simulator: an admin adds a customer, funds them,
issues a key (shown once), puts a provider service on sale as ours and places an order for
the customer from the new-order form; every page drawn at desktop and phone widths."""

import os
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from customers.models import AccountEntry, Customer, EntryKind
from customers.selectors.account import customer_balance
from customers.selectors.keys import key_lookup
from customers.services.offers import LOSING
from orders.models import LocalState, Order
from orders.services import queue
from orders.services.placement import order_submit
from tests.browser.session import sign_in
from tests.customers.accounts import make_customer, make_offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SHOTS_DIR", "var/screenshots")
ORDER_PAGE = re.compile(r"/orders/(\d+)/$")
WIDE, PHONE = 1366, 390


@pytest.fixture(autouse=True)
def submit_at_once(monkeypatch):
    """No worker here: the task that submits a queued order runs as it is queued."""
    monkeypatch.setattr(queue, "send", lambda name, *args: bool(order_submit(*args)))


def shoot(page, name: str) -> None:
    """The page at desktop and phone widths; nothing may be wider than the phone."""
    os.makedirs(SHOTS, exist_ok=True)
    page.set_viewport_size({"width": WIDE, "height": 900})
    page.screenshot(path=f"{SHOTS}/customers-{name}-{WIDE}.png", full_page=True)
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.wait_for_timeout(300)  # let the narrow layout settle before it is drawn
    page.screenshot(path=f"{SHOTS}/customers-{name}-{PHONE}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, name
    page.set_viewport_size({"width": WIDE, "height": 900})


def test_an_admin_funds_a_new_customer_and_orders_for_them(
    page, live_server, admin_user, catalogue
):
    sign_in(page, live_server, admin_user)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Customers", exact=True).click()
    expect(page.get_by_text("No customers yet.")).to_be_visible()
    page.get_by_role("link", name="Add customer").click()
    page.get_by_role("button", name="Add customer").click()  # empty: the name is asked for
    expect(page.get_by_text("Please fix the fields marked below.")).to_be_visible()
    shoot(page, "new-errors")
    page.get_by_label("Name").fill("Acme Boosts")
    page.get_by_label("Contact").fill("ops@acme.example")
    page.get_by_role("button", name="Add customer").click()
    expect(page.get_by_text("Acme Boosts added.")).to_be_visible()
    customer = Customer.objects.get()

    funds = page.locator("#funds-form")
    funds.get_by_label("Amount").fill("1e3")
    funds.get_by_label("Reason").fill("wire 7731")
    funds.get_by_role("button", name="Add funds").click()
    expect(page.get_by_text("Enter an amount as digits with an optional point")).to_be_visible()
    page.locator("#funds-form").get_by_label("Amount").fill("5")
    page.locator("#funds-form").get_by_role("button", name="Add funds").click()
    expect(page.get_by_text("Added 5.00 USD. The balance is now 5.00 USD.")).to_be_visible()
    expect(page.get_by_test_id("balance")).to_have_text("5.00 USD")
    shoot(page, "detail-orders")

    page.get_by_role("link", name="API keys").click()
    page.get_by_label("Label").fill("shop backend")
    page.get_by_role("button", name="Issue a key").click()
    expect(page.get_by_text("Copy this key now: it is shown this once.")).to_be_visible()
    raw = page.get_by_test_id("raw-key").input_value()
    assert key_lookup(raw).customer == customer
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    shoot(page, "key-new")
    page.reload()
    expect(page.get_by_text("This key was shown once and cannot be shown again.")).to_be_visible()
    assert raw not in page.content()
    page.get_by_role("link", name="Back to the customer's keys").click()
    expect(page.get_by_role("cell", name="shop backend")).to_be_visible()
    shoot(page, "detail-keys")

    # Our service over the simulator's Default service, with its defaults.
    page.get_by_role("link", name="Our services").click()
    page.get_by_role("link", name="Add a service").click()
    page.get_by_label("Find a provider service").fill("Real Mixed")
    page.get_by_role("button", name="Search").click()
    shoot(page, "offer-pick")
    page.get_by_role("link", name=re.compile("Instagram Followers \\| Real Mixed")).first.click()
    expect(page.get_by_label("Name")).to_have_value(re.compile("Real Mixed"))
    shoot(page, "offer-new")
    page.get_by_role("button", name="Put on sale").click()
    expect(page.get_by_text("is on sale.")).to_be_visible()
    shoot(page, "offers")

    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    page.get_by_role("link", name="Order for them").click()
    expect(page.get_by_label("For a customer (optional)")).to_have_value(str(customer.pk))
    page.wait_for_load_state()
    page.get_by_label("Find a service by name, service id or category", exact=True).fill(
        "Real Mixed"
    )
    page.get_by_role("link", name=re.compile("Instagram Followers \\| Real Mixed")).first.click()
    page.get_by_label("Link", exact=True).fill("https://instagram.com/acme")
    page.get_by_label("Quantity", exact=True).fill("10000")
    estimate = page.locator("#estimate")
    expect(estimate).to_contain_text("The customer pays")
    page.get_by_label("For a customer (optional)").select_option("")  # a staff order: our price
    expect(estimate).not_to_contain_text("The customer pays")
    page.get_by_label("For a customer (optional)").select_option(str(customer.pk))
    expect(estimate).to_contain_text("The customer pays")
    page.get_by_role("button", name="Place order").click()
    expect(
        page.get_by_text("Not enough funds on the customer's balance (5.00 USD).")
    ).to_be_visible()
    shoot(page, "new-order-short")
    page.get_by_label("Quantity", exact=True).fill("1000")
    page.get_by_role("button", name="Place order").click()
    page.wait_for_url(ORDER_PAGE)
    order = Order.objects.get(pk=ORDER_PAGE.search(page.url)[1])
    assert (order.customer, order.state) == (customer, LocalState.PLACED)
    expect(page.get_by_text("For customer Acme Boosts")).to_be_visible()
    shoot(page, "order-detail")

    charge = AccountEntry.objects.get(kind=EntryKind.CHARGE)
    assert charge.order == order and customer_balance(customer.pk) == Decimal(5) + charge.amount
    page.get_by_role("link", name="Acme Boosts").click()
    page.get_by_role("link", name="Account").click()
    expect(page.locator('tr[data-seq="2"]')).to_contain_text(f"#{order.pk}")
    shoot(page, "detail-account")
    page.locator(".section-tabs").get_by_role("link", name="Orders").click()
    expect(page.get_by_role("cell", name=f"#{order.pk}")).to_be_visible()
    page.get_by_role("link", name="All their orders in the orders list").click()
    expect(page.get_by_text("Orders for customer Acme Boosts")).to_be_visible()
    expect(page.locator(f"#order-{order.pk}")).to_be_visible()
    shoot(page, "orders-filtered")

    page.goto(f"{live_server.url}/customers/")
    expect(page.locator(f'tr[data-customer="{customer.pk}"]')).to_contain_text("1")
    shoot(page, "list")
    page.goto(f"{live_server.url}/customers/{customer.pk}/edit/")
    shoot(page, "edit")


def test_a_viewer_sees_the_pages_without_their_buttons(page, live_server, viewer, catalogue):
    customer = make_customer("40", name="Zed Media")
    make_offer(catalogue["Default"], enabled=False, disabled_reason=LOSING)
    sign_in(page, live_server, viewer)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    expect(page.get_by_test_id("balance")).to_have_text("40.00 USD")
    expect(page.get_by_role("heading", name=re.compile("Add funds"))).to_have_count(0)
    page.goto(f"{live_server.url}/customers/services/")
    expect(page.get_by_role("note")).to_have_text(
        re.compile("Its cost rose above our selling rate")
    )
    expect(page.get_by_role("button", name="Put on sale")).to_have_count(0)
    shoot(page, "offers-viewer")
