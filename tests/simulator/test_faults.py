"""Fault injection, as a client lives it through the in-process adapter (and once for real)."""

import json
import time

import pytest
import requests

from simulator import log
from simulator.models import SimOrder
from simulator.testing import API_URL

LINK = "https://instagram.com/p/faulty"


@pytest.fixture
def add_form(sim_key):
    return {"key": sim_key, "action": "add", "service": 1, "link": LINK, "quantity": 100}


def test_a_timeout_before_the_action_creates_nothing(sim, sim_session, add_form):
    sim.set_faults(timeout_share=1, timeout_mode="before")
    with pytest.raises(requests.ReadTimeout):
        sim_session.post(API_URL, data=add_form, timeout=10)
    assert not SimOrder.objects.exists()
    entry = log.calls("add").get()
    assert (entry.outcome, entry.detail, entry.order_id) == ("fault", "timeout", None)


def test_a_timeout_after_the_action_loses_the_answer_of_a_placed_order(sim, sim_session, add_form):
    sim.set_faults(timeout_share=1, timeout_mode="after")
    with pytest.raises(requests.ReadTimeout):
        sim_session.post(API_URL, data=add_form, timeout=10)
    order = SimOrder.objects.get()
    entry = log.orders_added().get()
    assert (entry.order_id, entry.outcome, entry.detail) == (order.pk, "fault", "timeout")


def test_a_patient_client_gets_a_gateway_timeout_page_late(sim, sim_session, add_form):
    sim.set_faults(timeout_share=1, timeout_seconds=35)
    response = sim_session.post(API_URL, data=add_form)  # no read timeout at all
    assert response.status_code == 504
    assert float(response.headers["X-Simulator-Delay"]) >= 35


def test_latency_beyond_the_read_timeout_times_out_and_below_it_does_not(sim, sim_session, sim_key):
    sim.set_faults(latency_ms=2000)
    form = {"key": sim_key, "action": "balance"}
    with pytest.raises(requests.ReadTimeout):
        sim_session.post(API_URL, data=form, timeout=1)
    assert sim_session.post(API_URL, data=form, timeout=(1, 5)).json()["currency"] == "USD"


def test_latency_really_delays_the_answer_of_a_real_server(sim, client, sim_key):
    sim.set_faults(latency_ms=150)
    started = time.monotonic()
    response = client.post("/simulator/api/v2", {"key": sim_key, "action": "balance"})
    assert time.monotonic() - started >= 0.15
    assert response.json()["currency"] == "USD"


def test_a_5xx_fault_answers_an_html_page_and_does_nothing(sim, sim_session, add_form):
    sim.set_faults(error_5xx_share=1, error_5xx_codes=[503])
    response = sim_session.post(API_URL, data=add_form, timeout=5)
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert "503 Service Temporarily Unavailable" in response.text
    assert not SimOrder.objects.exists()


def test_5xx_faults_use_the_gateway_codes_of_real_panels(sim, sim_session, sim_key):
    sim.set_faults(error_5xx_share=1)
    codes = {
        sim_session.post(API_URL, data={"key": sim_key, "action": "balance"}).status_code
        for _ in range(30)
    }
    assert codes == {502, 503, 520}


def test_a_rate_limit_fault_answers_429_with_retry_after(sim, sim_session, add_form):
    sim.set_faults(rate_limit_share=1, retry_after=12)
    response = sim_session.post(API_URL, data=add_form, timeout=5)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "12"
    assert not SimOrder.objects.exists()


def test_a_malformed_answer_is_not_json_but_the_action_was_done(sim, sim_session, add_form):
    sim.set_faults(malformed_share=1)
    bodies = []
    for n in range(6):
        response = sim_session.post(API_URL, data=add_form | {"link": f"{LINK}{n}"}, timeout=5)
        assert response.status_code == 200
        with pytest.raises(json.JSONDecodeError):
            json.loads(response.content)
        bodies.append(response.content)
    assert SimOrder.objects.count() == 6
    assert any(body.startswith(b"<br />") for body in bodies)  # behind a PHP warning
    assert any(body.startswith(b"{") for body in bodies)  # cut short


def test_item_errors_fail_some_ids_of_a_batch_and_leave_them_alone(sim, sim_api, place):
    orders = [place(1, f"{LINK}{n}", quantity=100) for n in range(20)]
    sim.set_faults(item_error_share=0.5, fault_seed=3)
    answer = sim_api("cancel", orders=",".join(map(str, orders)))
    failed = {item["order"] for item in answer if item["cancel"] != 1}
    assert 0 < len(failed) < 20
    assert all(
        item["cancel"] == {"error": "Incorrect order ID"}
        for item in answer
        if item["order"] in failed
    )
    cancelled = set(SimOrder.objects.filter(cancel_requested=True).values_list("pk", flat=True))
    assert cancelled == set(orders) - failed


def test_item_errors_in_a_status_batch(sim, sim_api, place):
    order = place(1, quantity=100)
    sim.set_faults(item_error_share=1)
    assert sim_api("status", orders=f"{order}") == {str(order): {"error": "Incorrect order ID"}}


def test_faults_can_target_one_action(sim, sim_session, sim_key, add_form):
    sim.set_faults(error_5xx_share=1, actions=["add"])
    assert sim_session.post(API_URL, data=add_form).status_code >= 500
    balance = sim_session.post(API_URL, data={"key": sim_key, "action": "balance"})
    assert balance.status_code == 200


def test_max_faults_stops_faulting_after_that_many(sim, sim_session, add_form):
    sim.set_faults(timeout_share=1, timeout_mode="after", actions=["add"], max_faults=1)
    with pytest.raises(requests.ReadTimeout):
        sim_session.post(API_URL, data=add_form, timeout=5)
    retry = sim_session.post(API_URL, data=add_form, timeout=5)
    assert retry.json() == {
        "error": "You have active order with this link. Please wait until order being completed."
    }
    assert SimOrder.objects.count() == 1


def test_the_same_seed_gives_the_same_faults_in_the_same_order(sim, sim_session, sim_key):
    def run() -> list[int]:
        sim.set_faults(error_5xx_share=0.3, rate_limit_share=0.3, fault_seed=11)
        form = {"key": sim_key, "action": "balance"}
        return [sim_session.post(API_URL, data=form).status_code for _ in range(20)]

    first, second = run(), run()
    assert first == second
    assert {200, 429} <= set(first)


def test_every_faulted_request_is_logged(sim, sim_session, sim_key):
    sim.set_faults(rate_limit_share=1)
    for _ in range(3):
        sim_session.post(API_URL, data={"key": sim_key, "action": "balance"})
    assert [(c.outcome, c.detail, c.http_status) for c in log.calls()] == [
        ("fault", "rate_limit", 429)
    ] * 3


def test_resetting_faults_brings_the_panel_back(sim, sim_session, sim_key):
    sim.set_faults(error_5xx_share=1, latency_ms=5000)
    sim.reset_faults()
    response = sim_session.post(API_URL, data={"key": sim_key, "action": "balance"}, timeout=1)
    assert response.status_code == 200
