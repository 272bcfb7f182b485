"""`refill`, `refill_status` and `cancel` act on the customer's own orders through the
engine's services, and answer each order on its own in the seed's shapes."""

import pytest

from customers.services.keys import key_issue
from orders.models import AuditEntry, CancelRequest, Refill, RefillStatus
from simulator import log
from tests.customers.accounts import make_customer, make_offer
from tests.customers.api.client import answer
from tests.customers.api.upstream import complete_all, place
from tests.engine.test_polling import poll

pytestmark = pytest.mark.django_db


@pytest.fixture
def sim_offer(default_service):
    return make_offer(default_service)


def test_a_completed_order_is_refilled_and_the_refill_id_is_ours(
    client, sim, provider, customer, key, sim_offer
):
    order_id = place(client, key, sim_offer)
    complete_all(sim, provider)
    reply = answer(client, key, "refill", order=order_id)
    refill = Refill.objects.get(order_id=order_id)
    assert reply == {"refill": str(refill.pk)}
    assert refill.status == RefillStatus.PENDING and refill.upstream_id
    assert answer(client, key, "refill_status", refill=refill.pk) == {"status": "Pending"}


def test_many_refills_answer_each_order(client, sim, provider, customer, key, sim_offer):
    done = [place(client, key, sim_offer) for _ in range(2)]
    complete_all(sim, provider)
    running = place(client, key, sim_offer)
    ids = f"{done[0]},{done[1]},{running},999999,x"
    reply = answer(client, key, "refill", orders=ids)
    refills = dict(Refill.objects.values_list("order_id", "pk"))
    assert reply == [
        {"order": done[0], "refill": refills[done[0]]},
        {"order": done[1], "refill": refills[done[1]]},
        {"order": running, "refill": {"error": "Order is not completed yet"}},
        {"order": 999999, "refill": {"error": "Incorrect order ID"}},
        {"order": "x", "refill": {"error": "Incorrect order ID"}},
    ]
    assert log.batch_sizes("refill") == [2]  # one upstream call for both


def test_a_second_refill_waits_for_the_first(client, sim, provider, key, sim_offer):
    order_id = place(client, key, sim_offer)
    complete_all(sim, provider)
    answer(client, key, "refill", order=order_id)
    reply = answer(client, key, "refill", order=order_id)
    assert reply == {"error": "The refill task is not completed for this order"}


def test_a_service_without_refills_says_so(client, sim, provider, catalogue, key):
    likes = catalogue["Default"].provider.services.get(upstream_id=3)  # no refill
    order_id = place(client, key, make_offer(likes))
    complete_all(sim, provider)
    reply = answer(client, key, "refill", order=order_id)
    assert reply == {"error": "Refill is disabled for this service"}


def test_refill_statuses_follow_the_mirror_and_hide_other_customers_refills(
    client, sim, provider, customer, key, sim_offer
):
    order_id = place(client, key, sim_offer)
    complete_all(sim, provider)
    refill_id = int(answer(client, key, "refill", order=order_id)["refill"])
    Refill.objects.filter(pk=refill_id).update(status=RefillStatus.COMPLETED)
    _, rival_key = make_rival()
    assert answer(client, rival_key, "refill_status", refill=refill_id) == {
        "error": "Refill not found"
    }
    reply = answer(client, key, "refill_status", refills=f"{refill_id},424242,abc")
    assert reply == [
        {"refill": refill_id, "status": "Completed"},
        {"refill": 424242, "status": {"error": "Refill not found"}},
        {"refill": "abc", "status": {"error": "Refill not found"}},
    ]


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (RefillStatus.IN_PROGRESS, "In progress"),
        (RefillStatus.REJECTED, "Rejected"),
        (RefillStatus.CANCELED, "Canceled"),
        (RefillStatus.ERROR, "Error"),
        (RefillStatus.FAILED, "Rejected"),
    ],
)
def test_refill_states_read_as_the_seeds_words(client, sim, provider, key, sim_offer, status, text):
    order_id = place(client, key, sim_offer)
    complete_all(sim, provider)
    refill_id = answer(client, key, "refill", order=order_id)["refill"]
    Refill.objects.filter(pk=refill_id).update(status=status)
    assert answer(client, key, "refill_status", refill=refill_id) == {"status": text}


def test_running_orders_are_cancelled_and_others_say_why_not(client, sim, provider, key, sim_offer):
    finished = place(client, key, sim_offer)
    complete_all(sim, provider)
    running = place(client, key, sim_offer)
    reply = answer(client, key, "cancel", orders=f"{running},{finished},77777")
    assert reply == [
        {"order": running, "cancel": 1},
        {"order": finished, "cancel": {"error": "This order cannot be canceled"}},
        {"order": 77777, "cancel": {"error": "Incorrect order ID"}},
    ]
    assert CancelRequest.objects.get().order_id == running
    sim.advance_clock(3600)
    poll(provider)
    assert answer(client, key, "status", order=running)["status"] in {"Canceled", "Partial"}


def test_a_single_cancel_is_answered_as_a_list(client, sim, provider, key, sim_offer):
    running = place(client, key, sim_offer)
    assert answer(client, key, "cancel", order=running) == [{"order": running, "cancel": 1}]


def test_another_customers_orders_cannot_be_refilled_or_cancelled(
    client, sim, provider, key, sim_offer
):
    _, rival_key = make_rival()
    theirs = place(client, rival_key, sim_offer)
    complete_all(sim, provider)
    assert answer(client, key, "refill", order=theirs) == {"error": "Incorrect order ID"}
    assert answer(client, key, "cancel", orders=str(theirs)) == [
        {"order": theirs, "cancel": {"error": "Incorrect order ID"}}
    ]
    assert not Refill.objects.exists() and not CancelRequest.objects.exists()
    assert log.calls("refill").count() == log.calls("cancel").count() == 0


def test_the_audit_trail_names_the_customer_who_asked(
    client, sim, provider, customer, key, sim_offer
):
    order_id = place(client, key, sim_offer)
    complete_all(sim, provider)
    answer(client, key, "refill", order=order_id)
    answer(client, key, "cancel", orders=str(order_id))
    entries = AuditEntry.objects.filter(target=f"order #{order_id}")
    assert {e.action for e in entries} == {"refill requested", "cancel requested"}
    assert all(e.details["by"] == f"customer #{customer.pk} Acme Boosts (API)" for e in entries)


def test_a_provider_that_is_down_is_worth_a_later_try(client, sim, provider, key, sim_offer):
    running = place(client, key, sim_offer)
    sim.set_faults(error_5xx_share=1, actions=["cancel"])
    reply = answer(client, key, "cancel", orders=str(running))
    assert reply == [
        {"order": running, "cancel": {"error": "Temporarily unavailable, try again later"}}
    ]


def make_rival():
    return key_issue(customer=make_customer("100", name="Rival"))


def test_a_cancel_while_the_provider_refuses_our_key_is_worth_a_later_try(
    client, sim, provider, key, sim_offer
):
    order_id = place(client, key, sim_offer)
    provider.api_key = "not-our-key-any-more"  # the provider now refuses every call of ours
    provider.save()
    reply = answer(client, key, "cancel", orders=order_id)
    assert reply == [
        {"order": order_id, "cancel": {"error": "Temporarily unavailable, try again later"}}
    ]
    assert not CancelRequest.objects.filter(accepted=True).exists()
