"""Resolving an unverified order in Chromium: the panel proposes the candidate, staff pick it."""

import pytest
from playwright.sync_api import expect

from orders.models import LocalState
from tests.browser.session import sign_in
from tests.engine.helpers import unverified_between

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "var/screenshots"


def test_staff_pick_the_proposed_candidate_and_the_order_is_tracked(
    page, live_server, sim, provider, default_service, operator
):
    order, issued = unverified_between(sim, default_service)
    sign_in(page, live_server, operator)
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    row = page.locator(f'tr[data-candidate="{issued}"]')
    expect(row).to_contain_text("Matches cost and id window")
    page.locator(".unverified-banner").screenshot(path=f"{SHOTS}/unverified-candidates-1280.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/unverified-candidates-390.png", full_page=True)

    row.get_by_role("button", name=f"Pick {issued}").click()
    expect(page.get_by_text(f"Confirmed: tracking upstream order {issued}.")).to_be_visible()
    expect(page.locator("#order-live")).to_have_attribute("data-state", "placed")
    order.refresh_from_db()
    assert (order.state, order.upstream_id) == (LocalState.PLACED, issued)


def test_a_doubtful_id_is_explained_and_attached_only_after_a_second_confirmation(
    page, live_server, sim, provider, default_service, operator
):
    from orders.services.providers import provider_client

    order, _ = unverified_between(sim, default_service)
    stranger = provider_client(provider).add(
        default_service.upstream_id, link="https://x.com/other", quantity=700
    )
    sign_in(page, live_server, operator)
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    page.get_by_label("Upstream order id").fill(str(stranger))
    page.get_by_role("button", name="Confirm this upstream id").click()
    doubts = page.locator(".doubts")
    expect(doubts).to_contain_text("this order should cost")
    page.locator(".unverified-banner").screenshot(path=f"{SHOTS}/unverified-doubts-1280.png")
    page.on("dialog", lambda dialog: dialog.accept())
    doubts.get_by_role("button", name=f"Attach {stranger} anyway").click()
    expect(page.get_by_text(f"Confirmed: tracking upstream order {stranger}.")).to_be_visible()
