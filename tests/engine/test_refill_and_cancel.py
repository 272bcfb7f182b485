import pytest
import responses

from orders.models import (
    ApiCall,
    CancelRequest,
    EventKind,
    Order,
    Refill,
    RefillStatus,
    Service,
    Status,
)
from orders.services.actions import orders_cancel, orders_refill
from orders.services.refill_polling import refills_poll
from simulator import log
from tests.engine.helpers import make_all_due, placed
from tests.engine.test_polling import TEN_DAYS, poll
from tests.factories import make_order, make_provider, make_service

pytestmark = pytest.mark.django_db


def completed(sim, provider, service, n=1):
    orders = placed(service, n)
    sim.advance_clock(TEN_DAYS)
    poll(provider)
    for order in orders:
        order.refresh_from_db()
        assert order.status == Status.COMPLETED
    return orders


def test_a_completed_order_is_refilled_and_the_refill_polled_to_its_end(
    sim, provider, default_service, staff_user
):
    [order] = completed(sim, provider, default_service)
    [outcome] = orders_refill(orders=[order], user=staff_user)
    assert outcome.ok, outcome.message
    refill = Refill.objects.get(order=order)
    assert refill.status == RefillStatus.PENDING
    assert refill.requested_by == staff_user
    sim.advance_clock(TEN_DAYS)
    Refill.objects.update(next_check_at=refill.created_at)
    assert refills_poll(provider=provider).orders == 1
    refill.refresh_from_db()
    assert refill.status in {RefillStatus.COMPLETED, RefillStatus.REJECTED}
    assert refill.next_check_at is None
    assert order.events.filter(kind=EventKind.REFILL).count() == 2


def test_refills_of_many_orders_go_in_batches_of_100(sim, provider, default_service, staff_user):
    orders = completed(sim, provider, default_service, n=120)
    outcomes = orders_refill(orders=orders, user=staff_user)
    assert all(o.ok for o in outcomes)
    assert sorted(log.batch_sizes("refill")) == [20, 100]


def test_a_second_refill_waits_until_the_first_is_done(sim, provider, default_service, staff_user):
    [order] = completed(sim, provider, default_service)
    orders_refill(orders=[order], user=staff_user)
    [again] = orders_refill(orders=[order], user=staff_user)
    assert (again.ok, again.message) == (False, "A refill of this order is still under way.")
    assert log.batch_sizes("refill") == [1]  # refused here, not sent


def test_a_refill_the_provider_refuses_says_why(sim, provider, default_service, staff_user):
    [order] = completed(sim, provider, default_service)
    orders_refill(orders=[order], user=staff_user)
    # The mirror believes the first refill ended; upstream it still runs, and says so.
    Refill.objects.update(status=RefillStatus.COMPLETED)
    [again] = orders_refill(orders=[order], user=staff_user)
    assert not again.ok
    assert again.message.startswith("Refused:")
    assert Refill.objects.filter(order=order, status=RefillStatus.FAILED).count() == 1


def test_an_order_still_running_cannot_be_refilled(sim, provider, default_service, staff_user):
    [order] = placed(default_service, 1)
    [outcome] = orders_refill(orders=[order], user=staff_user)
    assert (outcome.ok, outcome.message) == (
        False,
        "Refills are possible once the order is completed.",
    )
    assert log.calls("refill").count() == 0


def test_a_service_without_refill_is_refused_locally(sim, provider, catalogue, staff_user):
    service = Service.objects.filter(provider=provider, type="Default", refill=False).first()
    order = placed(service, 1)[0]
    [outcome] = orders_refill(orders=[order], user=staff_user)
    assert outcome.message == "The service does not offer refills."


def test_a_running_order_is_cancelled_and_ends_canceled(sim, provider, default_service, staff_user):
    [order] = placed(default_service, 1)
    [outcome] = orders_cancel(orders=[order], user=staff_user)
    assert outcome.ok, outcome.message
    assert CancelRequest.objects.get(order=order).accepted
    sim.advance_clock(3600)
    make_all_due()
    poll(provider)
    order.refresh_from_db()
    assert order.status in {Status.CANCELED, Status.PARTIAL}


def test_a_finished_order_cannot_be_cancelled(sim, provider, default_service, staff_user):
    [order] = completed(sim, provider, default_service)
    [outcome] = orders_cancel(orders=[order], user=staff_user)
    assert (outcome.ok, outcome.message) == (False, "The order is already completed.")


def test_a_provider_down_during_cancel_loses_nothing(sim, provider, default_service, staff_user):
    orders = placed(default_service, 2)
    sim.set_faults(error_5xx_share=1, actions=["cancel"])
    outcomes = orders_cancel(orders=orders, user=staff_user)
    assert [o.ok for o in outcomes] == [False, False]
    # The gateway's error page came back: the request was sent, so never "Not sent".
    assert all(o.message.startswith("Sent, but no usable answer") for o in outcomes)
    assert not CancelRequest.objects.exists()


WRONG_URL = "https://provider.example/api/v2"


@pytest.mark.parametrize("action", ["refill", "cancel"])
@pytest.mark.parametrize("answer", [{"status": "ok"}, ["ok"], []], ids=["object", "words", "empty"])
def test_a_wrong_shape_answer_is_logged_invalid_and_never_said_not_sent(staff_user, action, answer):
    provider = make_provider(api_url=WRONG_URL, rate_limit_per_minute=6000)
    order = make_order(make_service(provider=provider), status=Status.COMPLETED)
    if action == "cancel":
        Order.objects.filter(pk=order.pk).update(status=Status.IN_PROGRESS)
        order.refresh_from_db()
    act = orders_refill if action == "refill" else orders_cancel
    with responses.RequestsMock() as upstream:
        upstream.post(WRONG_URL, json=answer)
        [outcome] = act(orders=[order], user=staff_user)
    assert not outcome.ok
    assert not outcome.message.startswith("Not sent")
    assert "may or may not have acted" in outcome.message
    [call] = ApiCall.objects.filter(action=action)
    assert (call.outcome, call.http_status) == ("invalid", 200)
    assert not Refill.objects.exists() and not CancelRequest.objects.exists()


def test_a_refused_key_on_a_cancel_says_our_key_was_refused_and_holds_the_provider(staff_user):
    provider = make_provider(api_url=WRONG_URL, rate_limit_per_minute=6000)
    order = make_order(make_service(provider=provider), status=Status.IN_PROGRESS)
    with responses.RequestsMock() as upstream:
        upstream.post(WRONG_URL, json={"error": "Invalid API key"})
        [outcome] = orders_cancel(orders=[order], user=staff_user)
    assert outcome.message == "Not done, the provider refused our API key: Invalid API key"
    provider.refresh_from_db()
    assert provider.key_refused
