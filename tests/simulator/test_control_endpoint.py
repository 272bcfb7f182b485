"""POST /simulator/control (JSON): how tests and benchmarks in other processes steer it."""

import json

import pytest
from django.test import Client

from simulator import control
from simulator.models import SimAccount


@pytest.fixture
def steer(sim):
    client = Client()  # anonymous, unlike staff_client's

    def post(commands, **extra):
        return client.post(
            "/simulator/control", json.dumps(commands), content_type="application/json", **extra
        )

    return post


def test_it_sets_faults_dialect_and_behaviour_and_answers_the_state(steer):
    response = steer(
        {
            "faults": {"timeout_share": 0.5, "timeout_mode": "after", "actions": ["add"]},
            "dialect": {"canceled": "Cancelled"},
            "behaviour": {"partial_share": 0.25},
        }
    )
    state = response.json()
    assert response.status_code == 200
    assert state["faults"]["timeout_share"] == 0.5
    assert state["faults"]["actions"] == ["add"]
    assert state["dialect"]["canceled"] == "Cancelled"
    assert state["behaviour"]["partial_share"] == 0.25
    assert control.faults().timeout_mode == "after"


def test_it_moves_the_clock(steer):
    before = control.now()
    state = steer({"advance_clock": 3600}).json()
    assert state["clock"]["now"] == pytest.approx(before + 3600)
    assert steer({"speed": 120}).json()["clock"]["speed"] == 120


def test_it_funds_an_account_a_peer_test_names(steer):
    steer({"account": {"key": "peer-test-key", "balance": "250.5"}})
    assert SimAccount.objects.get(api_key="peer-test-key").balance == 250.5


def test_reset_brings_back_the_defaults(steer):
    steer({"faults": {"error_5xx_share": 1}, "dialect": {"ids": "string"}})
    state = steer({"reset": True}).json()
    assert state["faults"]["error_5xx_share"] == 0
    assert state["dialect"]["ids"] == "seed"


def test_it_refuses_an_unknown_switch_or_an_impossible_share(steer):
    unknown = steer({"faults": {"timeout_shares": 1}})
    assert unknown.status_code == 400
    assert "timeout_shares" in unknown.json()["error"]
    assert steer({"faults": {"malformed_share": 2}}).status_code == 400


def test_it_takes_json_only(sim, client):
    response = client.post("/simulator/control", {"reset": "1"})
    assert response.status_code == 415


def test_it_answers_the_state_to_get(sim, client):
    assert client.get("/simulator/control").json()["clock"]["speed"] == 0


def test_it_refuses_anyone_but_this_machine_or_admins(steer, client_as, admin_user):
    assert steer({}, REMOTE_ADDR="203.0.113.9").status_code == 403
    assert steer({}, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    from_staff = client_as(admin_user).post(
        "/simulator/control", "{}", content_type="application/json", REMOTE_ADDR="203.0.113.9"
    )
    assert from_staff.status_code == 200


def test_the_log_can_be_read_and_cleared_over_http(steer, client, sim_api):
    sim_api("balance")
    sim_api("status", orders="1,2")
    read = client.get("/simulator/control/log", {"action": "status"}).json()
    assert read["summary"]["calls"] == 2
    assert [(e["action"], e["ids_count"]) for e in read["entries"]] == [("status", 2)]
    steer({"clear_log": True})
    assert client.get("/simulator/control/log").json()["entries"] == []
