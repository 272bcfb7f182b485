"""Seeded orders (`runsimulator --orders N`) and repricing (the control's `reprice`)."""

from decimal import Decimal

from simulator import control
from simulator.catalogue import build_catalogue
from simulator.models import SimAccount, SimOrder, SimService
from simulator.seeding import seed_orders, seeded_service
from simulator.views import apply


def test_seeded_orders_are_a_contiguous_range_that_answers_a_mix_of_statuses(sim, sim_key, sim_api):
    account = SimAccount.objects.get(api_key=sim_key)
    first, last = seed_orders(account, 60)
    assert last - first + 1 == 60 == SimOrder.objects.filter(account=account).count()
    answers = sim_api("status", orders=",".join(str(n) for n in range(first, first + 60)))
    statuses = {answer["status"] for answer in answers.values()}
    assert {"Pending", "In progress", "Completed"} <= statuses
    services = dict(SimOrder.objects.values_list("pk", "service__service_id"))
    assert all(services[pk] == seeded_service(pk) for pk in range(first, last + 1))


def test_seeding_again_continues_after_the_last_order(sim, sim_key):
    account = SimAccount.objects.get(api_key=sim_key)
    _, last = seed_orders(account, 5)
    assert seed_orders(account, 3) == (last + 1, last + 3)


def test_reprice_raises_the_rate_of_a_share_of_the_services(sim):
    build_catalogue(100)
    before = dict(SimService.objects.values_list("pk", "rate"))
    assert control.reprice(0.1) == 10
    after = dict(SimService.objects.values_list("pk", "rate"))
    raised = [pk for pk in before if after[pk] != before[pk]]
    assert len(raised) == 10
    assert all(after[pk] == before[pk] + Decimal("0.01") for pk in raised)


def test_the_control_endpoint_takes_a_reprice(sim):
    build_catalogue(50)
    before = dict(SimService.objects.values_list("pk", "rate"))
    apply({"reprice": 0.2})
    after = dict(SimService.objects.values_list("pk", "rate"))
    assert sum(after[pk] != before[pk] for pk in before) == 10
