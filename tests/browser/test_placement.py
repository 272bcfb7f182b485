"""Placing orders in the browser against the simulator: every kind of form, switching service
in one form, a double click, a mass order, and a viewer who may not place anything."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from orders.models import LocalState, Order
from orders.services import queue
from orders.services.placement import order_submit
from simulator.models import SimOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "var/screenshots"
ORDER_PAGE = re.compile(r"/orders/(\d+)/$")


@pytest.fixture(autouse=True)
def submit_at_once(monkeypatch):
    """No worker here: the task that submits a queued order runs as it is queued."""
    monkeypatch.setattr(queue, "send", lambda name, *args: bool(order_submit(*args)))


def sign_in(page, live_server, user, password):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username", exact=True).fill(user.username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def operator_page(page, live_server, operator, catalogue):
    sign_in(page, live_server, operator, "operator-password-1")
    return page


def pick(page, query: str, name: str) -> None:
    """Search the catalogue from the form and pick a service by (part of) its name."""
    page.wait_for_load_state()  # htmx is deferred: typing before it runs would go unheard
    page.get_by_label("Find a service by name, service id or category", exact=True).fill(query)
    page.get_by_role("link", name=re.compile(re.escape(name))).first.click()
    expect(page.get_by_role("heading", name=re.compile(re.escape(name)))).to_be_visible()


def place(page) -> Order:
    page.get_by_role("button", name="Place order").click()
    page.wait_for_url(ORDER_PAGE)
    order = Order.objects.get(pk=ORDER_PAGE.search(page.url)[1])
    expect(page).to_have_title(re.compile(f"Order #{order.pk}"))
    expect(page.get_by_text(f"Order #{order.pk} is queued for")).to_be_visible()
    assert order.state == LocalState.PLACED, order.events.first()
    assert SimOrder.objects.filter(pk=order.upstream_id).exists()
    return order


def shoot(page, name: str) -> None:
    page.screenshot(path=f"{SHOTS}/placement-{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_timeout(300)  # let the narrow layout settle before it is drawn
    page.screenshot(path=f"{SHOTS}/placement-{name}-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
    page.set_viewport_size({"width": 1280, "height": 800})


def test_switching_service_swaps_the_fields_and_keeps_the_link(operator_page, live_server):
    page = operator_page
    page.get_by_role("link", name="New order").click()
    pick(page, "Real Mixed", "Instagram Followers | Real Mixed")
    page.get_by_label("Link", exact=True).fill("https://example.com/landing")
    page.get_by_label("Quantity", exact=True).fill("1000")
    expect(page.get_by_test_id("estimate-cost")).to_have_text("0.90 USD")
    expect(page.get_by_label("Runs (optional)", exact=True)).to_be_visible()
    shoot(page, "new-default")

    pick(page, "Google Keyword", "Website Traffic | Worldwide")
    expect(page.get_by_label("Link", exact=True)).to_have_value("https://example.com/landing")
    expect(page.get_by_label("Quantity", exact=True)).to_have_value("1000")
    expect(page.get_by_label("Country", exact=True)).to_be_visible()
    expect(page.get_by_label("Google keyword (optional)", exact=True)).to_be_visible()
    page.get_by_label("Country", exact=True).fill("US")
    page.get_by_label("Device", exact=True).select_option("5")
    page.get_by_label("Type of traffic", exact=True).select_option(label="Google Keyword")
    page.get_by_label("Google keyword (optional)", exact=True).fill("best running shoes")
    expect(page.get_by_test_id("estimate-cost")).to_have_text("0.45 USD")
    shoot(page, "new-web-traffic")
    order = place(page)
    assert order.order_type == "Web Traffic"
    assert order.params["google_keyword"] == "best running shoes"


def test_orders_of_each_main_type_are_placed_from_the_form(operator_page, live_server):
    page = operator_page
    page.goto(f"{live_server.url}/orders/new/")
    pick(page, "Custom Comments | Real", "Instagram Custom Comments | Real Users")
    page.get_by_label("Link", exact=True).fill("https://instagram.com/p/comments")
    page.get_by_label("Comments", exact=True).fill("\n".join(f"Great shot {n}!" for n in range(12)))
    expect(page.get_by_test_id("estimate-cost")).to_have_text("0.096 USD")
    expect(page.get_by_text("For 12 comments.")).to_be_visible()
    shoot(page, "new-custom-comments")
    assert place(page).quantity == 12

    page.goto(f"{live_server.url}/orders/new/")
    pick(page, "Likes Package", "Instagram Likes Package")
    expect(page.get_by_label("Quantity", exact=True)).to_have_count(0)
    page.get_by_label("Link", exact=True).fill("https://instagram.com/p/package")
    expect(page.get_by_test_id("estimate-cost")).to_have_text("1.50 USD")
    assert place(page).order_type == "Package"

    page.goto(f"{live_server.url}/orders/new/")
    pick(page, "Auto Likes", "Instagram Auto Likes")
    page.get_by_label("Username", exact=True).fill("brand.account")
    page.get_by_label("Minimum per post", exact=True).fill("50")
    page.get_by_label("Maximum per post", exact=True).fill("100")
    page.get_by_label("Delay", exact=True).select_option("0")
    expect(page.get_by_test_id("estimate-cost")).to_have_text("0.0075–0.015 USD")
    shoot(page, "new-subscriptions")
    order = place(page)
    assert order.params == {"username": "brand.account", "min": 50, "max": 100, "delay": "0"}

    page.goto(f"{live_server.url}/orders/new/")
    pick(page, "26", "Twitter Poll Votes")
    page.get_by_label("Link", exact=True).fill("https://x.com/someone/status/1")
    page.get_by_label("Quantity", exact=True).fill("200")
    page.get_by_role("button", name="Place order").click()
    expect(page.locator("#id_answer_number_error")).to_have_text("Answer number is required")
    expect(page.get_by_label("Answer number", exact=True)).to_be_focused()
    shoot(page, "new-poll-errors")
    page.get_by_label("Answer number", exact=True).fill("2")
    assert place(page).params["answer_number"] == 2

    page.goto(f"{live_server.url}/orders/new/")
    pick(page, "Real Mixed", "Instagram Followers | Real Mixed")
    page.get_by_label("Link", exact=True).fill("https://instagram.com/someone")
    page.get_by_label("Quantity", exact=True).fill("500")
    page.get_by_label("Runs (optional)", exact=True).fill("3")
    page.get_by_label("Interval (optional)", exact=True).fill("30")
    expect(page.get_by_text("500 × 3 runs = 1,500 units.")).to_be_visible()
    assert place(page).quantity == 1500
    page.reload()  # a refresh after submitting shows the order page again, and buys nothing
    assert Order.objects.count() == 5


def test_a_double_click_places_one_order(operator_page, live_server, catalogue):
    page = operator_page
    page.goto(f"{live_server.url}/orders/new/?service={catalogue['Package'].pk}")
    page.get_by_label("Link", exact=True).fill("https://instagram.com/p/twice")
    page.get_by_role("button", name="Place order").dblclick()
    page.wait_for_url(ORDER_PAGE)
    assert Order.objects.count() == 1


def test_a_short_balance_and_an_unknown_type_are_shown(operator_page, live_server, catalogue):
    page = operator_page
    default = catalogue["Default"]
    default.provider.balance = Decimal("1.00")
    default.provider.save()
    page.goto(f"{live_server.url}/orders/new/?service={default.pk}")
    page.get_by_label("Quantity", exact=True).fill("5000")
    expect(page.get_by_test_id("balance-warning")).to_contain_text("less than this order costs")
    shoot(page, "new-balance-warning")

    page.goto(f"{live_server.url}/orders/new/?service={catalogue['Custom Reactions'].pk}")
    expect(page.get_by_role("alert")).to_contain_text("is not supported yet")
    expect(page.get_by_role("button", name="Place order")).to_have_count(0)
    shoot(page, "new-unknown-type")


def test_a_mass_order_places_the_good_lines_and_reports_the_bad(operator_page, live_server):
    page = operator_page
    page.get_by_role("link", name="Mass order").click()
    shoot(page, "mass-input")
    page.get_by_label("Order lines", exact=True).fill(
        "# from the spreadsheet\n"
        "1 | https://instagram.com/p/one | 1000\n"
        "3 | https://instagram.com/p/two | 500 | runs=2 | interval=10\n"
        "4 | https://instagram.com/p/three\n"
        "5 | https://instagram.com/p/four | | comments=Love it;So good\\; really;Wow;Nice;Cool;"
        "Yes;Fire;Top;Best;Wow again\n"
        "15 | | | username=brand | min=50 | max=100 | delay=0\n"
        "26 | https://x.com/poll/1 | 100 | answer_number=2\n"
        "1 | https://instagram.com/p/small | 10\n"
        "999 | https://instagram.com/p/none | 100\n"
        "29 | https://instagram.com/p/story | 100\n"
        "twelve | https://instagram.com/p/bad | 100\n"
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_test_id("valid-count")).to_have_text("6")
    expect(page.get_by_test_id("invalid-count")).to_have_text("4")
    expect(page.get_by_text("Quantity must be between 50 and 10000")).to_be_visible()
    expect(page.get_by_text("There is no service 999")).to_be_visible()
    shoot(page, "mass-preview")

    page.get_by_role("button", name="Place the 6 valid lines").click()
    page.wait_for_url(re.compile(r"/orders/mass/[\w-]+/$"))
    expect(page.get_by_test_id("placed-count")).to_have_text("6")
    expect(page.get_by_test_id("failed-count")).to_have_text("4")
    shoot(page, "mass-results")
    orders = Order.objects.all()
    assert orders.count() == 6
    assert {order.state for order in orders} == {LocalState.PLACED}
    comments = orders.get(order_type="Custom Comments").params["comments"]
    assert comments.split("\n")[:2] == ["Love it", "So good; really"]

    page.reload()  # the results page is a GET: nothing is placed again
    assert Order.objects.count() == 6


def test_changing_the_lines_after_a_preview_asks_for_a_new_preview(operator_page, live_server):
    page = operator_page
    page.goto(f"{live_server.url}/orders/mass/")
    page.get_by_label("Order lines", exact=True).fill("1 | https://instagram.com/p/one | 1000")
    page.get_by_role("button", name="Preview").click()
    place_button = page.get_by_role("button", name="Place the 1 valid line")
    expect(place_button).to_be_enabled()
    page.get_by_label("Order lines", exact=True).press_sequentially(" ")
    expect(place_button).to_be_disabled()
    expect(page.get_by_text("preview again before placing")).to_be_visible()


def test_a_viewer_cannot_place_orders(page, live_server, viewer):
    sign_in(page, live_server, viewer, "viewer-password-1")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="New order")).to_have_count(0)
    expect(nav.get_by_role("link", name="Mass order")).to_have_count(0)
    for url in ("/orders/new/", "/orders/mass/"):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 403
        expect(page.get_by_text("Your role does not allow this page or action.")).to_be_visible()
