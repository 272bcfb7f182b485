"""The catalogue's bulk paths: new services written without models, stored rows compared as
plain values. What they store must be what the ORM would, or a resync would see changes."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orders.models import Service, ServiceChange
from orders.services.catalogue import catalogue_apply
from orders.upstream import ServiceRecord
from orders.upstream.answers import service_record
from orders.upstream.parse import MAX_INT, parse_decimal, parse_int
from tests.factories import make_provider

pytestmark = pytest.mark.django_db

ODD_TEXT = 'Tab\there, "quotes", back\\slash,\nnew line, ünïcödé ✓'


def record(service_id, **fields) -> ServiceRecord:
    return service_record(
        {
            "service": service_id,
            "name": f"Service {service_id}",
            "type": "Default",
            "category": "Instagram",
            "rate": Decimal("0.27819"),
            "min": "50",
            "max": "10000",
            "refill": True,
            "cancel": "0",
            "dripfeed": False,
            "average_time": "2 hours",
        }
        | fields
    )


def test_a_new_service_is_stored_as_the_orm_would_store_it():
    provider = make_provider()
    catalogue_apply(provider=provider, records=[record(1, name=ODD_TEXT, desc=ODD_TEXT)])
    service = Service.objects.get(provider=provider, upstream_id=1)
    assert (service.name, service.description) == (ODD_TEXT, ODD_TEXT)
    assert service.rate == Decimal("0.27819")
    assert (service.min_quantity, service.max_quantity) == (50, 10000)
    assert (service.refill, service.cancel, service.dripfeed) == (True, False, False)
    assert service.raw["rate"] == 0.27819
    assert service.raw["average_time"] == "2 hours"
    assert service.first_seen_at == service.last_seen_at
    assert (service.enabled, service.markup_kind, service.markup_value) == (True, "", None)
    assert (service.changed_at, service.removed_at) == (None, None)


def test_what_the_first_import_stored_compares_equal_on_the_next_sync():
    provider = make_provider()
    records = [record(n, name=ODD_TEXT, rate=Decimal("1.12345678")) for n in range(1, 40)]
    catalogue_apply(provider=provider, records=records)
    again = catalogue_apply(provider=provider, records=records)
    assert (again.writes, again.unchanged) == (0, 39)


def test_a_change_of_bounds_is_kept_in_the_history_and_a_text_change_is_not():
    provider = make_provider()
    catalogue_apply(provider=provider, records=[record(1), record(2)])
    result = catalogue_apply(provider=provider, records=[record(1, min="100"), record(2, desc="x")])
    assert result.changed == 2
    change = ServiceChange.objects.get()
    assert (change.service.upstream_id, change.old_min, change.new_min) == (1, 50, 100)
    assert (change.old_rate, change.new_rate) == (Decimal("0.27819"), Decimal("0.27819"))
    assert Service.objects.get(upstream_id=2).description == "x"


def test_a_service_back_unchanged_is_unmarked_without_history():
    provider = make_provider()
    catalogue_apply(provider=provider, records=[record(1), record(2)])
    catalogue_apply(provider=provider, records=[record(1)])
    back = catalogue_apply(provider=provider, records=[record(1), record(2)])
    assert (back.changed, back.unchanged) == (1, 1)
    assert Service.objects.get(upstream_id=2).removed_at is None
    assert not ServiceChange.objects.exists()


def test_the_import_and_the_staff_fields_of_other_services_stay_apart():
    provider = make_provider()
    catalogue_apply(provider=provider, records=[record(1)])
    Service.objects.filter(upstream_id=1).update(enabled=False, markup_value=Decimal("5"))
    catalogue_apply(provider=provider, records=[record(1, rate="0.5"), record(2)])
    first, second = Service.objects.order_by("upstream_id")
    assert (first.enabled, first.markup_value, first.rate) == (False, Decimal("5"), Decimal("0.5"))
    assert (second.enabled, second.markup_value) == (True, None)


@given(st.integers(min_value=-(2**64), max_value=2**64))
def test_counts_read_without_a_decimal_are_read_as_the_decimal_rule_reads_them(number):
    for value in (number, str(number), f" {number} ", f"{number:020d}"):
        try:
            expected = int(parse_decimal(value))
            ok = abs(expected) <= MAX_INT and parse_decimal(value).adjusted() <= 18
        except ValueError:
            ok = False
        if ok:
            assert parse_int(value) == expected
        else:
            with pytest.raises(ValueError):
                parse_int(value)
