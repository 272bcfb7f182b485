"""Many-id calls: split into calls of at most 100 ids, answers merged, per-item errors kept."""

import json

import pytest

from orders.upstream import (
    BATCH_SIZE,
    ItemError,
    OrderState,
    ProviderUnavailable,
    Reason,
    RefillState,
)
from tests.upstream.network import API_URL, sent_form

IDS = list(range(1001, 1251))  # 250 ids


def status_answer(ids: list[int]) -> str:
    return json.dumps({str(i): {"status": "Completed", "charge": "1.5"} for i in ids})


def list_answer(ids: list[int], id_key: str, value_key: str, value: object) -> str:
    return json.dumps([{id_key: i, value_key: value} for i in ids])


CASES = {
    "statuses": ("orders", lambda ids: status_answer(ids)),
    "refills": ("orders", lambda ids: list_answer(ids, "order", "refill", 9)),
    "refill_statuses": ("refills", lambda ids: list_answer(ids, "refill", "status", "Pending")),
    "cancel": ("orders", lambda ids: list_answer(ids, "order", "cancel", 1)),
}


@pytest.mark.parametrize("method", CASES)
def test_it_splits_250_ids_into_3_calls_with_the_right_field(client, calls, upstream, method):
    field, answer = CASES[method]
    for chunk in (IDS[:100], IDS[100:200], IDS[200:]):
        upstream.post(API_URL, body=answer(chunk))
    result = getattr(client, method)(IDS)
    assert len(upstream.calls) == 3
    sent = [sent_form(upstream, i)[field] for i in range(3)]
    assert sent == [
        ",".join(map(str, IDS[:100])),
        ",".join(map(str, IDS[100:200])),
        ",".join(map(str, IDS[200:])),
    ]
    assert list(result) == IDS
    assert not any(isinstance(v, ItemError) for v in result.values())
    assert [c.ids for c in calls] == [100, 100, 50]
    assert BATCH_SIZE == 100


def test_it_merges_the_answers_of_every_call(client, upstream):
    for chunk in (IDS[:100], IDS[100:200], IDS[200:]):
        upstream.post(API_URL, body=status_answer(chunk))
    result = client.statuses(IDS)
    assert all(result[i].status is OrderState.COMPLETED for i in IDS)


def test_it_sends_each_id_once_and_accepts_ids_as_text(client, upstream):
    upstream.post(API_URL, body=status_answer([1, 2]))
    result = client.statuses([1, "2", 1, 2])
    assert sent_form(upstream)["orders"] == "1,2"
    assert set(result) == {1, 2}


def test_it_refuses_ids_that_are_not_ids_before_calling(client, upstream):
    with pytest.raises(ValueError):
        client.statuses([1, "x"])
    with pytest.raises(TypeError):
        client.cancel("1,2")  # type: ignore[arg-type]
    assert not upstream.calls


def test_it_keeps_the_other_items_next_to_per_item_errors_in_statuses(client, upstream):
    upstream.post(
        API_URL,
        json={
            "1": {"status": "Completed"},
            "2": {"error": "Incorrect order ID"},
            "3": {"status": "Partial", "charge": "not money"},
            "4": ["odd"],
        },
    )
    result = client.statuses([1, 2, 3, 4, 5])
    assert result[1].status is OrderState.COMPLETED
    assert result[2] == ItemError("Incorrect order ID", Reason.NOT_FOUND)
    assert result[3].reason is Reason.UNKNOWN and "unreadable" in result[3].message
    assert result[4].reason is Reason.UNKNOWN
    assert result[5].reason is Reason.UNKNOWN and "no entry" in result[5].message


def test_it_keeps_the_other_items_next_to_per_item_errors_in_refills(client, upstream):
    upstream.post(
        API_URL,
        json=[
            {"order": "1", "refill": "7"},
            {"order": 2, "refill": {"error": "Order not eligible for refill."}},
            {"order": 3, "error": "Incorrect order ID"},
            {"order": 4, "refill": None},
        ],
    )
    result = client.refills([1, 2, 3, 4])
    assert result[1] == 7
    assert result[2] == ItemError("Order not eligible for refill.", Reason.NOT_REFILLABLE)
    assert result[3] == ItemError("Incorrect order ID", Reason.NOT_FOUND)
    assert result[4].reason is Reason.UNKNOWN


def test_it_keeps_the_other_items_next_to_per_item_errors_in_refill_statuses(client, upstream):
    upstream.post(
        API_URL,
        json=[
            {"refill": "1", "status": "In progress"},
            {"refill": 2, "status": {"error": "Refill not found"}},
            "garbage",
        ],
    )
    result = client.refill_statuses([1, 2])
    assert result[1].status is RefillState.IN_PROGRESS
    assert result[2] == ItemError("Refill not found", Reason.NOT_FOUND)


def test_it_keeps_the_other_items_next_to_per_item_errors_in_cancel(client, upstream):
    upstream.post(
        API_URL,
        json=[
            {"order": 1, "cancel": "1"},
            {"order": 2, "cancel": {"error": "Order can't be canceled"}},
            {"order": 3, "cancel": {"error": "Incorrect order ID"}},
        ],
    )
    result = client.cancel([1, 2, 3])
    assert result[1] is True
    assert result[2] == ItemError("Order can't be canceled", Reason.NOT_CANCELLABLE)
    assert result[3].reason is Reason.NOT_FOUND


def test_it_stops_at_a_failed_call_and_hands_back_what_it_had(client, calls, upstream):
    upstream.post(API_URL, body=status_answer(IDS[:100]))
    upstream.post(API_URL, body="<html>502 Bad Gateway</html>", status=502)
    with pytest.raises(ProviderUnavailable) as caught:
        client.statuses(IDS)
    assert list(caught.value.partial) == IDS[:100]
    assert len(upstream.calls) == 2  # the third chunk was not sent to a failing provider
    assert [c.outcome for c in calls] == ["ok", "unavailable"]
