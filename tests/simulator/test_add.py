from decimal import Decimal

import pytest

from simulator.models import SimAccount, SimOrder

LINK = "https://instagram.com/p/CxYz123"

# One valid order per type of the standard catalogue: (service id, its fields, expected charge).
VALID = {
    "Default": (1, {"link": LINK, "quantity": 1000}, "0.90000"),
    "Package": (4, {"link": LINK}, "1.50000"),
    "SEO": (20, {"link": LINK, "quantity": 1000, "keywords": "smm panel\nbuy views"}, "2.80000"),
    "Custom Comments": (
        5,
        {"link": LINK, "comments": "\n".join(f"Great shot {i}!" for i in range(10))},
        "0.08000",
    ),
    "Mentions": (9, {"link": LINK, "quantity": 100, "usernames": "alice\nbob"}, "0.18000"),
    "Mentions Custom List": (
        10,
        {"link": LINK, "usernames": "\r\n".join(f"user{i}" for i in range(10))},
        "0.02200",
    ),
    "Mentions User Followers": (
        11,
        {"link": LINK, "quantity": 500, "username": "https://instagram.com/natgeo"},
        "0.80000",
    ),
    "Mentions Media Likers": (
        12,
        {"link": LINK, "quantity": 500, "media": "https://instagram.com/p/Abc"},
        "0.80000",
    ),
    "Subscriptions": (15, {"username": "natgeo", "min": 50, "max": 100, "delay": 30}, "0.00000"),
    "Web Traffic": (
        21,
        {
            "link": "https://shop.example.com",
            "quantity": 1000,
            "country": "US",
            "device": 5,
            "type_of_traffic": 1,
            "google_keyword": "handmade soap",
        },
        "0.45000",
    ),
    "Custom Comments Package": (6, {"link": LINK, "comments": "Wow\nLove it"}, "3.50000"),
    "Comment Likes": (7, {"link": LINK, "quantity": 20, "username": "commenter"}, "0.04200"),
    "Poll": (
        26,
        {"link": "https://x.com/i/status/1", "quantity": 100, "answer_number": 2},
        "0.65000",
    ),
    "Comment Replies": (
        8,
        {"link": LINK, "username": "commenter", "comments": "a\nb\nc\nd\ne"},
        "0.06000",
    ),
    "Invites from Groups": (
        23,
        {
            "link": "https://t.me/mychannel",
            "quantity": 100,
            "groups": "https://t.me/a\nhttps://t.me/b",
        },
        "0.40000",
    ),
    "Mentions with Hashtags": (
        13,
        {"link": LINK, "quantity": 100, "usernames": "a\nb", "hashtags": "#travel\n#food"},
        "0.25000",
    ),
    "Mentions Hashtag": (14, {"link": LINK, "quantity": 500, "hashtag": "#travel"}, "1.00000"),
    "Custom Reactions": (29, {"link": LINK, "quantity": 50}, "0.06000"),
}


@pytest.mark.parametrize("kind", VALID)
def test_it_places_an_order_of_every_type_and_charges_its_price(sim_api, sim_key, kind):
    service, fields, charge = VALID[kind]
    answer = sim_api("add", service=service, **fields)
    assert set(answer) == {"order"}
    assert isinstance(answer["order"], int)
    order = SimOrder.objects.get(pk=answer["order"])
    assert order.charge == Decimal(charge)
    assert SimAccount.objects.get(api_key=sim_key).balance == Decimal("1000") - Decimal(charge)


def test_it_charges_rate_times_quantity_over_a_thousand(sim_api):
    sim_api("add", service=2, link=LINK, quantity=1250)  # rate 2.40
    assert sim_api("balance") == {"balance": "997.00000", "currency": "USD"}


def test_it_keeps_the_fields_of_the_type_with_the_order(sim_api):
    order = sim_api("add", service=9, link=LINK, quantity=100, usernames="alice\r\n\r\nbob\n")
    assert SimOrder.objects.get(pk=order["order"]).params == {"usernames": "alice\nbob"}


def test_it_refuses_an_order_while_one_is_active_on_the_same_link(sim_api):
    sim_api("add", service=1, link=LINK, quantity=100)
    again = sim_api("add", service=1, link=LINK, quantity=100)
    assert again == {
        "error": "You have active order with this link. Please wait until order being completed."
    }
    assert SimOrder.objects.count() == 1


def test_it_accepts_the_same_link_again_once_the_first_order_is_done(sim, sim_api):
    sim_api("add", service=1, link=LINK, quantity=100)
    sim.advance_clock(3600)
    assert "order" in sim_api("add", service=1, link=LINK, quantity=100)


def test_it_accepts_the_same_link_on_another_service(sim_api):
    sim_api("add", service=1, link=LINK, quantity=100)
    assert "order" in sim_api("add", service=3, link=LINK, quantity=100)


def test_it_refuses_when_funds_are_short_and_takes_nothing(sim_api):
    short = sim_api("add", service=17, link=LINK, quantity=10_000_000)  # 180.00 > 1000? no
    assert "order" in short
    refused = sim_api("add", service=30, link=LINK, quantity=1_000_000)  # 950.00 on 820 left
    assert refused == {"error": "Not enough funds on balance"}
    assert sim_api("balance")["balance"] == "820.00000"
    assert SimOrder.objects.count() == 1


def test_a_subscription_needs_funds_for_one_post(sim_api, sim_key):
    SimAccount.objects.filter(api_key=sim_key).update(balance=Decimal("0.001"))
    answer = sim_api("add", service=15, username="natgeo", min=50, max=100, delay=0)
    assert answer == {"error": "Not enough funds on balance"}


def test_a_package_costs_its_rate_whatever_the_quantity_field_says(sim_api):
    sim_api("add", service=4, link=LINK, quantity=5000)
    assert sim_api("balance")["balance"] == "998.50000"


def test_a_refund_that_fell_due_unseen_still_pays_for_the_next_order(sim, sim_api, sim_key):
    SimAccount.objects.filter(api_key=sim_key).update(balance=Decimal("2.40"))
    sim.set_behaviour(cancel_share=1)
    sim_api("add", service=2, link=LINK, quantity=1000)  # 2.40, cancelled by the provider
    sim.set_behaviour(cancel_share=0)
    sim.advance_clock(600)  # nobody asks its status or the balance
    assert "order" in sim_api("add", service=2, link=LINK + "/2", quantity=1000)
