"""`cancel`: a request is accepted, then takes effect a minute (simulated) later."""

from decimal import Decimal

LINK = "https://instagram.com/p/"


def test_a_pending_order_cancelled_is_refunded_in_full(sim, sim_api, place):
    order = place(2, quantity=1000)  # 2.40
    assert sim_api("cancel", orders=str(order)) == [{"order": order, "cancel": 1}]
    sim.advance_clock(61)
    answer = sim_api("status", order=order)
    assert (answer["status"], answer["charge"], answer["remains"]) == (
        "Canceled",
        "0.00000",
        "1000",
    )
    assert sim_api("balance")["balance"] == "1000.00000"


def test_an_order_in_progress_cancelled_ends_partial_and_refunds_the_rest(sim, sim_api, place):
    order = place(2, quantity=10000)  # 24.00, five hours of delivery
    sim.advance_clock(3600)
    assert sim_api("cancel", orders=str(order)) == [{"order": order, "cancel": 1}]
    sim.advance_clock(120)
    answer = sim_api("status", order=order)
    remains = int(answer["remains"])
    assert answer["status"] == "Partial"
    assert 5000 < remains < 10000
    refund = (Decimal(24) * remains / 10000).quantize(Decimal("0.00001"))
    assert Decimal(answer["charge"]) == Decimal(24) - refund
    assert Decimal(sim_api("balance")["balance"]) == Decimal(976) + refund


def test_it_refuses_a_service_that_cannot_be_cancelled(sim_api, place):
    order = place(19, "https://youtube.com/watch?v=x", quantity=1000)
    assert sim_api("cancel", orders=str(order)) == [
        {"order": order, "cancel": {"error": "Cancel is disabled for this service"}}
    ]


def test_it_refuses_an_order_already_completed(sim, sim_api, place):
    order = place(1, quantity=100)
    sim.advance_clock(3600)
    assert sim_api("cancel", orders=str(order)) == [
        {"order": order, "cancel": {"error": "This order cannot be canceled"}}
    ]


def test_it_refuses_to_cancel_twice(sim_api, place):
    order = place(1, quantity=100)
    sim_api("cancel", orders=str(order))
    assert sim_api("cancel", orders=str(order))[0]["cancel"] == {
        "error": "This order cannot be canceled"
    }


def test_it_answers_each_order_of_a_batch_in_turn(sim_api, place):
    first, second = place(1, LINK + "1", quantity=100), place(1, LINK + "2", quantity=100)
    answer = sim_api("cancel", orders=f"{first},9,{second}")
    assert answer == [
        {"order": first, "cancel": 1},
        {"order": 9, "cancel": {"error": "Incorrect order ID"}},
        {"order": second, "cancel": 1},
    ]


def test_one_order_given_alone_still_gets_a_list(sim_api, place):
    order = place(1, quantity=100)
    assert sim_api("cancel", order=order) == [{"order": order, "cancel": 1}]


def test_it_refuses_more_than_a_hundred_ids(sim_api):
    ids = ",".join(str(n) for n in range(101))
    assert sim_api("cancel", orders=ids) == {"error": "Too many IDs: 100 at most"}
