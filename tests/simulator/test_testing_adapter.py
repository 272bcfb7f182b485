"""simulator.testing: a requests session that reaches the simulator with no server."""

import requests

from simulator.testing import API_URL, CONTROL_URL, SimulatorAdapter, funded_account


def test_a_session_with_the_adapter_talks_to_the_simulator(sim):
    key = funded_account()
    session = requests.Session()
    session.mount("http://provider.test/", SimulatorAdapter())
    response = session.post(
        "http://provider.test/api/v2", data={"key": key, "action": "balance"}, timeout=(2, 5)
    )
    assert isinstance(response, requests.Response)
    assert response.ok
    assert response.json() == {"balance": "1000.00000", "currency": "USD"}
    assert response.url == "http://provider.test/api/v2"


def test_unknown_paths_are_not_found(sim, sim_session):
    response = sim_session.post("http://sim.test/elsewhere", data={})
    assert response.status_code == 404


def test_the_control_endpoint_is_reachable_through_it(sim, sim_session):
    response = sim_session.post(CONTROL_URL, json={"faults": {"latency_ms": 10}})
    assert response.json()["faults"]["latency_ms"] == 10


def test_it_waits_out_latency_when_asked_to(sim):
    sim.set_faults(latency_ms=50)
    session = requests.Session()
    session.mount("http://sim.test/", SimulatorAdapter(sleep=True))
    key = funded_account()
    elapsed = session.post(API_URL, data={"key": key, "action": "balance"}, timeout=5).elapsed
    assert elapsed.total_seconds() >= 0.05
