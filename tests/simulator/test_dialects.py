"""Dialects: the same answers spelled the ways real panels spell them."""

import pytest

from simulator.models import SimRefill

LINK = "https://instagram.com/p/"


def test_the_default_dialect_spells_ids_as_the_seed_document(sim, sim_api, place):
    order = place(1, quantity=100)
    assert isinstance(order, int)
    sim.advance_clock(3600)
    answer = sim_api("refill", order=order)
    assert answer == {"refill": str(SimRefill.objects.get(order_id=order).pk)}
    assert sim_api("refill", orders=str(order))[0]["order"] == order


def test_ids_can_all_be_strings(sim, sim_api):
    sim.set_dialect(ids="string")
    order = sim_api("add", service=1, link=LINK, quantity=100)["order"]
    assert isinstance(order, str)
    assert sim_api("services")[0]["service"] == "1"
    assert sim_api("cancel", orders=order) == [{"order": order, "cancel": 1}]


def test_ids_can_all_be_numbers(sim, sim_api, place):
    sim.set_dialect(ids="number")
    order = place(1, quantity=100)
    sim.advance_clock(3600)
    assert sim_api("refill", order=order) == {"refill": SimRefill.objects.get(order_id=order).pk}


def test_canceled_can_be_spelled_cancelled(sim, sim_api, place):
    sim.set_dialect(canceled="Cancelled")
    order = place(1, quantity=100)
    sim_api("cancel", orders=str(order))
    sim.advance_clock(61)
    assert sim_api("status", order=order)["status"] == "Cancelled"


def test_money_can_come_as_json_numbers(sim, sim_api, place):
    sim.set_dialect(money="float")
    order = place(1, quantity=150)
    assert sim_api("status", order=order)["charge"] == 0.135
    assert sim_api("balance")["balance"] == 999.865
    assert sim_api("services")[0]["rate"] == 0.9


def test_counts_can_come_as_json_numbers(sim, sim_api, place):
    sim.set_dialect(counts="number")
    order = place(1, quantity=150)
    assert sim_api("status", order=order)["remains"] == 150
    assert sim_api("services")[0]["min"] == 50


@pytest.mark.parametrize(
    ("flags", "refill", "cancel"),
    [("bool", True, False), ("int", 1, 0), ("string", "1", "0"), ("omit", True, None)],
)
def test_flags_come_in_every_spelling(sim, sim_api, flags, refill, cancel):
    sim.set_dialect(flags=flags)
    youtube = next(s for s in sim_api("services") if str(s["service"]) == "19")
    assert youtube["refill"] == refill
    assert youtube.get("cancel") == cancel


def test_in_progress_can_be_spelled_processing(sim, sim_api, place):
    sim.set_dialect(in_progress="Processing")
    order = place(1, quantity=1000)
    sim.advance_clock(600)
    assert sim_api("status", order=order)["status"] == "Processing"


def test_errors_can_be_machine_codes(sim, sim_api):
    sim.set_dialect(errors="codes")
    assert sim_api("add", service=1, link=LINK, quantity=1) == {
        "error": "neworder.error.min_quantity"
    }
    assert sim_api("add", service=999) == {"error": "neworder.error.incorrect_service_id"}
    assert sim_api("add", service=1, link="nope", quantity=100) == {"error": "neworder.error.link"}


def test_json_can_be_labelled_as_html(sim, sim_post):
    sim.set_dialect(content_type="text/html")
    response = sim_post("balance")
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.json()["currency"] == "USD"
