"""Orders progress with simulated time: Pending, In progress, then how they end."""

import time
from decimal import Decimal

import pytest

from simulator import control, lifecycle
from simulator.config import Behaviour
from simulator.models import SimOrder


def test_an_order_goes_from_pending_through_in_progress_to_completed(sim, sim_api, place):
    order = place(1, quantity=1000)  # 1200 units an hour
    assert sim_api("status", order=order)["status"] == "Pending"
    sim.advance_clock(180 + 1500)  # past the start delay, then about 25 minutes of delivery
    halfway = sim_api("status", order=order)
    assert halfway["status"] == "In progress"
    assert int(halfway["start_count"]) > 0
    assert 0 < int(halfway["remains"]) < 1000
    sim.advance_clock(600)
    later = sim_api("status", order=order)
    assert int(later["remains"]) < int(halfway["remains"])
    sim.advance_clock(3600)
    done = sim_api("status", order=order)
    assert (done["status"], done["remains"], done["charge"]) == ("Completed", "0", "0.90000")
    assert done["start_count"] == halfway["start_count"]


def test_a_partial_order_refunds_the_undelivered_part(sim, sim_api, place):
    sim.set_behaviour(partial_share=1)
    order = place(2, quantity=10000)  # 24.00
    sim.advance_clock(86400)
    answer = sim_api("status", order=order)
    remains = int(answer["remains"])
    assert answer["status"] == "Partial"
    assert 0 < remains < 10000
    refund = (Decimal("24") * remains / 10000).quantize(Decimal("0.00001"))
    assert Decimal(answer["charge"]) == Decimal("24") - refund
    assert Decimal(sim_api("balance")["balance"]) == Decimal("976") + refund


def test_a_package_is_never_partial(sim, sim_api, place):
    sim.set_behaviour(partial_share=1)
    order = place(4)
    sim.advance_clock(86400)
    assert sim_api("status", order=order)["status"] == "Completed"


def test_an_order_the_provider_cancels_refunds_everything(sim, sim_api, place):
    sim.set_behaviour(cancel_share=1)
    order = place(1, quantity=1000)
    sim.advance_clock(600)
    answer = sim_api("status", order=order)
    assert answer == {
        "charge": "0.00000",
        "start_count": "0",
        "status": "Canceled",
        "remains": "1000",
        "currency": "USD",
    }
    assert sim_api("balance")["balance"] == "1000.00000"


def test_an_over_delivered_order_reports_negative_remains(sim, sim_api, place):
    sim.set_behaviour(overdelivery_share=1)
    order = place(1, quantity=1000)
    sim.advance_clock(86400)
    answer = sim_api("status", order=order)
    assert answer["status"] == "Completed"
    assert int(answer["remains"]) < 0
    assert answer["charge"] == "0.90000"


def test_a_refund_is_paid_once_however_often_the_order_is_read(sim, sim_api, place):
    sim.set_behaviour(cancel_share=1)
    order = place(2, quantity=1000)
    sim.advance_clock(600)
    for _ in range(3):
        sim_api("status", order=order)
        sim_api("balance")
    assert sim_api("balance")["balance"] == "1000.00000"


def test_the_balance_includes_refunds_due_before_anyone_asks_a_status(sim, sim_api, place):
    sim.set_behaviour(cancel_share=1)
    place(1, quantity=1000)
    sim.advance_clock(600)
    assert sim_api("balance")["balance"] == "1000.00000"
    assert SimOrder.objects.get().status == "Canceled"


def _planned(seed: int, order_id: int = 42) -> tuple:
    order = SimOrder(pk=order_id, quantity=5000, created_at=0.0, starts_at=0.0, ends_at=0.0)
    lifecycle.plan(
        order,
        Behaviour.parse({"partial_share": 0.5, "cancel_share": 0, "outcome_seed": seed}),
        2000,
    )
    return order.starts_at, order.ends_at, order.outcome, order.final_delivered


def test_the_same_seed_plays_an_order_out_the_same_way():
    assert _planned(seed=7) == _planned(seed=7)
    assert len({_planned(seed) for seed in range(20)}) > 1
    assert {_planned(7, order_id)[2] for order_id in range(50)} == {"Completed", "Partial"}


def test_a_demo_order_completes_in_about_a_minute_at_the_default_speed(sim, place):
    sim.set_speed(control.DEFAULT_SPEED)
    order = SimOrder.objects.get(pk=place(1, quantity=1000))
    real_seconds = (order.ends_at - order.created_at) / control.DEFAULT_SPEED
    assert 45 <= real_seconds <= 75


def test_the_clock_runs_at_its_speed_and_jumps_when_advanced(sim):
    sim.set_speed(1000)
    before = sim.now()
    time.sleep(0.05)
    assert sim.now() - before >= 45
    sim.set_speed(0)
    stopped = sim.now()
    assert sim.advance_clock(3600) == pytest.approx(stopped + 3600)
