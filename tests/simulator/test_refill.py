"""`refill` and `refill_status`: when a refill is allowed, and how it plays out."""

import pytest

from simulator.models import SimRefill

DAY = 86400
LINK = "https://instagram.com/p/"


@pytest.fixture
def completed(sim, place):
    """An order on a refillable service (30 days), completed a minute ago."""
    order = place(1, quantity=100)
    sim.advance_clock(3600)
    return order


def refill_ids(order: int) -> list[int]:
    """The simulator's own refill ids for an order, oldest first (sequences differ by DB)."""
    return list(
        SimRefill.objects.filter(order_id=order).order_by("pk").values_list("pk", flat=True)
    )


def test_it_gives_a_refill_id_as_a_string_for_one_order(sim_api, completed):
    answer = sim_api("refill", order=completed)
    assert answer == {"refill": str(refill_ids(completed)[0])}


def test_it_answers_a_list_for_many_orders_with_errors_in_place(sim, sim_api, place, completed):
    other = place(1, LINK + "other", quantity=100)
    sim.advance_clock(3600)
    answer = sim_api("refill", orders=f"{completed},{other},777")
    assert answer == [
        {"order": completed, "refill": refill_ids(completed)[0]},
        {"order": other, "refill": refill_ids(other)[0]},
        {"order": 777, "refill": {"error": "Incorrect order ID"}},
    ]


def test_it_refuses_a_service_without_refill(sim, sim_api, place):
    order = place(3, quantity=100)  # likes, no refill
    sim.advance_clock(3600)
    assert sim_api("refill", order=order) == {"error": "Refill is disabled for this service"}


def test_it_refuses_an_order_still_in_progress(sim_api, place):
    order = place(1, quantity=100)
    assert sim_api("refill", order=order) == {"error": "Order is not completed yet"}


def test_it_refuses_a_canceled_order(sim, sim_api, place):
    sim.set_behaviour(cancel_share=1)
    order = place(1, quantity=100)
    sim.advance_clock(3600)
    assert sim_api("refill", order=order) == {"error": "Order not eligible for refill."}


def test_it_refuses_once_the_refill_period_is_over(sim, sim_api, completed):
    sim.advance_clock(31 * DAY)
    assert sim_api("refill", order=completed) == {"error": "Order not eligible for refill."}


def test_it_refuses_while_the_last_refill_is_running(sim_api, completed):
    sim_api("refill", order=completed)
    again = sim_api("refill", order=completed)
    assert again == {"error": "The refill task is not completed for this order"}


def test_it_refuses_a_second_refill_within_a_day(sim, sim_api, completed):
    sim_api("refill", order=completed)
    sim.advance_clock(2 * 3600 + 600)  # the refill is done, but not a day ago
    assert sim_api("refill", order=completed) == {"error": "Refill is possible once every 24 hours"}
    sim.advance_clock(DAY)
    assert sim_api("refill", order=completed) == {"refill": str(refill_ids(completed)[1])}


def test_a_refill_goes_from_pending_through_in_progress_to_completed(sim, sim_api, completed):
    refill = sim_api("refill", order=completed)["refill"]
    assert sim_api("refill_status", refill=refill) == {"status": "Pending"}
    sim.advance_clock(601)
    assert sim_api("refill_status", refill=refill) == {"status": "In progress"}
    sim.advance_clock(3600)
    assert sim_api("refill_status", refill=refill) == {"status": "Completed"}


def test_a_refill_can_be_rejected(sim, sim_api, completed):
    sim.set_behaviour(refill_reject_share=1)
    refill = sim_api("refill", order=completed)["refill"]
    sim.advance_clock(5000)
    assert sim_api("refill_status", refill=refill) == {"status": "Rejected"}


def test_it_answers_many_refill_statuses_with_not_found_in_place(sim, sim_api, completed):
    refill = int(sim_api("refill", order=completed)["refill"])
    sim.advance_clock(5000)
    assert sim_api("refill_status", refills=f"{refill},404") == [
        {"refill": refill, "status": "Completed"},
        {"refill": 404, "status": {"error": "Refill not found"}},
    ]


def test_it_answers_one_unknown_refill_with_an_error(sim_api):
    assert sim_api("refill_status", refill=9) == {"error": "Refill not found"}
