"""Every reason the engine gives for not refilling or cancelling an order has its own words
in our API: a reworded reason would otherwise fall back to a generic refusal."""

import pytest

from customers.api import errors
from customers.api.actions.requests import CANCEL_REFUSALS, REFILL_REFUSALS, refusal_text
from orders.models import LocalState, Refill, RefillStatus, Status
from orders.selectors.actions import cancel_refusal, refill_refusal
from orders.services.actions import ActionOutcome
from tests.factories import make_order, make_service

pytestmark = pytest.mark.django_db


def said(order, reason: str, known: dict[str, str]) -> str:
    """Our words for the engine's reason; "generic" if it has none of its own."""
    return refusal_text(ActionOutcome(order, False, reason), known, "generic")


def test_each_refill_refusal_reads_as_the_panels_words():
    no_refill = make_order(make_service(refill=False), status=Status.COMPLETED)
    queued = make_order(state=LocalState.QUEUED)
    running = make_order(status=Status.IN_PROGRESS)
    refilling = make_order(status=Status.COMPLETED)
    Refill.objects.create(order=refilling, status=RefillStatus.PENDING)
    assert [said(o, refill_refusal(o), REFILL_REFUSALS) for o in (no_refill, queued)] == [
        errors.REFILL_DISABLED,
        errors.NOT_REFILLABLE,
    ]
    assert [said(o, refill_refusal(o), REFILL_REFUSALS) for o in (running, refilling)] == [
        errors.REFILL_NOT_COMPLETED,
        errors.REFILL_RUNNING,
    ]


def test_each_cancel_refusal_reads_as_the_panels_words():
    no_cancel = make_order(make_service(cancel=False))
    queued = make_order(state=LocalState.QUEUED)
    done = make_order(status=Status.COMPLETED)
    assert [said(o, cancel_refusal(o), CANCEL_REFUSALS) for o in (no_cancel, queued, done)] == [
        errors.CANCEL_DISABLED,
        errors.CANCEL_TOO_LATE,
        errors.CANCEL_TOO_LATE,
    ]


@pytest.mark.parametrize(
    ("message", "text"),
    [
        ("Not sent: Provider 1's request limit is reached", errors.TRY_LATER),
        ("Sent, but no usable answer came back (timeout)", errors.TRY_LATER),
        ("Not done, the provider asked to slow down", errors.TRY_LATER),
        ("Not done, the provider refused our API key: Invalid API key", errors.TRY_LATER),
        ("Refused: Order not eligible for refill at provider.example", errors.NOT_REFILLABLE),
    ],
)
def test_trouble_on_the_way_to_the_provider_is_worth_a_later_try_and_its_words_stay_ours(
    message, text
):
    order = make_order()
    assert (
        refusal_text(ActionOutcome(order, False, message), REFILL_REFUSALS, errors.NOT_REFILLABLE)
        == text
    )
