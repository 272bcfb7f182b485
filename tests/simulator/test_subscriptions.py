"""Subscriptions watch a profile: each new post gets a child order, charged when placed."""

from decimal import Decimal

from simulator.models import SimAccount, SimOrder

HOUR = 3600  # the default time between two posts


def subscribe(sim_api, **fields):
    answer = sim_api("add", service=15, username="natgeo", min=100, max=200, **fields)
    return answer["order"]


def test_a_new_subscription_is_active_with_no_posts(sim_api):
    order = subscribe(sim_api, delay=0)
    assert sim_api("status", order=order) == {
        "charge": "0.00000",
        "start_count": "0",
        "status": "Active",
        "remains": "0",
        "currency": "USD",
        "posts": "0",
        "orders": [],
    }


def test_each_post_gets_a_child_order_charged_for_its_quantity(sim, sim_api):
    order = subscribe(sim_api, delay=0)
    sim.advance_clock(3 * HOUR + 60)
    answer = sim_api("status", order=order)
    children = SimOrder.objects.filter(parent_id=order).order_by("post_index")
    assert answer["posts"] == "3"
    assert answer["orders"] == [child.pk for child in children]
    assert all(100 <= child.quantity <= 200 for child in children)
    spent = sum(child.price for child in children)
    assert Decimal(answer["charge"]) == spent
    assert Decimal(sim_api("balance")["balance"]) == Decimal("1000") - spent


def test_child_orders_are_orders_with_their_own_status(sim, sim_api):
    order = subscribe(sim_api, delay=30)
    sim.advance_clock(HOUR + 60)
    child = sim_api("status", order=order)["orders"][0]
    assert sim_api("status", order=child)["status"] == "Pending"  # the delay is 30 minutes
    sim.advance_clock(2 * HOUR)
    assert sim_api("status", order=child)["status"] == "Completed"


def test_old_posts_are_ordered_at_once(sim, sim_api):
    order = subscribe(sim_api, delay=0, old_posts=2)
    assert sim_api("status", order=order)["posts"] == "2"


def test_it_completes_after_the_number_of_posts_asked_for(sim, sim_api):
    order = subscribe(sim_api, delay=0, posts=2)
    sim.advance_clock(10 * HOUR)
    answer = sim_api("status", order=order)
    assert (answer["status"], answer["posts"]) == ("Completed", "2")


def test_it_expires_on_its_expiry_date(sim, sim_api):
    order = subscribe(sim_api, delay=0, expiry="1/1/2099")
    SimOrder.objects.filter(pk=order).update(ends_at=sim.now() + 2 * HOUR + 1)
    sim.advance_clock(10 * HOUR)
    answer = sim_api("status", order=order)
    assert (answer["status"], answer["posts"]) == ("Expired", "2")


def test_it_pauses_when_funds_run_out_and_resumes_when_topped_up(sim, sim_api, sim_key):
    order = subscribe(sim_api, delay=0)
    SimAccount.objects.filter(api_key=sim_key).update(balance=Decimal("0.01"))
    sim.advance_clock(HOUR + 60)
    assert sim_api("status", order=order)["status"] == "Paused"
    SimAccount.objects.filter(api_key=sim_key).update(balance=Decimal("10"))
    answer = sim_api("status", order=order)
    assert (answer["status"], answer["posts"]) == ("Active", "1")


def test_a_cancelled_subscription_orders_no_more_posts(sim, sim_api):
    order = subscribe(sim_api, delay=0)
    sim.advance_clock(HOUR + 60)
    assert sim_api("cancel", orders=str(order)) == [{"order": order, "cancel": 1}]
    sim.advance_clock(5 * HOUR)
    answer = sim_api("status", order=order)
    assert (answer["status"], answer["posts"]) == ("Canceled", "1")
