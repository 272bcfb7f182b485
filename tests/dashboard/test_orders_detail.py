"""The order page for each kind of order: what it shows, whether it polls, which actions."""

from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import (
    EventKind,
    LocalState,
    Movement,
    Order,
    OrderEvent,
    Refill,
    RefillStatus,
    Status,
)
from orders.services.ledger import ledger_post, order_posting
from orders.services.placement import order_place
from orders.services.polling import orders_poll
from orders.upstream import OrderState
from tests.engine.helpers import make_all_due, placed
from tests.engine.orders_of_every_type import valid_params
from tests.factories import make_order, make_service
from tests.money.booked import booked_order, poll_with, status

pytestmark = pytest.mark.django_db
TEN_DAYS = 10 * 24 * 3600


def page_of(client, order: Order) -> str:
    response = client.get(f"/orders/{order.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def polls(page: str) -> bool:
    return 'hx-trigger="every 3s"' in page


def test_a_placed_order_shows_what_was_sent_and_what_the_provider_said(
    sim, provider, default_service, client_as, operator
):
    [order] = placed(default_service, 1)
    page = page_of(client_as(operator), order)
    assert f"Order #{order.pk}" in page
    assert str(order.upstream_id) in page
    assert order.params["link"] in page
    assert '<dt class="mono">quantity</dt>' in page
    assert f"Placed upstream as order {order.upstream_id}." in page
    assert "Order queued for submission." in page
    assert polls(page)
    assert ">Cancel</button>" in page  # running, and the service allows it
    assert "Refill: Refills are possible once the order is completed." in page


def test_a_completed_order_offers_a_refill_and_stops_polling(
    sim, provider, default_service, client_as, operator
):
    [order] = placed(default_service, 1)
    sim.advance_clock(TEN_DAYS)
    make_all_due()
    orders_poll(provider=provider)
    order.refresh_from_db()
    page = page_of(client_as(operator), order)
    assert '<span class="badge completed">Completed</span>' in page
    assert f'max="{order.quantity}" value="{order.delivered}"' in page
    assert ">Refill</button>" in page
    assert ">Cancel</button>" not in page
    assert "The order is already completed." in page
    assert not polls(page)
    assert f"{order.charge.normalize():f}" in page


def test_an_order_being_sent_says_so_and_polls(client_as, operator):
    order = make_order(make_service(), state=LocalState.SUBMITTING, upstream_id=None)
    page = page_of(client_as(operator), order)
    assert "Being sent to the provider" in page
    assert polls(page)
    assert ">Refill</button>" not in page and ">Cancel</button>" not in page


def test_a_rejected_order_says_why_and_does_not_poll(client_as, operator):
    order = make_order(
        make_service(),
        state=LocalState.REJECTED,
        upstream_id=None,
        rejection_reason="not_enough_funds",
        rejection_message="Not enough funds on balance",
    )
    page = page_of(client_as(operator), order)
    assert "The provider refused this order." in page
    assert "Not enough funds on balance" in page
    assert "not_enough_funds" in page
    assert not polls(page)


def test_an_unverified_order_has_a_banner_and_both_resolutions(client_as, operator):
    order = make_order(make_service(), state=LocalState.UNVERIFIED, upstream_id=None)
    page = page_of(client_as(operator), order)
    assert "Unverified: this order may or may not exist at the provider" in page
    assert '<label for="id_upstream_id">Upstream order id</label>' in page
    assert f'action="/orders/{order.pk}/confirm-upstream/"' in page
    assert "Confirm it was not placed" in page
    assert not polls(page)


def test_a_viewer_sees_the_banner_but_no_buttons(client_as, viewer):
    order = make_order(make_service(), state=LocalState.UNVERIFIED, upstream_id=None)
    page = page_of(client_as(viewer), order)
    assert "An operator must resolve it" in page
    assert "confirm-upstream" not in page
    running = make_order(make_service(), status=Status.IN_PROGRESS)
    assert ">Cancel</button>" not in page_of(client_as(viewer), running)


def test_a_subscription_shows_its_posts_and_child_orders(sim, provider, catalogue, staff_client):
    [order] = placed(catalogue["Subscriptions"], 1)
    sim.advance_clock(3 * 24 * 3600)
    make_all_due()
    orders_poll(provider=provider)
    order.refresh_from_db()
    page = page_of(staff_client, order)
    assert "Posts and child orders" in page
    assert f"<dt>Posts seen</dt><dd>{order.upstream_extra['posts']}</dd>" in page
    for child in order.upstream_extra["orders"]:
        assert f'<li class="mono">{child}</li>' in page


def test_a_drip_feed_order_shows_its_runs(sim, provider, default_service, staff_client):
    [order] = placed(
        default_service, 1, link="https://instagram.com/p/drip", quantity=100, runs=3, interval=30
    )
    sim.advance_clock(600)
    make_all_due()
    orders_poll(provider=provider)
    order.refresh_from_db()
    page = page_of(staff_client, order)
    assert "Drip-feed runs" in page
    assert f"<dt>Runs done</dt><dd>{order.upstream_extra.get('runs_done', 0)} / 3</dd>" in page
    assert "30 minutes" in page


def test_multi_line_parameters_are_shown_line_by_line(catalogue, staff_client):
    service = catalogue["Custom Comments"]
    order = order_place(service=service, params=valid_params(service))
    page = page_of(staff_client, order)
    assert '<pre class="lines">Great post 1\nGreat post 2' in page


def test_refills_and_cancel_requests_of_the_order_are_listed(staff_client, operator):
    order = make_order(make_service(), status=Status.COMPLETED)
    Refill.objects.create(order=order, upstream_id=555, status=RefillStatus.PENDING)
    Refill.objects.create(
        order=order, status=RefillStatus.FAILED, error_message="Refill is disabled"
    )
    order.cancel_requests.create(accepted=False, error_message="Too late", requested_by=operator)
    page = page_of(staff_client, order)
    assert '<td class="mono">555</td>' in page
    assert "Refill is disabled" in page
    assert "Too late" in page
    assert ">operator</td>" in page


def test_the_timeline_is_newest_first_with_who_did_it(staff_client, operator):
    order = make_order(make_service(), status=Status.COMPLETED)
    OrderEvent.objects.create(order=order, kind=EventKind.STATUS, message="first thing")
    OrderEvent.objects.create(
        order=order, kind=EventKind.STAFF, message="second thing", actor=operator
    )
    page = page_of(staff_client, order)
    assert page.index("second thing") < page.index("first thing")
    assert 'second thing <span class="muted">— operator</span>' in page


def test_money_is_shown_with_its_currency(staff_client):
    order = make_order(
        make_service(),
        charge=Decimal("0.27819"),
        cost=Decimal("0.3"),
        price=Decimal("0.39000"),
        currency="EUR",
    )
    page = page_of(staff_client, order)
    assert "0.27819 EUR" in page and "0.30 EUR" in page and "0.39 EUR" in page


def test_a_running_order_shows_its_cost_and_price_as_estimates(staff_client):
    order = make_order(cost=Decimal("120"), price=Decimal("156"), currency="USD")
    page = page_of(staff_client, order)
    assert '120.00 USD <span class="muted small money-basis">(estimate)</span>' in page
    assert '156.00 USD <span class="muted small money-basis">(estimate)</span>' in page


def test_a_settled_order_shows_its_settled_figures_with_the_date_and_its_ledger_rows(
    staff_client,
):
    order = booked_order()
    poll_with({order: status(OrderState.PARTIAL, remains=47_321, charge="6.43")})
    page = page_of(staff_client, order)
    settled = f"(settled {timezone.localtime(order.settled_at):%Y-%m-%d %H:%M})"
    assert f'6.43 USD <span class="muted small money-basis">{settled}</span>' in page
    assert f'8.35848 USD <span class="muted small money-basis">{settled}</span>' in page
    money = page[page.index('id="money-title"') :]
    for movement, amount in [
        ("Spend", "120.00 USD"),
        ("Sale", "156.00 USD"),
        ("Provider refund", "-113.57 USD"),
        ("Sale reversal", "-147.64152 USD"),
    ]:
        assert f'<td>{movement}</td><td class="num nowrap">{amount}</td>' in money


def test_an_order_the_provider_refused_says_nothing_was_booked(staff_client):
    order = make_order(state=LocalState.REJECTED, upstream_id=None, cost=Decimal(1))
    page = page_of(staff_client, order)
    assert "(estimate; not placed, nothing bought)" in page
    assert "Nothing booked: the order was not placed." in page


def test_the_live_fragment_is_only_the_changing_part(staff_client):
    order = make_order(make_service(), status=Status.IN_PROGRESS)
    response = staff_client.get(f"/orders/{order.pk}/", {"fragment": "live"})
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="order-live"')
    assert "<html" not in page
    assert polls(page)


def test_the_page_costs_the_same_queries_with_5_or_60_events(
    staff_client, operator, django_assert_num_queries
):
    order = make_order(make_service(), status=Status.COMPLETED, placed_by=operator)

    def grow(n):
        for i in range(n):
            OrderEvent.objects.create(order=order, kind="status", message=f"e{i}", actor=operator)
            Refill.objects.create(order=order, upstream_id=i + 1, requested_by=operator)
            order.cancel_requests.create(requested_by=operator)
            ledger_post([order_posting(order, Movement.SPEND, Decimal(1), "USD")])

    grow(5)
    # Session, user, order, events, refills, cancels, its ledger rows, and the nav's
    # permissions (2).
    with django_assert_num_queries(9):
        staff_client.get(f"/orders/{order.pk}/")
    grow(55)
    with django_assert_num_queries(9):
        staff_client.get(f"/orders/{order.pk}/")


def test_an_order_that_does_not_exist_is_404(staff_client):
    assert staff_client.get("/orders/999999/").status_code == 404


def test_a_pending_order_shows_no_delivery_on_its_page(staff_client):
    order = make_order(quantity=100, remains=0, status=Status.PENDING)
    page = page_of(staff_client, order)
    assert "100 of 100 delivered" not in page
    assert "<progress" not in page
    assert "— of 100 delivered: not started yet" in page
    assert "<dt>Delivered</dt><dd>—</dd>" in page
    live = staff_client.get(f"/orders/{order.pk}/?fragment=live").content.decode()
    assert "— of 100 delivered" in live


def test_a_subscription_costs_what_a_post_costs_not_the_rate_per_1000(staff_client, operator):
    service = make_service(type="Subscriptions", rate=Decimal("0.15"), min_quantity=10)
    params = {"username": "brand", "min": "50", "max": "100", "delay": "0"}
    order = order_place(service=service, params=params, user=operator)
    page = page_of(staff_client, order)
    assert "<dt>Cost per post</dt><dd>0.0075–0.015 USD per post</dd>" in page
    assert "<dt>Price per post</dt><dd>0.00975–0.0195 USD per post</dd>" in page
    assert "0.15 USD" not in page
    assert "Nothing charged yet" in page


def test_a_subscription_with_a_posts_limit_shows_what_all_of_them_cost(staff_client, operator):
    service = make_service(type="Subscriptions", rate=Decimal("0.15"), min_quantity=10)
    params = {"username": "brand", "min": "50", "max": "100", "posts": "10", "delay": "0"}
    page = page_of(staff_client, order_place(service=service, params=params, user=operator))
    assert "0.0075–0.015 USD per post" in page
    assert "· 0.075–0.15 USD for 10 posts</span>" in page
    one = {**params, "min": "100", "posts": "1"}
    page = page_of(staff_client, order_place(service=service, params=one, user=operator))
    assert "<dt>Cost per post</dt><dd>0.015 USD per post" in page
    assert "· 0.015 USD for 1 post</span>" in page


def test_a_one_minute_interval_is_said_in_the_singular(staff_client):
    order = make_order(
        params={"link": "https://x.com/a", "quantity": 100, "runs": 2, "interval": 1}
    )
    page = page_of(staff_client, order)
    assert "<dt>Interval</dt><dd>1 minute</dd>" in page
