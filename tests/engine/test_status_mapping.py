"""The pure mapping from a status answer onto an order (no database)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from orders.models import EventKind, Order, Status
from orders.services.status_mapping import MISSING_AFTER, status_outcome
from orders.upstream import ItemError, OrderState, OrderStatus, Reason

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def answer(state=OrderState.IN_PROGRESS, raw="In progress", remains=40, **extra):
    return OrderStatus(
        status=state,
        raw_status=raw,
        charge=Decimal("0.27819"),
        start_count=3572,
        remains=remains,
        currency="USD",
        extra=extra,
    )


def outcome(order, reply):
    return status_outcome(order, reply, NOW, first=30, ceiling=900)


def test_a_new_status_is_taken_with_an_event_and_checked_again_soon():
    order = Order(status=Status.PENDING, status_raw="Pending", check_interval=240, quantity=100)
    result = outcome(order, answer())
    assert result.fields["status"] == Status.IN_PROGRESS
    assert result.fields["remains"] == 40
    assert result.fields["charge"] == Decimal("0.27819")
    assert result.fields["next_check_at"] == NOW + timedelta(seconds=30)
    [(kind, message, _data)] = result.events
    assert kind == EventKind.STATUS
    assert message == "Pending → In progress"


def test_an_unchanged_answer_backs_off_up_to_the_ceiling():
    order = Order(
        status=Status.IN_PROGRESS,
        status_raw="In progress",
        charge=Decimal("0.27819"),
        currency="USD",
        start_count=3572,
        remains=40,
        check_interval=600,
    )
    result = outcome(order, answer())
    assert not result.changed
    assert result.events == []
    assert result.fields["check_interval"] == 900
    assert result.fields["next_check_at"] == NOW + timedelta(seconds=900)


def test_a_final_status_stops_polling_and_stamps_completion():
    order = Order(status=Status.IN_PROGRESS, status_raw="In progress", check_interval=30)
    result = outcome(order, answer(OrderState.COMPLETED, "Completed", remains=0))
    assert result.fields["status"] == Status.COMPLETED
    assert result.fields["next_check_at"] is None
    assert result.fields["completed_at"] == NOW


def test_a_final_status_is_never_overwritten_and_the_answer_is_an_anomaly():
    order = Order(status=Status.COMPLETED, status_raw="Completed", remains=0)
    result = outcome(order, answer(OrderState.IN_PROGRESS, "In progress"))
    assert "status" not in result.fields
    assert result.fields["next_check_at"] is None
    assert [kind for kind, _, _ in result.events] == [EventKind.ANOMALY]


def test_an_unknown_status_is_kept_raw_flagged_and_polled_again():
    order = Order(status=Status.PENDING, status_raw="Pending")
    result = outcome(order, answer(OrderState.UNKNOWN, "Stuck in review"))
    assert result.fields["status"] == Status.UNKNOWN
    assert result.fields["status_raw"] == "Stuck in review"
    assert result.fields["next_check_at"] is not None
    assert EventKind.ANOMALY in [kind for kind, _, _ in result.events]


def test_negative_remains_are_kept():
    order = Order(status=Status.IN_PROGRESS, status_raw="In progress", quantity=100)
    result = outcome(order, answer(OrderState.COMPLETED, "Completed", remains=-12))
    assert result.fields["remains"] == -12


def test_incorrect_order_id_marks_missing_only_after_several_in_a_row():
    order = Order(status=Status.IN_PROGRESS, status_raw="In progress")
    not_found = ItemError("Incorrect order ID", Reason.NOT_FOUND)
    for seen in range(1, MISSING_AFTER):
        result = outcome(order, not_found)
        assert result.fields["missing_count"] == seen
        assert "missing_upstream" not in result.fields
        order.missing_count = seen
    result = outcome(order, not_found)
    assert result.fields["missing_upstream"] is True
    assert [kind for kind, _, _ in result.events] == [EventKind.ANOMALY]


def test_a_good_answer_clears_the_missing_count():
    order = Order(status=Status.IN_PROGRESS, status_raw="In progress", missing_count=2)
    assert outcome(order, answer()).fields["missing_count"] == 0


def test_child_orders_and_posts_are_kept_from_the_answer():
    order = Order(status=Status.PENDING, status_raw="Pending")
    result = outcome(order, answer(posts=4, orders=[11, 12]))
    assert result.fields["upstream_extra"] == {"posts": 4, "orders": [11, 12]}
