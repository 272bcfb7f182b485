"""Drip-feed orders: `quantity` delivered `runs` times, one run every `interval` minutes."""

from simulator.models import SimOrder


def test_it_charges_every_run_up_front(sim_api, place):
    place(1, quantity=1000, runs=5, interval=30)  # 5000 units at 0.90
    assert sim_api("balance")["balance"] == "995.50000"


def test_it_reports_its_runs_and_delivers_them_one_after_another(sim, sim_api, place):
    order = place(3, quantity=500, runs=4, interval=60)  # a run lasts 6 minutes
    first = sim_api("status", order=order)
    assert (first["runs"], first["runs_done"], first["interval"]) == ("4", "0", "60")
    assert first["remains"] == "2000"
    sim.advance_clock(180 + 3600)  # the first run is done, the second starts within minutes
    between = sim_api("status", order=order)
    assert between["status"] == "In progress"
    assert between["runs_done"] == "1"
    assert 1000 <= int(between["remains"]) <= 1500
    sim.advance_clock(4 * 3600)
    done = sim_api("status", order=order)
    assert (done["status"], done["remains"], done["runs_done"]) == ("Completed", "0", "4")


def test_a_plain_order_carries_no_runs(sim_api, place):
    order = place(1, quantity=100)
    assert "runs" not in sim_api("status", order=order)
    assert SimOrder.objects.get().runs == 1
