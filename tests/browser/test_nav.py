"""The top bar in Chromium: a menu button on a phone, the plain links on a desktop."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}
TABLET = {"width": 768, "height": 1024}
DESKTOP = {"width": 1280, "height": 800}


def open_home(page: Page, live_server, user, viewport) -> None:
    page.set_viewport_size(viewport)
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/")


def header_height(page: Page) -> float:
    return page.locator("header.topbar").bounding_box()["height"]


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
def test_on_a_phone_the_menu_is_closed_until_its_button_opens_it(
    page, live_server, admin_user, viewport
):
    open_home(page, live_server, admin_user, viewport)
    menu_button = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(menu_button).to_have_attribute("aria-controls", "topbar-menu")
    expect(nav).to_be_hidden()
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    assert header_height(page) < 60

    menu_button.click()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#topbar-menu")).to_be_visible()
    expect(nav.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    nav.get_by_role("link", name="Orders").click()
    page.wait_for_url(f"{live_server.url}/orders/")
    expect(page.get_by_role("heading", name="Orders", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()


def test_the_menu_button_and_escape_close_the_menu_again(page, live_server, admin_user):
    open_home(page, live_server, admin_user, PHONE)
    menu_button = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    menu_button.click()
    expect(nav).to_be_visible()
    menu_button.click()
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()

    menu_button.click()
    nav.get_by_role("link", name="Catalogue").focus()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu_button).to_be_focused()


def test_the_menu_opens_from_the_keyboard(page, live_server, admin_user):
    open_home(page, live_server, admin_user, PHONE)
    page.get_by_role("button", name="Menu").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Home")
    ).to_be_focused()


def test_on_a_desktop_the_links_show_and_the_menu_button_does_not(page, live_server, admin_user):
    open_home(page, live_server, admin_user, DESKTOP)
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Home", "Orders", "Catalogue", "Audit"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert header_height(page) < 60
    nav.get_by_role("link", name="Refills").click()
    page.wait_for_url(f"{live_server.url}/refills/")


def test_primary_buttons_keep_their_own_width_outside_the_sign_in_card(
    page, live_server, admin_user
):
    open_home(page, live_server, admin_user, DESKTOP)
    probe = (
        '<form id="probe" class="card"><button class="btn primary" type="button">Go</button></form>'
    )
    page.locator("main.content").evaluate(
        "(main, html) => main.insertAdjacentHTML('beforeend', html)", probe
    )
    form_width = page.locator("#probe").bounding_box()["width"]
    button = page.locator("#probe button")
    assert button.bounding_box()["width"] < form_width / 4
    assert button.evaluate("b => getComputedStyle(b).marginTop") == "0px"


def test_the_sign_in_button_fills_the_sign_in_card(page, live_server):
    page.goto(f"{live_server.url}/login/")
    form_width = page.locator("main.auth-card form").bounding_box()["width"]
    assert page.get_by_role("button", name="Sign in").bounding_box()["width"] == form_width
