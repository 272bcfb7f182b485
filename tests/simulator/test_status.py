from decimal import Decimal

from simulator.accounts import account_create

LINK = "https://instagram.com/p/"


def test_it_answers_one_order_in_the_seed_shape(sim_api, place):
    order = place(1, quantity=1000)
    assert sim_api("status", order=order) == {
        "charge": "0.90000",
        "start_count": "0",
        "status": "Pending",
        "remains": "1000",
        "currency": "USD",
    }


def test_it_answers_many_orders_keyed_by_id_with_errors_for_unknown_ones(sim, sim_api, place):
    first, second = place(1, LINK + "a", quantity=100), place(3, LINK + "b", quantity=500)
    sim.advance_clock(7200)
    answer = sim_api("status", orders=f"{first}, {second},99999,abc")
    assert list(answer) == [str(first), str(second), "99999", "abc"]
    assert answer[str(first)]["status"] == "Completed"
    assert answer[str(second)]["charge"] == "0.06000"
    assert answer["99999"] == {"error": "Incorrect order ID"}
    assert answer["abc"] == {"error": "Incorrect order ID"}


def test_it_answers_one_unknown_order_with_an_error(sim_api):
    assert sim_api("status", order=424242) == {"error": "Incorrect order ID"}


def test_it_hides_the_orders_of_other_accounts(sim_api, place):
    order = place(1, quantity=100)
    stranger = account_create(balance=Decimal("5")).api_key
    assert sim_api("status", key=stranger, order=order) == {"error": "Incorrect order ID"}


def test_it_takes_a_hundred_ids_and_refuses_more(sim_api):
    hundred = ",".join(str(n) for n in range(1, 101))
    assert len(sim_api("status", orders=hundred)) == 100
    refused = sim_api("status", orders=hundred + ",101")
    assert refused == {"error": "Too many IDs: 100 at most"}


def test_it_asks_for_an_order_id(sim_api):
    assert sim_api("status") == {"error": "Incorrect request"}


def test_a_hundred_id_status_call_costs_a_handful_of_queries_and_writes_nothing_idle(
    sim, sim_api, place, django_assert_max_num_queries
):
    orders = [place(3, f"{LINK}{n}", quantity=100) for n in range(100)]
    ids = ",".join(map(str, orders))
    sim.advance_clock(30)  # still Pending: nothing to write
    with django_assert_max_num_queries(5):  # config, account, orders, request log
        sim_api("status", orders=ids)
    sim.advance_clock(7200)  # every order completes: written at once
    with django_assert_max_num_queries(6):
        answer = sim_api("status", orders=ids)
    assert {item["status"] for item in answer.values()} == {"Completed"}
