"""Catalogue sync: a service with a number no column can hold is left out, and logged."""

import json
from decimal import Decimal

import pytest

from orders.models import JobRun, Service
from orders.services.catalogue import catalogue_sync
from orders.tasks import provider_job
from orders.upstream import InvalidAnswer
from tests.engine.numbers import a_service, assert_pages_render, service_item

pytestmark = pytest.mark.django_db


def catalogue(*items) -> str:
    return json.dumps(list(items))


@pytest.mark.parametrize(
    "field, value",
    [
        ("rate", "1e20"),
        ("rate", "1e309"),
        ("rate", "12345678901234567"),
        ("rate", "-0.5"),
        ("rate", "Infinity"),
        ("min", "-10"),
        ("max", "1e30"),
    ],
)
def test_a_service_with_a_value_no_column_can_hold_is_skipped_and_the_others_are_synced(
    upstream, answering_provider, superuser_client, field, value
):
    upstream.bodies["services"] = catalogue(
        service_item(1, **{field: value}), service_item(2, rate="1.25")
    )
    result = catalogue_sync(provider=answering_provider)
    assert result.created == 1
    assert Service.objects.get().rate == Decimal("1.25")
    assert len(result.invalid) == 1 and value in result.invalid[0] and field in result.invalid[0]
    assert value in str(result)
    assert_pages_render(superuser_client, service=Service.objects.get())


def test_a_stored_service_answered_unreadably_is_left_as_it_was_not_marked_removed(
    upstream, answering_provider
):
    service = a_service(answering_provider, upstream_id=7, rate=Decimal("0.90"))
    upstream.bodies["services"] = catalogue(service_item(7, rate="1e20"), service_item(8, rate="2"))
    catalogue_sync(provider=answering_provider)
    service.refresh_from_db()
    assert (service.rate, service.removed_at) == (Decimal("0.90"), None)


def test_an_unreadable_service_id_marks_nothing_removed_that_round(upstream, answering_provider):
    service = a_service(answering_provider, upstream_id=100000)
    upstream.bodies["services"] = catalogue(service_item("1e5"), service_item(8))
    result = catalogue_sync(provider=answering_provider)
    service.refresh_from_db()
    assert service.removed_at is None
    assert result.removed == 0 and "1e5" in result.invalid[0]


def test_the_sync_job_records_the_unreadable_service_in_its_summary(upstream, answering_provider):
    upstream.bodies["services"] = catalogue(service_item(1, rate="1e20"), service_item(2))
    provider_job("sync_catalogue", answering_provider.pk)
    run = JobRun.objects.get(name=f"sync_catalogue:{answering_provider.pk}")
    assert run.last_ok and "1 unreadable" in run.last_summary and "1e20" in run.last_summary


def test_a_catalogue_with_no_readable_service_is_refused_and_changes_nothing(
    upstream, answering_provider
):
    service = a_service(answering_provider, upstream_id=3)
    upstream.bodies["services"] = catalogue(service_item(1, rate="1e20"))
    with pytest.raises(InvalidAnswer, match="1e20"):
        catalogue_sync(provider=answering_provider)
    service.refresh_from_db()
    assert service.removed_at is None


def test_an_over_precise_rate_is_stored_at_eight_places_and_is_no_change_next_time(
    upstream, answering_provider
):
    upstream.bodies["services"] = catalogue(service_item(1, rate="0.123456785"))
    catalogue_sync(provider=answering_provider)
    assert Service.objects.get().rate == Decimal("0.12345679")
    assert catalogue_sync(provider=answering_provider).writes == 0
