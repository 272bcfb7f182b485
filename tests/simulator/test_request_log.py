"""The request log tests and benchmarks read to count calls and prove nothing was bought twice."""

from django.test import Client

from simulator import log
from simulator.actions import ACTIONS

LINK = "https://instagram.com/p/"


def test_every_call_is_logged_with_its_action_ids_and_outcome(sim, sim_api, place):
    order = place(1, quantity=100)
    sim_api("status", orders=f"{order},5")
    sim_api("balance", key="wrong")
    calls = list(log.calls())
    assert [(c.action, c.outcome) for c in calls] == [
        ("add", "ok"),
        ("status", "ok"),
        ("balance", "error"),
    ]
    assert (calls[1].ids_count, calls[1].ids) == (2, f"{order},5")
    assert calls[2].detail == "Invalid API key"
    assert all(c.http_status == 200 and c.duration_ms >= 0 for c in calls)


def test_it_records_what_an_add_asked_for_and_the_order_it_made(sim_api, place):
    order = place(3, LINK + "x", quantity=250)
    entry = log.calls("add").get()
    assert (entry.service_id, entry.link, entry.quantity, entry.order_id) == (
        3,
        LINK + "x",
        250,
        order,
    )


def test_it_gives_the_batch_sizes_of_an_action(sim_api):
    sim_api("status", orders=",".join(map(str, range(1, 101))))
    sim_api("status", orders="1,2,3")
    sim_api("status", order=4)
    assert log.batch_sizes("status") == [100, 3, 1]


def test_it_counts_the_ids_of_a_refused_oversized_batch(sim_api):
    sim_api("status", orders=",".join(map(str, range(150))))
    assert log.batch_sizes("status") == [150]


def test_it_shows_an_order_bought_twice_for_the_same_link(sim, sim_api, place):
    place(1, LINK + "once", quantity=100)
    place(1, LINK + "twice", quantity=100)
    sim.advance_clock(3600)
    place(1, LINK + "twice", quantity=100)
    assert log.added_twice() == [
        {
            "account": log.calls("add").first().account_id,
            "service_id": 1,
            "link": LINK + "twice",
            "orders": 2,
        }
    ]


def test_a_summary_counts_calls_by_action_and_outcome(sim_api, place):
    place(1, quantity=100)
    sim_api("balance")
    sim_api("balance", key="nope")
    summary = log.summary()
    assert summary["calls"] == 3
    assert summary["by_action"] == {"add": 1, "balance": 2}
    assert summary["by_outcome"] == {"ok": 2, "error": 1}
    assert summary["orders_added"] == 1


def test_it_can_be_cleared(sim_api):
    sim_api("balance")
    log.clear()
    assert not log.calls().exists()


def test_a_request_that_crashes_the_simulator_is_logged_too(sim, sim_key, monkeypatch):
    def crash(call):
        raise RuntimeError("bug")

    monkeypatch.setitem(ACTIONS, "balance", crash)
    client = Client(raise_request_exception=False)
    response = client.post("/simulator/api/v2", {"key": sim_key, "action": "balance"})
    assert response.status_code == 500
    entry = log.calls("balance").get()
    assert (entry.outcome, entry.detail, entry.http_status) == ("error", "server error", 500)
