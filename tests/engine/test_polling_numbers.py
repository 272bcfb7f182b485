"""Polling: a number from upstream that no column can hold (or that cannot be) is kept out."""

from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import EventKind, Status
from orders.services.polling import orders_poll
from tests.engine.numbers import a_service, assert_pages_render, statuses
from tests.factories import make_order

pytestmark = pytest.mark.django_db
COMPLETED = {"status": "Completed", "charge": "0.5", "start_count": "10", "remains": "0"}


def poll(provider):
    return orders_poll(provider=provider)


def two_orders(provider):
    service = a_service(provider)
    return make_order(service), make_order(service)


@pytest.mark.parametrize(
    "field, value",
    [
        ("charge", "1e20"),
        ("charge", "1e309"),
        ("charge", "12345678901234567"),
        ("charge", "1000000000000000"),
        ("charge", "-0.5"),
        ("charge", "NaN"),
        ("start_count", "-3"),
        ("start_count", "1e19"),
        ("remains", "99999999999999999999"),
        ("remains", "1.5"),
    ],
)
def test_a_value_no_column_can_hold_is_an_anomaly_and_the_rest_of_the_batch_is_written(
    upstream, answering_provider, superuser_client, field, value
):
    bad, good = two_orders(answering_provider)
    upstream.bodies["status"] = statuses(
        {bad.upstream_id: COMPLETED | {field: value}, good.upstream_id: COMPLETED}
    )
    poll(answering_provider)
    bad.refresh_from_db()
    good.refresh_from_db()
    assert (good.status, good.charge, good.remains) == (Status.COMPLETED, Decimal("0.5"), 0)
    assert (bad.status, bad.charge, bad.start_count, bad.remains) == ("", None, None, None)
    anomaly = bad.events.get(kind=EventKind.ANOMALY)
    assert field in anomaly.message and value in anomaly.data["answer"]
    assert bad.next_check_at is not None  # still asked for: the provider may correct it
    assert_pages_render(superuser_client, order=bad, service=bad.service)


def test_an_order_answered_with_a_bad_charge_updates_once_the_provider_corrects_it(
    upstream, answering_provider
):
    order, _ = two_orders(answering_provider)
    upstream.bodies["status"] = statuses({order.upstream_id: COMPLETED | {"charge": "1e20"}})
    poll(answering_provider)
    upstream.bodies["status"] = statuses({order.upstream_id: COMPLETED})
    order.refresh_from_db()
    order.next_check_at = timezone.now()
    order.save(update_fields=["next_check_at"])
    poll(answering_provider)
    order.refresh_from_db()
    assert (order.status, order.charge) == (Status.COMPLETED, Decimal("0.5"))


def test_a_negative_remains_is_kept_as_the_protocol_allows_it(upstream, answering_provider):
    order, _ = two_orders(answering_provider)
    upstream.bodies["status"] = statuses({order.upstream_id: COMPLETED | {"remains": "-25"}})
    poll(answering_provider)
    order.refresh_from_db()
    assert order.remains == -25
    assert order.delivered == order.quantity


def test_an_over_precise_charge_is_stored_at_eight_places_half_up_and_is_no_change_next_time(
    upstream, answering_provider
):
    order, _ = two_orders(answering_provider)
    pending = {"status": "In progress", "charge": "0.123456785", "remains": "10"}
    upstream.bodies["status"] = statuses({order.upstream_id: pending})
    assert poll(answering_provider).changed == 1
    order.refresh_from_db()
    assert order.charge == Decimal("0.12345679")
    order.next_check_at = timezone.now()
    order.save(update_fields=["next_check_at"])
    assert poll(answering_provider).changed == 0
