import pytest

from orders.models import Service
from orders.services.catalogue import catalogue_sync
from orders.upstream import order_type_for
from simulator import log
from simulator.models import SimService

pytestmark = pytest.mark.django_db


def test_the_simulators_whole_catalogue_is_mirrored_in_one_call(provider):
    result = catalogue_sync(provider=provider)
    assert result.created == SimService.objects.count()
    assert log.calls("services").count() == 1
    types = set(Service.objects.values_list("type", flat=True))
    assert len([t for t in types if order_type_for(t)]) == 17


def test_a_type_the_dashboard_does_not_know_is_imported_and_shown_as_such(provider):
    catalogue_sync(provider=provider)
    unknown = [s for s in Service.objects.all() if order_type_for(s.type) is None]
    assert unknown, "the simulator offers one type the dashboard cannot know"


def test_a_second_sync_with_nothing_changed_writes_no_service(provider):
    catalogue_sync(provider=provider)
    assert catalogue_sync(provider=provider).writes == 0


def test_a_rate_changed_upstream_is_picked_up(provider):
    catalogue_sync(provider=provider)
    first = SimService.objects.order_by("service_id").first()
    first.rate *= 2
    first.save()
    result = catalogue_sync(provider=provider)
    assert result.changed == 1
    assert Service.objects.get(upstream_id=first.service_id).rate == first.rate
