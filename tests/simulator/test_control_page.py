"""The staff page at /simulator/ to flip faults and speed during a demo."""

from simulator import control

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


def test_staff_flip_faults_dialect_and_clock(sim, staff_client):
    before = control.now()
    response = staff_client.post("/simulator/", FORM)
    assert response.status_code == 302
    state = control.state()
    assert state["faults"]["error_5xx_share"] == 0.5
    assert state["faults"]["actions"] == ["add", "status"]
    assert state["dialect"]["canceled"] == "Cancelled"
    assert state["behaviour"]["partial_share"] == 0.2
    assert state["clock"]["speed"] == 120
    assert control.now() >= before + 1800


def test_it_shows_a_bad_combination_instead_of_saving_it(sim, staff_client):
    response = staff_client.post("/simulator/", FORM | {"partial_share": "1", "cancel_share": "1"})
    assert response.status_code == 200
    assert b"add up to more than 1" in response.content


def test_anonymous_visitors_are_sent_to_sign_in(sim, client):
    response = client.get("/simulator/")
    assert response.status_code == 302
    assert "login" in response["Location"]
