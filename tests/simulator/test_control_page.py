"""The staff page at /simulator/ to flip faults and speed during a demo: the admin role
changes it, other staff look."""

import json
from decimal import Decimal

import pytest

from simulator import control
from simulator.ledger import ledger_sum
from simulator.models import SimAccount

FORM = {
    "latency_ms": "0",
    "timeout_share": "0",
    "timeout_mode": "before",
    "timeout_seconds": "35",
    "error_5xx_share": "0.5",
    "rate_limit_share": "0",
    "malformed_share": "0",
    "item_error_share": "0",
    "actions": "add, status",
    "ids": "string",
    "canceled": "Cancelled",
    "money": "string",
    "flags": "bool",
    "counts": "string",
    "in_progress": "In progress",
    "error_texts": "text",
    "content_type": "application/json",
    "partial_share": "0.2",
    "cancel_share": "0",
    "speed": "120",
    "advance_minutes": "30",
}


def test_staff_see_the_current_switches(sim, staff_client):
    control.set_faults(rate_limit_share=0.25)
    response = staff_client.get("/simulator/")
    assert response.status_code == 200
    assert b'value="0.25"' in response.content
    assert b"/simulator/api/v2" in response.content


def test_admins_flip_faults_dialect_and_clock(sim, client_as, admin_user):
    before = control.now()
    response = client_as(admin_user).post("/simulator/", FORM)
    assert response.status_code == 302
    state = control.state()
    assert state["faults"]["error_5xx_share"] == 0.5
    assert state["faults"]["actions"] == ["add", "status"]
    assert state["dialect"]["canceled"] == "Cancelled"
    assert state["behaviour"]["partial_share"] == 0.2
    assert state["clock"]["speed"] == 120
    assert control.now() >= before + 1800


def test_it_shows_a_bad_combination_instead_of_saving_it(sim, client_as, admin_user):
    response = client_as(admin_user).post(
        "/simulator/", FORM | {"partial_share": "1", "cancel_share": "1"}
    )
    assert response.status_code == 200
    assert b"add up to more than 1" in response.content


def test_anonymous_visitors_are_sent_to_sign_in(sim, client):
    response = client.get("/simulator/")
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("role", ["viewer", "operator", "staff_user"])
def test_other_staff_see_the_settings_but_cannot_change_them(sim, client_as, request, role):
    client = client_as(request.getfixturevalue(role))
    page = client.get("/simulator/")
    assert page.status_code == 200
    assert b"Only the admin role may change these settings" in page.content
    assert b">Save</button>" not in page.content
    assert client.post("/simulator/", FORM).status_code == 403
    assert control.state()["faults"]["error_5xx_share"] == 0


def test_a_viewers_session_cannot_steer_it_through_the_control_endpoint(sim, client_as, viewer):
    client = client_as(viewer)
    commands = json.dumps({"faults": {"error_5xx_share": 1}})
    response = client.post("/simulator/control", commands, content_type="application/json")
    assert response.status_code == 403
    assert client.get("/simulator/control").status_code == 200  # looking is fine
    assert control.state()["faults"]["error_5xx_share"] == 0


def test_admins_top_up_or_take_a_hidden_fee_from_the_page(sim, client_as, admin_user, sim_key):
    client = client_as(admin_user)
    fee = {"key": sim_key, "move": "fee", "amount": "4.5", "memo": "monthly"}
    response = client.post("/simulator/money", fee, follow=True)
    assert "the account&#x27;s balance is 995.5" in response.content.decode()
    client.post("/simulator/money", {"key": sim_key, "move": "top_up", "amount": "10"})
    account = SimAccount.objects.get(api_key=sim_key)
    assert account.balance == Decimal("1005.5") == ledger_sum(account.pk)


def test_other_staff_cannot_move_money_from_the_page(sim, client_as, operator, sim_key):
    data = {"key": sim_key, "move": "fee", "amount": "1"}
    assert client_as(operator).post("/simulator/money", data).status_code == 403
