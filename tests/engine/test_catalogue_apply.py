from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import Service, ServiceChange
from orders.services.catalogue import catalogue_apply
from orders.upstream import ServiceRecord
from tests.factories import make_provider

pytestmark = pytest.mark.django_db


def record(service_id, rate="0.90", **fields):
    base = {
        "name": f"Service {service_id}",
        "type": "Default",
        "category": "Instagram",
        "rate": Decimal(rate),
        "min": 50,
        "max": 10000,
        "refill": True,
        "cancel": False,
        "dripfeed": False,
    }
    return ServiceRecord(service_id=service_id, raw={"service": service_id}, **(base | fields))


def test_the_first_sync_creates_every_service():
    provider = make_provider()
    result = catalogue_apply(provider=provider, records=[record(1), record(2)])
    assert (result.created, result.changed, result.removed) == (2, 0, 0)
    assert Service.objects.filter(provider=provider).count() == 2


def test_a_sync_with_nothing_changed_only_moves_last_seen_in_one_update(
    django_assert_max_num_queries,
):
    provider = make_provider()
    catalogue_apply(provider=provider, records=[record(i) for i in range(1, 201)])
    Service.objects.update(last_seen_at=timezone.now() - timedelta(days=1))
    # One read of the services, one UPDATE of last seen, the provider's synced-at stamp,
    # the savepoint, and the review of our services sold on them (one read when none has
    # to go off sale): the same for 200 services as for 2.
    with django_assert_max_num_queries(6):
        result = catalogue_apply(provider=provider, records=[record(i) for i in range(1, 201)])
    assert result.writes == 0
    assert result.unchanged == 200
    assert not Service.objects.filter(last_seen_at__lt=timezone.now() - timedelta(hours=1))


def test_a_service_gone_upstream_keeps_the_last_time_it_was_seen():
    provider = make_provider()
    catalogue_apply(provider=provider, records=[record(1), record(2)])
    day_ago = timezone.now() - timedelta(days=1)
    Service.objects.update(last_seen_at=day_ago)
    catalogue_apply(provider=provider, records=[record(1)])
    assert Service.objects.get(upstream_id=2).last_seen_at == day_ago
    assert Service.objects.get(upstream_id=1).last_seen_at > day_ago


def test_a_rate_change_is_applied_and_kept_in_the_history():
    provider = make_provider()
    catalogue_apply(provider=provider, records=[record(1, rate="0.90")])
    result = catalogue_apply(provider=provider, records=[record(1, rate="1.25")])
    assert result.changed == 1
    service = Service.objects.get(upstream_id=1)
    assert service.rate == Decimal("1.25")
    change = ServiceChange.objects.get(service=service)
    assert (change.old_rate, change.new_rate) == (Decimal("0.90"), Decimal("1.25"))


def test_a_service_gone_upstream_is_marked_removed_not_deleted_and_can_come_back():
    provider = make_provider()
    catalogue_apply(provider=provider, records=[record(1), record(2)])
    assert catalogue_apply(provider=provider, records=[record(1)]).removed == 1
    assert Service.objects.get(upstream_id=2).removed_at is not None
    catalogue_apply(provider=provider, records=[record(1), record(2)])
    assert Service.objects.get(upstream_id=2).removed_at is None


def test_staff_settings_survive_a_sync():
    provider = make_provider()
    catalogue_apply(provider=provider, records=[record(1)])
    Service.objects.filter(upstream_id=1).update(enabled=False, markup_value=Decimal("50"))
    catalogue_apply(provider=provider, records=[record(1, rate="2.00")])
    service = Service.objects.get(upstream_id=1)
    assert (service.enabled, service.markup_value, service.rate) == (
        False,
        Decimal("50"),
        Decimal("2.00"),
    )


def test_the_same_upstream_id_at_two_providers_is_two_services():
    first, second = make_provider(), make_provider()
    catalogue_apply(provider=first, records=[record(1)])
    catalogue_apply(provider=second, records=[record(1)])
    assert Service.objects.filter(upstream_id=1).count() == 2
