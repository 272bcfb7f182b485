"""The orders pages in Chromium against the live server and the simulator."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from orders.models import CancelRequest, LocalState, Refill, RefillStatus, Status
from orders.selectors.orders import orders_for_action
from orders.services.actions import orders_refill
from orders.services.placement import order_place, order_submit
from orders.services.polling import orders_poll
from orders.upstream import OrderState
from tests.browser.session import sign_in
from tests.engine.helpers import make_all_due, placed
from tests.engine.orders_of_every_type import valid_params
from tests.factories import make_order, make_provider, make_service
from tests.money.booked import booked_order, poll_with, status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEN_DAYS = 10 * 24 * 3600
SHOTS = "var/screenshots"


def time_passes(sim, provider, seconds: float = TEN_DAYS) -> None:
    """The provider works on its orders, and our poller asks how they are doing."""
    sim.advance_clock(seconds)
    make_all_due()
    orders_poll(provider=provider)


def accept_confirmations(page: Page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def test_an_order_is_seen_being_sent_placed_and_completed_live(
    page, live_server, sim, provider, default_service, operator
):
    sign_in(page, live_server, operator)
    order = order_place(service=default_service, params=valid_params(default_service))
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    expect(page.get_by_text("Being sent to the provider")).to_be_visible()
    live = page.locator("#order-live")

    order_submit(order.pk)
    expect(live).to_have_attribute("data-state", "placed", timeout=10_000)
    expect(page.get_by_text("Being sent to the provider")).to_be_hidden()
    expect(page.get_by_text(re.compile(r"Placed upstream as order \d+"))).to_be_visible()

    time_passes(sim, provider)
    expect(live).to_have_attribute("data-status", "completed", timeout=10_000)
    expect(page.locator(".summary .badge.completed")).to_have_text("Completed")
    expect(page.get_by_role("button", name="Refill")).to_be_visible()
    page.wait_for_timeout(3500)  # final: the page stops asking
    expect(live).not_to_have_attribute("hx-trigger", re.compile("every"))


def test_selected_orders_are_refilled_and_cancelled_from_the_list(
    page, live_server, sim, provider, default_service, operator
):
    [done] = placed(default_service, 1)
    time_passes(sim, provider)
    [running] = placed(default_service, 1)
    sign_in(page, live_server, operator)
    accept_confirmations(page)
    page.goto(f"{live_server.url}/orders/")
    refill = page.get_by_role("button", name="Refill selected")
    expect(refill).to_be_disabled()

    page.get_by_label(f"Select order #{done.pk}").check()
    expect(page.locator("#picked-count")).to_have_text("1 selected")
    refill.click()
    expect(page.get_by_text(re.compile(rf"#{done.pk}: Refill \d+ requested\."))).to_be_visible()
    expect(page.get_by_text("Refill requested for 1 of 1 order.")).to_be_visible()

    page.get_by_label(f"Select order #{running.pk}").check()
    page.get_by_role("button", name="Cancel selected").click()
    expect(page.get_by_text(f"#{running.pk}: Cancel accepted.")).to_be_visible()
    assert Refill.objects.filter(order=done).exists()


def test_select_all_picks_every_row_and_refusals_are_explained(
    page, live_server, sim, provider, default_service, operator
):
    orders = placed(default_service, 3)  # running: none can be refilled yet
    sign_in(page, live_server, operator)
    accept_confirmations(page)
    page.goto(f"{live_server.url}/orders/")
    page.get_by_label("Select every order on this page").check()
    expect(page.locator("#picked-count")).to_have_text("3 selected")
    page.get_by_role("button", name="Refill selected").click()
    for order in orders:
        message = f"#{order.pk}: Refills are possible once the order is completed."
        expect(page.get_by_text(message)).to_be_visible()
    expect(page.get_by_text("Refill requested for 0 of 3 orders.")).to_be_visible()


def test_a_running_row_updates_itself_and_keeps_its_checkbox(
    page, live_server, sim, provider, default_service, operator
):
    [order] = placed(default_service, 1)
    sign_in(page, live_server, operator)
    page.goto(f"{live_server.url}/orders/")
    box = page.get_by_label(f"Select order #{order.pk}")
    box.check()
    time_passes(sim, provider)
    status = page.locator(f"#order-{order.pk}-status")
    expect(status).to_have_text("Completed", timeout=12_000)
    expect(page.locator(f"#order-{order.pk}-progress progress")).to_have_attribute(
        "value", str(order.quantity)
    )
    expect(box).to_be_checked()
    expect(page.locator("#picked-count")).to_have_text("1 selected")


def test_refill_and_cancel_from_the_order_page(
    page, live_server, sim, provider, default_service, operator
):
    [done] = placed(default_service, 1)
    time_passes(sim, provider)
    [running] = placed(default_service, 1)
    sign_in(page, live_server, operator)
    accept_confirmations(page)

    page.goto(f"{live_server.url}/orders/{done.pk}/")
    page.get_by_role("button", name="Refill", exact=True).click()
    expect(page.get_by_text(re.compile(rf"#{done.pk}: Refill \d+ requested\."))).to_be_visible()
    expect(page.locator("section", has_text="Refills").locator(".badge.pending")).to_be_visible()

    page.goto(f"{live_server.url}/orders/{running.pk}/")
    page.get_by_role("button", name="Cancel", exact=True).click()
    # Swapped in at once, without a reload: the button says the cancel was asked.
    expect(page.get_by_role("button", name="Cancel asked")).to_be_disabled()
    expect(page.locator("#order-actions")).to_contain_text("Cancel accepted.")
    expect(page.get_by_role("button", name="Cancel", exact=True)).to_have_count(0)
    page.wait_for_timeout(3500)  # the page's own refresh keeps it so
    expect(page.get_by_role("button", name="Cancel asked")).to_be_disabled()
    time_passes(sim, provider, 3600)
    expect(page.locator("#order-live")).to_have_attribute(
        "data-status", re.compile("canceled|partial"), timeout=10_000
    )


def test_refill_and_cancel_send_nothing_unless_confirmed(
    page, live_server, sim, provider, default_service, operator
):
    [done] = placed(default_service, 1)
    time_passes(sim, provider)
    [running] = placed(default_service, 1)
    sign_in(page, live_server, operator)
    asked: list[str] = []

    def decline(dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", decline)
    page.goto(f"{live_server.url}/orders/{done.pk}/")
    page.get_by_role("button", name="Refill", exact=True).click()
    page.goto(f"{live_server.url}/orders/{running.pk}/")
    page.get_by_role("button", name="Cancel", exact=True).click()
    page.wait_for_timeout(500)
    expect(page.get_by_role("button", name="Cancel", exact=True)).to_be_enabled()
    assert asked == [
        "Ask the provider to refill this order?",
        "Ask the provider to cancel this order?",
    ]
    assert not Refill.objects.exists()
    assert not CancelRequest.objects.exists()


def test_an_unverified_order_is_resolved_in_the_browser(
    page, live_server, sim, provider, default_service, operator
):
    [order] = placed(default_service, 1)
    upstream_id = order.upstream_id
    type(order).objects.filter(pk=order.pk).update(
        state=LocalState.UNVERIFIED, upstream_id=None, next_check_at=None
    )
    sign_in(page, live_server, operator)
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    expect(page.get_by_role("alert")).to_contain_text("may or may not exist")
    field = page.get_by_label("Upstream order id")
    field.fill("99999999")
    page.get_by_role("button", name="Confirm this upstream id").click()
    expect(page.get_by_text(f"{provider.name} has no order 99999999.")).to_be_visible()
    page.get_by_label("Upstream order id").fill(str(upstream_id))
    page.get_by_role("button", name="Confirm this upstream id").click()
    expect(page.get_by_text(f"Confirmed: tracking upstream order {upstream_id}.")).to_be_visible()
    expect(page.locator("#order-live")).to_have_attribute("data-state", "placed")


def test_the_filtered_list_downloads_as_csv(
    page, live_server, sim, provider, default_service, operator
):
    orders = placed(default_service, 3)
    time_passes(sim, provider)
    [running] = placed(default_service, 1)
    sign_in(page, live_server, operator)
    page.goto(f"{live_server.url}/orders/?status=completed")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert sorted(int(r["id"]) for r in rows) == sorted(o.pk for o in orders)
    assert {r["status"] for r in rows} == {"completed"}
    assert all(Decimal(r["charge"]) > 0 for r in rows)
    assert str(running.pk) not in {r["id"] for r in rows}


def test_the_orders_table_fits_its_card_on_a_1366_screen(page, live_server, operator):
    """Long names, links, big quantities and charges: the cells cut, the table never scrolls."""
    service = make_service(
        make_provider(name="A provider with a rather long trading name"),
        name="Instagram Followers | Real Mixed | Refill 30 days | Max 1M | Fast start " * 2,
    )
    for _ in range(3):
        make_order(
            service,
            link="https://www.instagram.com/p/C0ffee-a-very-long-post-slug/?igsh=" + "x" * 80,
            quantity=12_345_678,
            remains=2_345_678,
            status=Status.IN_PROGRESS,
            charge=Decimal("123456.78901"),
            currency="USD",
        )
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server, operator)
    page.goto(f"{live_server.url}/orders/")
    page.screenshot(path=f"{SHOTS}/orders-list-1366-long.png", full_page=True)
    frame = page.locator(".table-wrap", has=page.locator("table.orders-table"))
    assert frame.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    charge = page.locator("td.c-charge").first.bounding_box()
    box = frame.bounding_box()
    assert charge["x"] + charge["width"] <= box["x"] + box["width"]


def varied_orders(sim, provider, catalogue, operator):
    """A realistic mix for the screenshots: every state a row can be in."""
    default = catalogue["Default"]
    done = placed(default, 3)
    subscription = placed(catalogue["Subscriptions"], 1)[0]
    time_passes(sim, provider, 3 * 24 * 3600)
    orders_refill(orders=orders_for_action([o.pk for o in done[:2]]), user=operator)
    placed(catalogue["Custom Comments"], 1)
    for slug in ("C0ffee-a-very-long-post-slug-one", "C0ffee-a-very-long-post-slug-two"):
        placed(default, 1, link=f"https://www.instagram.com/p/{slug}/", quantity=5000)
    time_passes(sim, provider, 1800)
    make_order(
        default,
        state=LocalState.REJECTED,
        upstream_id=None,
        rejection_reason="not_enough_funds",
        rejection_message="Not enough funds on balance",
    )
    unverified = make_order(default, state=LocalState.UNVERIFIED, upstream_id=None)
    make_order(default, state=LocalState.QUEUED, upstream_id=None)
    Refill.objects.create(
        order=done[2],
        status=RefillStatus.FAILED,
        error_message="Refill is disabled",
        requested_by=operator,
    )
    return {"done": done[0], "subscription": subscription, "unverified": unverified}


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_of_the_orders_pages(
    page, live_server, sim, provider, catalogue, operator, width
):
    orders = varied_orders(sim, provider, catalogue, operator)
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []  # CSP refusals, script errors and missing files show up here

    def console(message) -> None:
        # The site has no favicon (base.html links none); that request is not ours.
        if message.type == "error" and "favicon.ico" not in message.location["url"]:
            errors.append(f"{message.text} at {message.location['url']}")

    page.on("console", console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, live_server, operator)
    shots = {
        "orders-list": "/orders/",
        "orders-detail": f"/orders/{orders['done'].pk}/",
        "orders-detail-subscription": f"/orders/{orders['subscription'].pk}/",
        "orders-detail-unverified": f"/orders/{orders['unverified'].pk}/",
        "orders-refills": "/refills/",
    }
    for name, path in shots.items():
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        # Nothing may stick out sideways, on a phone too: wide tables scroll in their frame.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px too wide at {width}"
    page.wait_for_timeout(5500)  # let the live parts poll once
    assert errors == []


@pytest.mark.parametrize("width", [1366, 390])
def test_an_orders_money_is_seen_settled_with_its_ledger_rows(page, live_server, operator, width):
    order = booked_order()
    poll_with({order: status(OrderState.PARTIAL, remains=47_321, charge="6.43")})
    running = booked_order(service=order.service)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, operator)
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    expect(page.get_by_test_id("order-cost")).to_contain_text("6.43 USD (settled ")
    expect(page.get_by_test_id("order-price")).to_contain_text("8.35848 USD (settled ")
    money = page.locator("table.money-rows tbody tr")
    expect(money).to_have_count(4)
    expect(money.nth(2)).to_contain_text("Provider refund")
    expect(money.nth(2)).to_contain_text("-113.57 USD")
    page.screenshot(path=f"{SHOTS}/orders-detail-settled-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.goto(f"{live_server.url}/orders/{running.pk}/")
    expect(page.get_by_test_id("order-cost")).to_have_text("120.00 USD (estimate)")
    page.screenshot(path=f"{SHOTS}/orders-detail-estimate-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.parametrize("width", [1366, 390])
def test_status_tabs_filter_the_list_and_fill_in_their_counts(
    page, live_server, sim, provider, catalogue, operator, width
):
    orders = varied_orders(sim, provider, catalogue, operator)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, operator)
    page.goto(f"{live_server.url}/orders/")
    tabs = page.get_by_role("navigation", name="Orders by status")
    # The list comes first; the counts fill in after it, each equal to what its tab lists.
    expect(tabs.locator('[data-tab="all"] .tab-count')).to_have_text(re.compile(r"^\d+$"))
    counts = {
        key: int(tabs.locator(f'[data-tab="{key}"] .tab-count').inner_text())
        for key in ("all", "completed", "unverified", "problems")
    }
    assert counts["all"] == len(page.locator("tr[id^=order-]").all())
    page.screenshot(path=f"{SHOTS}/orders-tabs-{width}.png", full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the list is {overflow}px too wide at {width}"

    for key, name in (("completed", "Completed"), ("problems", "Problems")):
        tabs.locator(f'[data-tab="{key}"]').click()
        expect(tabs.locator(f'[data-tab="{key}"]')).to_have_attribute("aria-current", "page")
        expect(page.locator("tr[id^=order-]")).to_have_count(counts[key])
        assert name in tabs.locator('[aria-current="page"]').inner_text()
    expect(page.locator(f"#order-{orders['unverified'].pk}")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/orders-tabs-problems-{width}.png", full_page=True)
